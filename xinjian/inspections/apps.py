from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "xinjian.inspections"
    label = "inspections"
    verbose_name = _("双随机抽查")

    def ready(self) -> None:
        from . import panels  # noqa: F401  registers its workbench queues (core.workbench)
