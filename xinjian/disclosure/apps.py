from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "xinjian.disclosure"
    label = "disclosure"
    verbose_name = _("信息公示")

    def ready(self) -> None:
        from xinjian.core import reference

        from . import (
            clocks,  # noqa: F401  registers the disclosure clocks with run_clocks
            panels,  # noqa: F401  registers its parts of shared pages (core.panels)
        )

        @reference.register
        def disclosure_rules() -> None:
            from .rules import seed_defaults

            seed_defaults()
