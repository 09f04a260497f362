"""Issue 13 item 6: the audit trail is a hash chain. An SQL UPDATE or DELETE anywhere in
it is noticed by `manage.py audit_verify` (exit 1, naming the first bad entry), daily by
`run_clocks`, and a rewritten tail by the chain heads published in the open data. These
run on SQLite and, in CI, on PostgreSQL (the jsonb round trip is part of the point)."""

import datetime as dt
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from xinjian.core import audit, auditchain
from xinjian.core.actors import CLOCK
from xinjian.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


def _write(n: int, start: int = 0) -> list[AuditEntry]:
    out = []
    for i in range(start, start + n):
        out.append(
            audit.record(
                "test.change",
                actor=CLOCK,
                object_type="test.thing",
                object_id=str(i),
                uscc="91440300MA5FXXXX1X",
                before={"status": "draft", "amount": 1.0, "nested": {"b": [1, 2.5], "a": "中文"}},
                after={"status": "final", "amount": 10_000_000_000_000_000.0, "when": "2026-12-07"},
                reason=f"第{i}次变更",
            )
        )
    return out


def _verify(*heads: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = [a for h in heads for a in ("--head", h)]
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cur:
        cur.execute(statement.format(table=connection.ops.quote_name(TABLE)), params)


def test_each_entry_carries_the_hash_of_the_one_before_in_commit_order():
    entries = _write(3)
    bulk = AuditEntry.objects.bulk_create(
        [
            AuditEntry(actor_label="系统", action="test.bulk", object_type="t", object_id=str(i))
            for i in range(3)
        ]
    )
    rows = list(AuditEntry.objects.order_by("id"))
    assert [r.pk for r in rows][-6:] == [e.pk for e in entries + bulk]
    assert rows[0].prev_hash == auditchain.GENESIS or rows[0].pk < entries[0].pk
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    assert _verify()[0] == 0


def test_an_entry_is_never_saved_twice():
    [entry] = _write(1)
    entry.reason = "改写"
    with pytest.raises(RuntimeError):
        entry.save()


def test_an_sql_update_is_named_as_the_first_altered_entry():
    entries = _write(5)
    victim = entries[2]
    _sql("UPDATE {table} SET reason = %s WHERE id = %s", ["改写的原因", victim.pk])
    code, out, err = _verify()
    assert code == 1 and out == ""
    assert f"audit entry #{victim.pk}:" in err and "altered" in err


def test_an_update_that_recomputes_its_own_hash_is_caught_at_the_next_entry():
    entries = _write(4)
    victim = entries[1]
    row = AuditEntry.objects.filter(pk=victim.pk).values("prev_hash", *auditchain.CHAINED_FIELDS).get()
    row["after"] = {"status": "withdrawn"}
    forged = auditchain.digest(row["prev_hash"], row)
    _sql(
        "UPDATE {table} SET after = %s, hash = %s WHERE id = %s",
        [json.dumps(row["after"]), forged, victim.pk],
    )
    code, _out, err = _verify()
    assert code == 1 and f"audit entry #{entries[2].pk}:" in err and f"#{victim.pk}" in err


def test_an_sql_delete_is_named_at_the_entry_after_the_gap():
    entries = _write(4)
    _sql("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    code, _out, err = _verify()
    assert code == 1 and f"audit entry #{entries[2].pk}: does not follow #{entries[0].pk}" in err


def test_a_truncated_tail_is_caught_by_a_head_kept_outside():
    entries = _write(3)
    head = audit.chain_head()
    assert head["entry_id"] == entries[-1].pk
    assert _verify(f"{head['entry_id']}:{head['hash']}")[0] == 0
    _sql("DELETE FROM {table} WHERE id >= %s", [entries[1].pk])
    assert _verify()[0] == 0  # the links alone cannot see a cut tail …
    code, _out, err = _verify(f"{head['entry_id']}:{head['hash']}")  # … a kept head can
    assert code == 1 and f"audit entry #{entries[-1].pk}:" in err and "no longer in the trail" in err


def test_the_open_data_publishes_the_days_head_and_audit_verify_holds_the_platform_to_it(settings, tmp_path):
    from xinjian.disclosure.exports import export_dir, export_open_data

    settings.VAR_DIR = tmp_path
    entries = _write(2)
    day = dt.date(2026, 12, 7)
    files = export_open_data(day, actor=CLOCK)
    assert "audit_chain_head.json" in {f.filename for f in files}
    published = json.loads((export_dir(day) / "audit_chain_head.json").read_text(encoding="utf-8"))
    assert published["entry_id"] == entries[-1].pk and published["hash"] == entries[-1].hash
    assert published["date"] == "2026-12-07"
    assert _verify()[0] == 0
    # Rewrite the published entry and recompute every hash from it on: the links hold
    # again, the published head does not.
    rows = list(
        AuditEntry.objects.filter(pk__gte=entries[-1].pk)
        .order_by("id")
        .values("id", "prev_hash", *auditchain.CHAINED_FIELDS)
    )
    prev = rows[0]["prev_hash"]
    for row in rows:
        if row["id"] == entries[-1].pk:
            row["reason"] = "伪造"
        h = auditchain.digest(prev, row)
        _sql(
            "UPDATE {table} SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row["reason"], prev, h, row["id"]],
        )
        prev = h
    code, _out, err = _verify()
    assert code == 1 and f"audit entry #{entries[-1].pk}:" in err and "audit_chain_head.json" in err


def test_run_clocks_verifies_daily_before_the_open_data_and_records_a_break():
    from xinjian.core.clocks import all_clocks

    order = [c.name for c in all_clocks()]
    assert order.index("core.audit_verify") < order.index("disclosure.open_data")
    entries = _write(3)
    assert audit.verify_daily(dt.date(2026, 12, 7), actor=CLOCK) == 0
    assert not AuditEntry.objects.filter(action="core.audit_chain.broken").exists()
    _sql("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    assert audit.verify_daily(dt.date(2026, 12, 8), actor=CLOCK, dry_run=True) == 1
    assert not AuditEntry.objects.filter(action="core.audit_chain.broken").exists()
    assert audit.verify_daily(dt.date(2026, 12, 8), actor=CLOCK) == 1
    found = AuditEntry.objects.get(action="core.audit_chain.broken")
    assert found.object_id == str(entries[2].pk) and found.after["problem"] == "missing_before"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: several writers at once (SQLite has one writer)")
    errors = []

    def writer(k: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    _write(1, start=k * 100 + i)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.filter(action="test.change").count() == 60
    assert _verify()[0] == 0
