from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "xinjian.commitments"
    label = "commitments"
    verbose_name = _("信用承诺")

    def ready(self) -> None:
        from xinjian.core import reference

        from . import (
            clocks,  # noqa: F401  registers the rectification clock with run_clocks
            deadlines,  # noqa: F401  registers the commitment deadlines with core.deadlines
            panels,  # noqa: F401  registers its parts of shared pages (core.panels)
        )

        @reference.register
        def commitment_rules() -> None:
            from . import models
            from .rules import seed

            seed(CommitmentRuleSet=models.CommitmentRuleSet, CommitmentTemplate=models.CommitmentTemplate)
