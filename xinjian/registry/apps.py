from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "xinjian.registry"
    label = "registry"
    verbose_name = _("主体登记")

    def ready(self) -> None:
        from xinjian.core import reference

        from . import panels  # noqa: F401  registers its parts of shared pages (core.panels)

        @reference.register
        def divisions_and_key_area_types() -> None:
            from django.conf import settings

            from . import models
            from .seeding import load_departments, load_divisions, load_key_area_types

            if not models.Division.objects.filter(valid_to__isnull=False).exists():
                load_divisions(Division=models.Division)
            if not models.Department.objects.exists():
                load_departments(
                    settings.XINJIAN_PROVINCE,
                    Division=models.Division,
                    Department=models.Department,
                    Office=models.Office,
                )
            load_key_area_types(KeyAreaType=models.KeyAreaType)
