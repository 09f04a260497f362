"""Chain the audit trail (issue 13 item 6): every existing entry, in id order, gets the
hash of the entry before it and its own. The digest is frozen here as it was written
(core.auditchain.digest at the time), so this migration never changes meaning."""

import datetime as dt
import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64
FIELDS = (
    "at",
    "actor_user_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "uscc",
    "before",
    "after",
    "reason",
)


def _canonical(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _digest(prev, row):
    content = [prev] + [
        row["at"].astimezone(dt.UTC).isoformat(timespec="microseconds") if n == "at" else _canonical(row[n])
        for n in FIELDS
    ]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    prev, batch = GENESIS, []
    for row in AuditEntry.objects.order_by("id").values("id", *FIELDS).iterator(chunk_size=5000):
        h = _digest(prev, row)
        batch.append(AuditEntry(id=row["id"], prev_hash=prev, hash=h))
        prev = h
        if len(batch) >= 5000:
            AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_event_indexes_without_like")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="前一条记录的哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="哈希"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
