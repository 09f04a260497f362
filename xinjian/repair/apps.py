from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairConfig(AppConfig):
    name = "xinjian.repair"
    label = "repair"
    verbose_name = _("信用修复")

    def ready(self) -> None:
        from xinjian.core import reference

        from . import (
            clocks,  # noqa: F401  registers the overdue clock with run_clocks
            deadlines,  # noqa: F401  registers the repair deadlines with core.deadlines
            panels,  # noqa: F401  registers its parts of shared pages (core.panels)
        )

        @reference.register
        def repair_rules() -> None:
            from .models import RepairRuleSet
            from .rules import seed_repair_rules

            seed_repair_rules(RepairRuleSet=RepairRuleSet)
