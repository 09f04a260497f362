"""Open data (seed 十三): each day, everything disclosed on that day, per record kind, as
CSV (UTF-8 with BOM, for spreadsheet programs) and JSON Lines, with a data dictionary
and a SHA-256 checksum per file. Files live under VAR_DIR/open_data/<date>/; the
`OpenDataFile` rows list them for the download page. Rerunning a day rewrites it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from xinjian.collection.models import CommitmentRecord, Inspection, Licence, Penalty
from xinjian.commitments.disclosure import finding_public_dict, published
from xinjian.commitments.queries import with_details
from xinjian.core import audit
from xinjian.core.spreadsheets import neutralise_row
from xinjian.lists.queries import anomaly_dict, public_anomaly, public_serious, serious_dict

from . import policy
from .models import OpenDataFile
from .queries import commitment_item, inspection_item, licence_item, penalty_item

Field = tuple[str, str, str]  # name, type, description

_ENTERPRISE: list[Field] = [
    ("uscc", "string", "统一社会信用代码"),
    ("enterprise_name", "string", "企业名称"),
    ("region_code", "string", "企业所在行政区划代码（GB/T 2260）"),
]
_PUBLICATION: list[Field] = [
    ("published_on", "date", "公示日期（YYYY-MM-DD）"),
    ("disclosed_until", "date", "公示截止日期（含当日）；为空表示长期公示"),
]
DICTIONARY: dict[str, dict[str, Any]] = {
    "penalties": {
        "title": "行政处罚信息",
        "fields": _ENTERPRISE
        + [
            ("decision_no", "string", "行政处罚决定书文号"),
            ("decided_on", "date", "处罚决定日期"),
            ("decided_by", "string", "处罚机关"),
            ("domain", "string", "领域代码（见接口规范）"),
            ("violation", "string", "违法行为类型"),
            ("penalty_types", "list[string]", "处罚种类代码；CSV中以分号分隔"),
            ("fine_amount", "number", "罚款金额（元）"),
            ("restriction_until", "date", "限制开展生产经营活动、限制从业等期限至"),
            ("legal_basis", "string", "处罚依据"),
            ("decision_text", "string", "决定书正文（已去除个人隐私信息）"),
        ]
        + _PUBLICATION,
    },
    "inspections": {
        "title": "抽查检查结果信息",
        "fields": _ENTERPRISE
        + [
            ("inspected_on", "date", "检查日期"),
            ("inspected_by", "string", "检查机关"),
            ("kind", "string", "检查类别代码"),
            ("result", "string", "检查结果代码"),
            ("item_code", "string", "检查事项编码"),
            ("findings", "string", "检查发现（已去除个人隐私信息）"),
        ]
        + _PUBLICATION,
    },
    "licences": {
        "title": "行政许可信息",
        "fields": _ENTERPRISE
        + [
            ("licence_type", "string", "许可类别代码"),
            ("licence_no", "string", "许可证编号"),
            ("issued_by", "string", "发证机关"),
            ("issued_on", "date", "发证日期"),
            ("valid_until", "date", "有效期至"),
            ("status", "string", "许可状态代码"),
        ]
        + _PUBLICATION,
    },
    "commitments": {
        "title": "信用承诺信息",
        "fields": _ENTERPRISE
        + [
            ("kind", "string", "承诺类型代码"),
            ("matter", "string", "承诺事项"),
            ("committed_on", "date", "承诺日期"),
            ("content", "string", "承诺内容（已去除个人隐私信息）"),
        ]
        + _PUBLICATION,
    },
    # Lists and untrue-commitment findings, as the public profile shows them on the day
    # (lists.disclosure / commitments.disclosure decide what is public).
    "anomaly_list": {
        "title": "经营异常名录信息",
        "fields": _ENTERPRISE
        + [
            ("ground", "string", "列入事由代码"),
            ("ground_name", "string", "列入事由"),
            ("listed_on", "date", "列入日期"),
            ("decision_no", "string", "列入决定书文号"),
            ("decided_by", "string", "作出决定机关"),
            ("removed_on", "date", "移出日期；为空表示仍在名录中"),
            ("removal_reason", "string", "移出事由代码"),
            ("removal_decision_no", "string", "移出决定书文号"),
        ],
    },
    "serious_list": {
        "title": "严重违法失信名单信息",
        "fields": _ENTERPRISE
        + [
            ("ground", "string", "列入事由代码"),
            ("ground_name", "string", "列入事由"),
            ("decided_on", "date", "列入决定日期"),
            ("decision_no", "string", "列入决定书文号"),
            ("decided_by", "string", "作出决定机关"),
            ("published_on", "date", "公示日期"),
            ("expires_on", "date", "列入期限至（含当日）"),
            ("measures", "list[string]", "管理措施代码；CSV中以分号分隔"),
        ],
    },
    "exposure": {
        "title": "屡禁不止、屡罚不改企业集中公示信息",
        "fields": _ENTERPRISE
        + [
            ("reason", "string", "公示事由代码（repeat_penalties：屡罚不改）"),
            ("count", "number", "统计期内当日仍在公示期内的重点领域行政处罚次数"),
            ("since", "date", "所计最早一次处罚的决定日期"),
        ],
    },
    "commitment_findings": {
        "title": "承诺不实核查结论信息",
        "fields": _ENTERPRISE
        + [
            ("matter", "string", "承诺事项"),
            ("commitment_kind", "string", "承诺类型代码"),
            ("committed_on", "date", "承诺日期"),
            ("concluded_on", "date", "核查结论日期"),
            ("finding_no", "string", "核查结论文书编号"),
            ("decided_by", "string", "核查机关"),
            ("facts", "string", "核查事实（已去除个人隐私信息）"),
            ("consequences", "list[string]", "处理措施代码；CSV中以分号分隔"),
            ("published_on", "date", "公示日期"),
            ("repaired", "boolean", "是否已信用修复"),
        ],
    },
}


def _listed_rows(kind: str, on: dt.date) -> Iterator[tuple[Any, dict[str, Any]]]:

    if kind == "anomaly_list":
        for a in public_anomaly(on).select_related("enterprise").order_by("id").iterator(chunk_size=2000):
            if policy.visible(a, on):  # the second lock on the door
                yield a.enterprise, anomaly_dict(a, on)
    elif kind == "serious_list":
        for s in public_serious(on).select_related("enterprise").order_by("id").iterator(chunk_size=2000):
            if policy.visible(s, on):
                yield s.enterprise, serious_dict(s)
    elif kind == "exposure":
        for row in policy.exposure(on, limit=1_000_000):
            yield row["enterprise"], {"reason": row["reason"], "count": row["count"], "since": row["since"]}
    else:
        for v in with_details(published(on)).order_by("id").iterator(chunk_size=2000):
            row = finding_public_dict(v, on)
            row["consequences"] = [c["kind"] for c in row["consequences"]]
            yield v.enterprise, row


def _rows(kind: str, on: dt.date) -> Iterator[dict[str, Any]]:
    names = [f[0] for f in DICTIONARY[kind]["fields"]]
    if kind in ("anomaly_list", "serious_list", "exposure", "commitment_findings"):
        for e, data in _listed_rows(kind, on):
            data.update(uscc=e.uscc, enterprise_name=e.name, region_code=e.region_code)
            yield {n: _plain(data.get(n)) for n in names}
        return
    builders: dict[str, tuple[Any, Callable[[Any], dict[str, Any]]]] = {
        "penalties": (Penalty, lambda p: penalty_item(p, [p.enterprise.legal_representative])),
        "inspections": (Inspection, inspection_item),
        "licences": (Licence, licence_item),
        "commitments": (CommitmentRecord, commitment_item),
    }
    model, item = builders[kind]
    qs = policy.filter_visible(model.objects.all(), on).select_related("enterprise").order_by("id")
    for record in qs.iterator(chunk_size=2000):
        if not policy.visible(record, on):  # the second lock on the door
            continue
        data = item(record)
        e = record.enterprise
        data.update(uscc=e.uscc, enterprise_name=e.name, region_code=e.region_code)
        yield {n: data.get(n) for n in names}


def _plain(value: Any) -> Any:
    """Dates as ISO text, so CSV and JSON Lines carry the same values."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_dir(on: dt.date) -> Path:
    return Path(settings.VAR_DIR) / "open_data" / on.isoformat()


def export_open_data(on: dt.date, *, actor: Any) -> list[OpenDataFile]:
    """Write the day's files and their checksums; returns the file rows."""
    folder = export_dir(on)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[tuple[str, str, str, int]] = []
    for kind, spec in DICTIONARY.items():
        names = [f[0] for f in spec["fields"]]
        csv_path, jsonl_path = folder / f"{kind}.csv", folder / f"{kind}.jsonl"
        n = 0
        with (
            csv_path.open("w", encoding="utf-8-sig", newline="") as fc,
            jsonl_path.open("w", encoding="utf-8") as fj,
        ):
            w = csv.writer(fc)
            w.writerow(names)
            for row in _rows(kind, on):
                w.writerow(
                    neutralise_row(
                        ";".join(v) if isinstance(v, list) else ("" if v is None else v) for v in row.values()
                    )
                )
                fj.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        made += [(kind, "csv", csv_path.name, n), (kind, "jsonl", jsonl_path.name, n)]
    dictionary = {
        "date": on.isoformat(),
        "publisher": "信监 重点领域信用监管平台",
        "note": "仅包含数据日期当日依《市场监督管理行政处罚信息公示规定》等规定处于公示期内的信息；"
        "投诉举报信息、信用风险分类结果不予公开。CSV为UTF-8（带BOM）编码；CSV中以 = + - @、制表符或回车开头的文本"
        "前加一个单引号，以免电子表格软件将其当作公式执行（JSON Lines保持原值）。",
        "files": {
            k: {
                "title": v["title"],
                "fields": [{"name": n, "type": t, "description": d} for n, t, d in v["fields"]],
            }
            for k, v in DICTIONARY.items()
        },
    }
    dict_path = folder / "data_dictionary.json"
    dict_path.write_text(json.dumps(dictionary, ensure_ascii=False, indent=2), encoding="utf-8")
    made.append(("dictionary", "json", dict_path.name, len(DICTIONARY)))
    # The audit trail's chain head of the day (issue 13 item 6): whoever keeps these can
    # hold the platform to its history (`manage.py audit_verify --head ID:HASH`).
    head_path = folder / audit.HEAD_FILE
    head = {"date": on.isoformat(), **audit.chain_head(), "algorithm": "sha256-chain-v1"}
    head_path.write_text(json.dumps(head, ensure_ascii=False, indent=2), encoding="utf-8")
    made.append(("audit_chain", "json", head_path.name, 1))
    rows = [
        OpenDataFile(
            export_date=on,
            kind=kind,
            fmt=fmt,
            filename=name,
            rows=n,
            size=(folder / name).stat().st_size,
            sha256=_sha256(folder / name),
        )
        for kind, fmt, name, n in made
    ]
    (folder / "SHA256SUMS").write_text("".join(f"{r.sha256}  {r.filename}\n" for r in rows), encoding="utf-8")
    with transaction.atomic():
        OpenDataFile.objects.filter(export_date=on).delete()  # derived rows, rewritten with the files
        OpenDataFile.objects.bulk_create(rows)
        audit.record(
            "disclosure.open_data.export",
            actor=actor,
            object_type="disclosure.opendatafile",
            object_id=on.isoformat(),
            after={"files": {r.filename: r.sha256 for r in rows}},
        )
    return rows
