"""The reply history becomes a workflow history (core.models.TransitionRecord): it gains
the action, the Beijing date of the step and a document number. Existing rows get the
action their status change meant and the date of their timestamp in Asia/Shanghai.
Frozen: nothing here imports live app code."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations, models

BEIJING = ZoneInfo("Asia/Shanghai")


def fill(apps, schema_editor):
    Change = apps.get_model("disclosure", "ReplyStatusChange")
    for c in Change.objects.all().iterator():
        if not c.from_status:
            c.action = "submit"
        else:
            c.action = "hide" if c.to_status == "hidden" else "show"
        c.on = c.at.astimezone(BEIJING).date()
        c.save(update_fields=["action", "on"])


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_searchgramstat")]

    operations = [
        migrations.AddField(
            model_name="replystatuschange",
            name="action",
            field=models.CharField(default="", max_length=30, verbose_name="动作"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="replystatuschange",
            name="on",
            field=models.DateField(default=dt.date(2000, 1, 1), verbose_name="日期"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="replystatuschange",
            name="document_no",
            field=models.CharField(blank=True, max_length=100, verbose_name="文书编号"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="replystatuschange",
            name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="replystatuschange",
            name="to_status",
            field=models.CharField(max_length=20, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="replystatuschange",
            name="at",
            field=models.DateTimeField(verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="replystatuschange",
            name="actor_label",
            field=models.CharField(max_length=150, verbose_name="操作人"),
        ),
        migrations.AlterField(
            model_name="replystatuschange",
            name="reason",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
    ]
