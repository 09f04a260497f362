from django.db import migrations


def forwards(apps, schema_editor):
    from xinjian.commitments.rules import seed

    seed(
        CommitmentRuleSet=apps.get_model("commitments", "CommitmentRuleSet"),
        CommitmentTemplate=apps.get_model("commitments", "CommitmentTemplate"),
    )


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
