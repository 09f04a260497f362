from django.db import migrations


def forwards(apps, schema_editor):
    from xinjian.lists.seeding import seed_list_rules

    seed_list_rules(ListRuleSet=apps.get_model("lists", "ListRuleSet"), ListGround=apps.get_model("lists", "ListGround"),
                    Measure=apps.get_model("lists", "Measure"))


class Migration(migrations.Migration):
    dependencies = [("lists", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
