from django.db import migrations


def seed(apps, schema_editor):
    from xinjian.disclosure.rules import seed_defaults

    seed_defaults(apps.get_model("disclosure", "DisclosureRule"))


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
