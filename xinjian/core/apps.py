from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xinjian.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import audit, checks, reference  # noqa: F401  (checks and audit's clock register themselves)

        @reference.register
        def calendar() -> None:
            from .workdays import seed_from_chinese_calendar

            seed_from_chinese_calendar()
