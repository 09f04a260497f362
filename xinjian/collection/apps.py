from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "xinjian.collection"
    label = "collection"
    verbose_name = _("归集")

    def ready(self) -> None:
        from . import (
            clocks,  # noqa: F401  (registers the clocks)
            panels,  # noqa: F401  registers its parts of shared pages (core.panels)
        )
