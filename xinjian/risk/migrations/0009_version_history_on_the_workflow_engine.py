"""A model version's history becomes a workflow history (core.models.TransitionRecord): it
gains the action, the Beijing date of the step and a document number. Existing rows get
the action their status change meant and the date of their timestamp in Asia/Shanghai.
Frozen: nothing here imports live app code."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations, models

BEIJING = ZoneInfo("Asia/Shanghai")
ACTIONS = {"draft": "draft", "active": "activate", "retired": "retire", "discarded": "discard"}


def fill(apps, schema_editor):
    Change = apps.get_model("risk", "ModelVersionTransition")
    for c in Change.objects.all().iterator():
        c.action = ACTIONS.get(c.to_status, c.to_status)
        c.on = c.at.astimezone(BEIJING).date()
        c.save(update_fields=["action", "on"])


class Migration(migrations.Migration):
    dependencies = [("risk", "0008_measure_province")]

    operations = [
        migrations.AddField(
            model_name="modelversiontransition",
            name="action",
            field=models.CharField(default="", max_length=30, verbose_name="动作"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="modelversiontransition",
            name="on",
            field=models.DateField(default=dt.date(2000, 1, 1), verbose_name="日期"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="modelversiontransition",
            name="document_no",
            field=models.CharField(blank=True, max_length=100, verbose_name="文书编号"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="modelversiontransition",
            name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="modelversiontransition",
            name="to_status",
            field=models.CharField(max_length=20, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="modelversiontransition",
            name="at",
            field=models.DateTimeField(verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="modelversiontransition",
            name="actor_label",
            field=models.CharField(max_length=150, verbose_name="操作人"),
        ),
        migrations.AlterField(
            model_name="modelversiontransition",
            name="reason",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
    ]
