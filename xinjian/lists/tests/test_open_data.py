"""Open data carries the lists and the untrue-commitment findings as the public profile
shows them on the export day (disclosure.exports, seed 十三)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from xinjian.core.actors import SYSTEM
from xinjian.disclosure.exports import export_dir, export_open_data

pytestmark = pytest.mark.django_db
D = dt.date


def lines(day: dt.date, kind: str) -> list[dict]:
    text = (export_dir(day) / f"{kind}.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines()]


def test_lists_and_untrue_findings_are_exported_as_public_on_the_day(
    listed_anomaly, published_serious, enterprise_factory, county_officer, settings, tmp_path
):
    from xinjian.collection.models import CommitmentRecord
    from xinjian.commitments import actions as commitments
    from xinjian.lists import actions as lists

    settings.VAR_DIR = tmp_path
    kept = listed_anomaly(D(2026, 7, 10))
    removed = listed_anomaly(D(2026, 7, 10))
    lists.note_ground_ceased(removed, actor=SYSTEM, on=D(2026, 8, 1), reason="other")
    lists.remove_anomaly(
        removed, actor=SYSTEM, reason="other", on=D(2026, 8, 3), decision_no="深南移〔2026〕1号"
    )
    later = listed_anomaly(D(2026, 9, 1))  # not yet listed on the export day
    serious = published_serious(D(2026, 7, 1))

    e = enterprise_factory(legal_representative="李雷")
    c = CommitmentRecord.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source="approval",
        source_id="C-1",
        kind="notification",
        matter="食品经营许可（告知承诺）",
        committed_on=D(2026, 6, 1),
    )
    v = commitments.select_for_verification(c, actor=county_officer, reason="线索", on=D(2026, 7, 1))
    commitments.assign(v, actor=county_officer, assignee=county_officer, on=D(2026, 7, 1))
    commitments.conclude_untrue(
        v,
        actor=county_officer,
        facts="李雷承诺的冷库不存在，电话13800138000",
        consequences=[{"kind": "terminate"}, {"kind": "penalty", "decision_no": "深南罚〔2026〕5号"}],
        finding_no="深南核〔2026〕2号",
        on=D(2026, 7, 20),
    )

    day = D(2026, 8, 15)
    rows = export_open_data(day, actor=SYSTEM)
    anomaly = {r["decision_no"]: r for r in lines(day, "anomaly_list")}
    assert set(anomaly) == {kept.decision_no, removed.decision_no} and later.decision_no not in anomaly
    assert anomaly[removed.decision_no]["removed_on"] == "2026-08-03"
    assert anomaly[kept.decision_no]["removed_on"] is None
    assert anomaly[kept.decision_no]["uscc"] == kept.enterprise.uscc
    [s] = lines(day, "serious_list")
    assert s["decision_no"] == serious.decision_no and s["measures"]
    [f] = lines(day, "commitment_findings")
    assert f["finding_no"] == "深南核〔2026〕2号" and f["consequences"] == ["terminate", "penalty"]
    assert "李雷" not in f["facts"] and "13800138000" not in f["facts"] and f["repaired"] is False
    csv_text = (export_dir(day) / "serious_list.csv").read_text(encoding="utf-8-sig")
    assert ";".join(s["measures"]) in csv_text
    dictionary = json.loads((export_dir(day) / "data_dictionary.json").read_text(encoding="utf-8"))
    assert {"anomaly_list", "serious_list", "commitment_findings"} <= set(dictionary["files"])
    for r in rows:
        assert hashlib.sha256((export_dir(day) / r.filename).read_bytes()).hexdigest() == r.sha256
    # Before the finding was published, it is not in that day's files.
    export_open_data(D(2026, 7, 19), actor=SYSTEM)
    assert lines(D(2026, 7, 19), "commitment_findings") == []
