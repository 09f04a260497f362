"""Points follow from the values and the version's bins: not stored (ADR 0041)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("risk", "0003_assessment_bulk_path")]
    operations = [migrations.RemoveField(model_name="assessment", name="points_json")]
