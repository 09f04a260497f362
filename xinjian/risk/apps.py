from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "xinjian.risk"
    label = "risk"
    verbose_name = _("信用风险分类")

    def ready(self) -> None:
        from . import (
            clocks,  # noqa: F401  (registers the clocks)
            panels,  # noqa: F401  registers its parts of shared pages (core.panels)
        )
