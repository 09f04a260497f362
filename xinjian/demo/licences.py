"""Licences of the right shape (domain.md §2) and the key-area tags they give, written
through the registry's own tagging action."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from xinjian.collection.actions import LICENCE_STATUS_EVENTS, licence_event_data
from xinjian.collection.models import (
    Licence,
    LicenceStatus,
    LicenceType,
)
from xinjian.collection.tagging import apply_licence_changes
from xinjian.core import auditchain
from xinjian.core.events import EventType, emit_many
from xinjian.core.models import AuditEntry
from xinjian.registry.models import KeyAreaTag, KeyAreaTagHistory, KeyAreaType, TagAction, TagSource

from . import bulk
from . import vocabulary as V
from .codes import group_sequence
from .world import (
    DEMO_ACTOR,
    L_ADD,
    L_FILL,
    L_FOOD,
    L_JY,
    L_SE,
    L_XK,
    Chunk,
    World,
    day,
    json_list,
    pick,
    record_columns,
    uniform_dates,
)

LICENCE_OF_LINE = {
    L_FOOD: (LicenceType.FOOD_PRODUCTION, 5, "city"),
    L_ADD: (LicenceType.FOOD_ADDITIVE_PRODUCTION, 5, "city"),
    L_SE: (LicenceType.SPECIAL_EQUIPMENT_PRODUCTION, 4, "province"),
    L_FILL: (LicenceType.SPECIAL_EQUIPMENT_FILLING, 4, "province"),
    L_JY: (LicenceType.FOOD_BUSINESS, 5, "county"),
    L_XK: (LicenceType.INDUSTRIAL_PRODUCT, 5, "province"),
}


def generate_licences(c: Chunk) -> dict[str, Any]:
    """Licences of the right shape (domain.md §2), renewed at the end of each validity;
    risky holders let them lapse or have them revoked. Revoked and cancelled licences are
    written as they were before (valid) and changed afterwards by `change_statuses`, so the
    tag history shows the tag and its removal."""
    rng, p, w = c.rng, c.p, c.w
    today = day(w.today)
    licensed = np.flatnonzero(
        np.isin(c.line, list(LICENCE_OF_LINE)) & (c.status == "operating")
        | np.isin(c.line, list(LICENCE_OF_LINE)) & (rng.random(c.n) < 0.5)
    )
    out: dict[str, Any] = {
        "revoke": [],
        "cancel": [],
        "revocations": {"owner": np.zeros(0, np.int64), "days": np.zeros(0, "datetime64[D]")},
        "licences": [],
    }
    if len(licensed) == 0:
        return out
    line = c.line[licensed]
    validity_years = np.array([LICENCE_OF_LINE[int(x)][1] for x in line.tolist()])
    validity = (validity_years * 365.25).astype(np.int64)
    first = c.established[licensed] + rng.integers(20, 240, len(licensed)).astype("timedelta64[D]")
    first = np.minimum(first, today - np.timedelta64(10, "D"))
    elapsed = (today - first).astype(np.int64)
    k = np.maximum(elapsed // validity, 0)
    current_issue = first + (k * validity).astype("timedelta64[D]")
    has_previous = k >= 1
    pp = p[licensed]
    lapsed = has_previous & (rng.random(len(licensed)) < 0.03 + 0.2 * pp)
    u = rng.random(len(licensed))
    revoke = ~lapsed & (u < 0.005 + 0.25 * pp**2)
    cancel = ~lapsed & ~revoke & (u > 0.98)
    rows_owner, rows_issue, rows_until, rows_status = [], [], [], []
    # The previous licence (expired at the end of its validity) where one existed.
    prev = np.flatnonzero(has_previous)
    prev_issue = current_issue[prev] - validity[prev].astype("timedelta64[D]")
    rows_owner.append(prev)
    rows_issue.append(prev_issue)
    rows_until.append(current_issue[prev] - np.timedelta64(1, "D"))
    rows_status.append(np.full(len(prev), LicenceStatus.EXPIRED, dtype=object))
    cur = np.flatnonzero(~lapsed)
    rows_owner.append(cur)
    rows_issue.append(current_issue[cur])
    rows_until.append(current_issue[cur] + (validity[cur] - 1).astype("timedelta64[D]"))
    rows_status.append(np.full(len(cur), LicenceStatus.VALID, dtype=object))
    pos = np.concatenate(rows_owner)
    owner = licensed[pos]
    issued = np.concatenate(rows_issue)
    until = np.concatenate(rows_until)
    status = np.concatenate(rows_status)
    m = len(owner)
    ltype = [LICENCE_OF_LINE[int(x)][0] for x in c.line[owner].tolist()]
    level = [LICENCE_OF_LINE[int(x)][2] for x in c.line[owner].tolist()]
    region = w.region
    ridx = c.region_idx[owner]
    province_dept = f"{region.province_name}市场监督管理局"
    issued_by = [
        province_dept
        if lv == "province"
        else (region.city_dept_names[r] if lv == "city" else region.dept_names[r])
        for lv, r in zip(level, ridx.tolist(), strict=True)
    ]
    # Numbers: one per enterprise and kind, kept on renewal except TS, whose suffix is the
    # year the licence runs to.
    seq = group_sequence(
        c.region_codes[licensed], c.index[licensed], w.counters.setdefault("licence_seq", {})
    )
    seq_of = dict(zip(licensed.tolist(), seq.tolist(), strict=True))
    food_cat = np.asarray(V.FOOD_CATEGORIES, dtype=object)[rng.integers(0, len(V.FOOD_CATEGORIES), c.n)]
    add_cat = np.asarray(V.ADDITIVE_CATEGORIES, dtype=object)[
        rng.integers(0, len(V.ADDITIVE_CATEGORIES), c.n)
    ]
    check = rng.integers(0, 10, c.n)
    se_scope = pick(rng, V.SPECIAL_EQUIPMENT_SCOPES, c.n)
    fill_scope = pick(rng, V.FILLING_SCOPES, c.n)
    xk_code = pick(rng, V.INDUSTRIAL_PRODUCT_CODES, c.n)
    numbers, scopes = [], []
    until_years = (until.astype("datetime64[Y]").astype(int) + 1970).tolist()
    for j, e in enumerate(owner.tolist()):
        t, s, code = ltype[j], seq_of[e], c.region_codes[e]
        if t == LicenceType.FOOD_PRODUCTION:
            numbers.append(f"SC{food_cat[e]}{code}{s % 10000:04d}{check[e]}")
            scopes.append(json_list([V.FOOD_CATEGORY_NAMES[food_cat[e]]]))
        elif t == LicenceType.FOOD_ADDITIVE_PRODUCTION:
            numbers.append(f"SC{add_cat[e]}{code}{s % 10000:04d}{check[e]}")
            scopes.append(json_list([V.ADDITIVE_CATEGORY_NAMES[add_cat[e]]]))
        elif t == LicenceType.SPECIAL_EQUIPMENT_PRODUCTION:
            numbers.append(f"TS{1 + s % 3}{code[:2]}{(int(c.index[e]) % 10000):04d}-{until_years[j]}")
            scopes.append(json_list([se_scope[e]]))
        elif t == LicenceType.SPECIAL_EQUIPMENT_FILLING:
            numbers.append(f"TS4{code[:2]}{(int(c.index[e]) % 10000):04d}-{until_years[j]}")
            scopes.append(json_list([fill_scope[e]]))
        elif t == LicenceType.FOOD_BUSINESS:
            numbers.append(f"JY{1 + s % 3}{code}{s % 1_000_000:06d}{check[e]}")
            scopes.append(json_list(["预包装食品销售", "热食类食品制售"]))
        else:
            numbers.append(f"(粤)XK{xk_code[e]}-{100 + s % 900:03d}-{int(c.index[e]) % 100000:05d}")
            scopes.append(json_list(["工业产品生产"]))
    ids = bulk.next_ids(Licence, m)
    cols = record_columns(c, owner, "LIC", issued, "licence")
    cols.update(
        {
            "id": ids,
            "licence_type": [str(t) for t in ltype],
            "licence_no": numbers,
            "issued_by": issued_by,
            "issued_on": issued,
            "valid_until": until,
            "status": [str(s) for s in status.tolist()],
            "scope": scopes,
        }
    )
    bulk.insert_columns(Licence, cols, m)
    w.stats.add("licences", m)
    # Which current licences change status after tagging, and when revocations happened.
    n_prev = len(prev)
    cur_ids = ids[n_prev:]
    cur_pos = cur  # positions into `licensed`
    rv = revoke[cur_pos]
    cc = cancel[cur_pos]
    out["revoke"] = cur_ids[rv].tolist()
    out["cancel"] = cur_ids[cc].tolist()
    rv_owner = licensed[cur_pos[rv]]
    rv_days = uniform_dates(
        rng, np.maximum(current_issue[cur_pos[rv]], c.active_from[rv_owner]), np.full(int(rv.sum()), today)
    )
    out["revocations"] = {"owner": rv_owner, "days": rv_days}
    out["licences"] = list(
        zip(
            ids.tolist(),
            owner.tolist(),
            [str(t) for t in ltype],
            numbers,
            [str(s) for s in status.tolist()],
            issued.tolist(),
            until.tolist(),
            strict=True,
        )
    )
    return out


def tag_new_enterprises(c: Chunk, licences: list[tuple[int, int, str, str, str, Any, Any]]) -> int:
    """Initial tags of the chunk's new enterprises, written in bulk.

    `licences` are (licence id, enterprise index, licence type, number, status, issued,
    valid until) as written.
    The rows are exactly those `collection.tagging.apply_licence_changes` writes when it tags
    an enterprise that has no tag yet — tag, history, audit entry and `key_area.tagged`
    event, with the same reason and data (a test runs the action over the result and
    expects no change) — but go in as columns: through the action's ORM objects, tagging
    was half of the demo's time. Later changes (revocations) go through the action."""

    on = c.w.today
    types = list(KeyAreaType.objects.filter(enabled=True))
    labels = dict(LicenceType.choices)
    holding: dict[tuple[int, str], tuple[int, str, str, Any]] = {}
    for lic_id, e, ltype, number, status, issued, until in licences:
        if status != LicenceStatus.VALID or (until is not None and until < on):
            continue
        for t in types:
            if t.matches(ltype, number):
                # The action keeps the latest-issued valid licence of each type.
                best = holding.get((e, t.code))
                if best is None or issued >= best[3]:
                    holding[(e, t.code)] = (lic_id, ltype, number, issued)
    if not holding:
        return 0
    keys = sorted(holding)
    m = len(keys)
    now = bulk.utc_now_text(c.w.now)
    actor = DEMO_ACTOR.label
    ent = [e for e, _ in keys]
    codes = [code for _, code in keys]
    lic_ids = [holding[k][0] for k in keys]
    reasons = [f"持有有效{labels[holding[k][1]]}（{holding[k][2]}）" for k in keys]
    enterprise_ids = c.ids[ent]
    uscc = [c.uscc[e] for e in ent]
    bulk.insert_columns(
        KeyAreaTag,
        {
            "enterprise_id": enterprise_ids,
            "type_id": codes,
            "active": True,
            "source": TagSource.LICENCE.value,
            "licence_id": lic_ids,
            "since": now,
            "ended_at": None,
        },
        m,
    )
    bulk.insert_columns(
        KeyAreaTagHistory,
        {
            "enterprise_id": enterprise_ids,
            "type_id": codes,
            "action": TagAction.TAGGED.value,
            "source": TagSource.LICENCE.value,
            "licence_id": lic_ids,
            "at": now,
            "actor_label": actor,
            "reason": reasons,
        },
        m,
    )
    # The audit entries go in as columns too, chained as the trail's writer would
    # (core.auditchain): audit_verify must hold on a fresh demo.
    object_ids = [f"{u}:{code}" for u, code in zip(uscc, codes, strict=True)]
    before, after = {"active": False, "source": None}, {"active": True, "source": "licence"}
    common = {
        "at": c.w.now,
        "actor_user_id": None,
        "actor_label": actor,
        "object_type": "registry.keyareatag",
    }
    prevs, hashes = auditchain.chain_columns(
        AuditEntry,
        [
            {
                **common,
                "action": f"key_area.{TagAction.TAGGED.value}",
                "object_id": oid,
                "uscc": u,
                "before": before,
                "after": after,
                "reason": r,
            }
            for oid, u, r in zip(object_ids, uscc, reasons, strict=True)
        ],
    )
    bulk.insert_columns(
        AuditEntry,
        {
            "at": now,
            "actor_user_id": None,
            "actor_label": actor,
            "action": f"key_area.{TagAction.TAGGED.value}",
            "object_type": "registry.keyareatag",
            "object_id": object_ids,
            "uscc": uscc,
            "before": json.dumps(before),
            "after": json.dumps(after),
            "reason": reasons,
            "prev_hash": prevs,
            "hash": hashes,
        },
        m,
    )
    regions = c.region_codes[ent].tolist()
    emit_many(
        (
            EventType.KEY_AREA_TAGGED,
            u,
            r,
            {
                "key_area": code,
                "source": TagSource.LICENCE.value,
                "reason": reason,
                "licence_no": holding[k][2],
            },
        )
        for u, r, code, reason, k in zip(uscc, regions, codes, reasons, keys, strict=True)
    )
    return m


def tag_licences(licence_ids: list[int], world: World, batch: int = 4000) -> int:
    """Tag through the same code path as every licence change (`apply_licence_changes`),
    a batch of enterprises at a time."""

    total = 0
    for i in range(0, len(licence_ids), batch):
        part = Licence.objects.filter(id__in=licence_ids[i : i + batch]).only(
            "id", "enterprise_id", "licence_type", "licence_no"
        )
        total += apply_licence_changes(list(part), actor=DEMO_ACTOR, on=world.today)
    return total


def change_statuses(revoke: list[int], cancel: list[int], world: World) -> int:
    """Bulk form of `collection.actions.change_licence_status` for the demo's history:
    status, audit entry and event per licence, then the tags follow."""

    changed = []
    for ids, status, reason in (
        (revoke, LicenceStatus.REVOKED, "演示数据：违法被吊销许可"),
        (cancel, LicenceStatus.CANCELLED, "演示数据：企业申请注销许可"),
    ):
        if not ids:
            continue
        for i in range(0, len(ids), 4000):
            part = ids[i : i + 4000]
            Licence.objects.filter(id__in=part).update(status=status, modified_by=DEMO_ACTOR.label)
            lics = list(Licence.objects.filter(id__in=part).select_related("enterprise"))
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor_label=DEMO_ACTOR.label,
                        action="licence.status_changed",
                        object_type="collection.licence",
                        object_id=str(lic.pk),
                        uscc=lic.uscc,
                        before={"status": "valid"},
                        after={"status": str(status)},
                        reason=reason,
                    )
                    for lic in lics
                ],
                batch_size=2000,
            )
            emit_many(
                (
                    LICENCE_STATUS_EVENTS[LicenceStatus(status)],
                    lic.uscc,
                    lic.enterprise.region_code if lic.enterprise else "",
                    licence_event_data(lic),
                )
                for lic in lics
            )
            changed.extend(part)
    return tag_licences(changed, world)
