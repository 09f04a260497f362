from django.db import migrations


def forwards(apps, schema_editor):
    from xinjian.inspections.seeding import load_defaults

    load_defaults(
        InspectionRule=apps.get_model("inspections", "InspectionRule"),
        InspectionItem=apps.get_model("inspections", "InspectionItem"),
        KeySupervisionItem=apps.get_model("inspections", "KeySupervisionItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
