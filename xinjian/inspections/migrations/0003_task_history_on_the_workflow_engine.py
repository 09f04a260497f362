"""The task history becomes a TransitionRecord like every workflow's (core.workflow):
from_state/to_state are renamed from_status/to_status, and each row gains the step's
action, its Beijing date and a document number. Existing rows get the action their
states imply and the date of their timestamp. Frozen: no app code is imported."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations, models

# (from, to) → action, as in the task workflow's table at the time of this migration.
ACTIONS = {
    ("", "draft"): "create",
    ("draft", "published"): "publish",
    ("published", "drawn"): "draw",
    ("drawn", "published"): "redraw",
    ("drawn", "in_progress"): "start",
    ("in_progress", "results"): "complete",
    ("results", "closed"): "close",
}
BEIJING = ZoneInfo("Asia/Shanghai")


def fill(apps, schema_editor):
    TaskTransition = apps.get_model("inspections", "TaskTransition")
    for row in TaskTransition.objects.all().iterator():
        row.action = ACTIONS.get((row.from_status, row.to_status), "")
        row.on = row.at.astimezone(BEIJING).date()
        row.save(update_fields=["action", "on"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_reference_data"),
    ]

    operations = [
        migrations.RenameField("tasktransition", "from_state", "from_status"),
        migrations.RenameField("tasktransition", "to_state", "to_status"),
        migrations.AlterField(
            model_name="tasktransition",
            name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="tasktransition",
            name="to_status",
            field=models.CharField(max_length=20, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="tasktransition",
            name="at",
            field=models.DateTimeField(verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="tasktransition",
            name="action",
            field=models.CharField(default="", max_length=30, verbose_name="动作"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tasktransition",
            name="on",
            field=models.DateField(default=dt.date(2000, 1, 1), verbose_name="日期"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tasktransition",
            name="document_no",
            field=models.CharField(blank=True, max_length=100, verbose_name="文书编号"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
