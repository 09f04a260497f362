from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    from xinjian.registry.seeding import load_key_area_types, load_province

    load_province(
        settings.XINJIAN_PROVINCE,
        Division=apps.get_model("registry", "Division"),
        Department=apps.get_model("registry", "Department"),
        Office=apps.get_model("registry", "Office"),
    )
    load_key_area_types(KeyAreaType=apps.get_model("registry", "KeyAreaType"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
