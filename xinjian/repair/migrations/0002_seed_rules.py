from django.db import migrations


def forwards(apps, schema_editor):
    from xinjian.repair.rules import seed_repair_rules

    seed_repair_rules(RepairRuleSet=apps.get_model("repair", "RepairRuleSet"))


class Migration(migrations.Migration):
    dependencies = [("repair", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
