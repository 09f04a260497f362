"""PostgreSQL: leave room on each page so that a rescore updates rows in place (HOT
updates: no index entries rewritten), ADR 0041."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE risk_assessment SET (fillfactor = 45)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE risk_assessment RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("risk", "0004_remove_assessment_points_json")]
    operations = [migrations.RunPython(forwards, backwards)]
