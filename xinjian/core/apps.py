from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xinjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import checks, reference  # noqa: F401  (checks registers itself)

        @reference.register
        def calendar() -> None:
            from .workdays import seed_from_chinese_calendar

            seed_from_chinese_calendar()
