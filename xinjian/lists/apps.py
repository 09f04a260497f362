from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "xinjian.lists"
    label = "lists"
    verbose_name = _("名单管理")

    def ready(self) -> None:
        from xinjian.core import reference

        from . import (
            clocks,  # noqa: F401  registers the list clocks with run_clocks
            deadlines,  # noqa: F401  registers the list deadlines with core.deadlines
            panels,  # noqa: F401  registers its parts of shared pages (core.panels)
        )

        @reference.register
        def list_rules() -> None:
            from . import models
            from .seeding import seed_list_rules

            seed_list_rules(
                ListRuleSet=models.ListRuleSet, ListGround=models.ListGround, Measure=models.Measure
            )
