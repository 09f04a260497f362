from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """诚信建设 (seed 十四): integrity promotion articles and industry associations."""

    name = "xinjian.integrity"
    verbose_name = _("诚信建设与行业组织")

    def ready(self) -> None:
        from xinjian.sharing.audiences import register

        from . import panels  # noqa: F401  registers its workbench queue (core.workbench)
        from .queries import member_usccs

        # An association's subscription receives only its members' changes.
        register("association", member_usccs)
