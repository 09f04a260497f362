"""Five years of supervision history driven by the hidden propensity (ADR 0010):
inspections and sampling tests, penalties, complaints and annual reports."""

from __future__ import annotations

import datetime as dt

import numpy as np

from xinjian.collection.models import (
    AnnualReport,
    Complaint,
    Inspection,
    InspectionKind,
    InspectionResult,
    Penalty,
)

from . import bulk
from . import vocabulary as V
from .codes import group_sequence
from .world import (
    L_ADD,
    L_FILL,
    L_FOOD,
    L_JY,
    L_SE,
    L_XK,
    LINE_CODES,
    SOURCE,
    Chunk,
    busdays_after,
    day,
    events_in_window,
    json_list,
    json_loads,
    pick,
    record_columns,
)


def generate_inspections(c: Chunk) -> dict[str, np.ndarray]:
    """Inspections reach every kind of enterprise (double random covers all), key-area
    ones more often; whether a problem is found depends on the propensity only, the same
    every year — so past records predict later findings."""
    rng, p = c.rng, c.p
    rate = (
        np.select([c.key_area, np.isin(c.line, [L_JY, L_XK])], [0.55, 0.3], 0.12) + 0.15 * p
    )  # complaints and tips bring some extra visits to risky ones
    owner, days = events_in_window(c, rate)
    m = len(owner)
    po = p[owner]
    key_owner = c.key_area[owner]
    u = rng.random(m)
    kind = np.where(
        key_owner,
        np.where(
            u < 0.35, InspectionKind.RANDOM, np.where(u < 0.8, InspectionKind.ROUTINE, InspectionKind.KEY)
        ),
        np.where(u < 0.9, InspectionKind.RANDOM, InspectionKind.KEY),
    ).astype(object)
    problem = rng.random(m) < 0.002 + 0.95 * po**1.6
    problem_kinds = np.array(
        [
            InspectionResult.CORRECTED,
            InspectionResult.FOLLOW_UP,
            InspectionResult.UNPUBLISHED_INFO,
            InspectionResult.FALSE_INFO,
            InspectionResult.UNREACHABLE,
            InspectionResult.REFUSED,
        ],
        dtype=object,
    )
    problem_p = np.array([0.5, 0.2, 0.1, 0.05, 0.12, 0.03])
    ok_kinds = np.array([InspectionResult.NO_PROBLEM, InspectionResult.NO_ACTIVITY], dtype=object)
    result = np.where(
        problem,
        problem_kinds[rng.choice(6, size=m, p=problem_p)],
        ok_kinds[(rng.random(m) < 0.04).astype(int)],
    )
    # An enterprise gone from the register is found closed at its last visits.
    gone = c.status[owner] != "operating"
    closing = gone & ((c.end[owner] - days).astype(np.int64) < 60)
    result = np.where(closing, InspectionResult.CLOSED, result)
    # Sampling tests (监督抽检) of food, additive and industrial products.
    srate = np.select(
        [np.isin(c.line, [L_FOOD, L_ADD]), c.line == L_XK, c.line == L_JY], [0.9, 0.35, 0.2], 0.0
    )
    s_owner, s_days = events_in_window(c, srate)
    s_bad = rng.random(len(s_owner)) < 0.01 + 0.5 * p[s_owner] ** 1.5
    s_result = np.where(s_bad, InspectionResult.SAMPLE_UNQUALIFIED, InspectionResult.SAMPLE_QUALIFIED).astype(
        object
    )
    owner = np.concatenate([owner, s_owner])
    days = np.concatenate([days, s_days])
    kind = np.concatenate([kind, np.full(len(s_owner), InspectionKind.SAMPLING_TEST, dtype=object)])
    result = np.concatenate([result, s_result])
    m = len(owner)
    line_codes = np.asarray(LINE_CODES, dtype=object)[c.line[owner]]
    items = np.empty(m, dtype=object)
    for code in LINE_CODES:
        mask = line_codes == code
        items[mask] = pick(rng, [i.split(" ")[0] for i in V.INSPECTION_ITEMS[code]], int(mask.sum()))
    is_problem = np.isin(result, list(problem_kinds) + [InspectionResult.SAMPLE_UNQUALIFIED])
    findings = np.where(is_problem, pick(rng, V.FINDINGS, m), "")
    findings = np.where(result == InspectionResult.SAMPLE_UNQUALIFIED, "抽检样品检验结论为不合格", findings)
    by_city = rng.random(m) < 0.15
    region = c.w.region
    inspected_by = np.where(
        by_city,
        np.asarray(region.city_dept_names, dtype=object)[c.region_idx[owner]],
        np.asarray(region.dept_names, dtype=object)[c.region_idx[owner]],
    )
    published = busdays_after(rng, days, 3, 15)
    today = day(c.w.today)
    published = np.where(published <= today, published, np.datetime64("NaT"))
    cols = record_columns(c, owner, "INS", days, "inspection")
    cols.update(
        {
            "inspected_on": days,
            "inspected_by": inspected_by.tolist(),
            "kind": [str(k) for k in kind.tolist()],
            "result": [str(r) for r in result.tolist()],
            "item_code": items.tolist(),
            "findings": findings.tolist(),
            "published_on": published,
        }
    )
    bulk.insert_columns(Inspection, cols, m)
    c.w.stats.add("inspections", m)
    follow = np.isin(
        result,
        [
            InspectionResult.FOLLOW_UP,
            InspectionResult.SAMPLE_UNQUALIFIED,
            InspectionResult.FALSE_INFO,
            InspectionResult.REFUSED,
        ],
    )
    return {"owner": owner[follow], "days": days[follow]}


def generate_penalties(
    c: Chunk, follow_ups: dict[str, np.ndarray], revocations: dict[str, np.ndarray]
) -> None:
    """Penalties: some independent of inspections, some following a problem an inspection
    or a sample found, and one for each licence revoked."""
    rng, p, w = c.rng, c.p, c.w
    today = day(w.today)
    own1, day1 = events_in_window(c, 0.003 + 0.6 * p**1.8)
    take = rng.random(len(follow_ups["owner"])) < 0.6
    own2 = follow_ups["owner"][take]
    day2 = follow_ups["days"][take] + rng.integers(20, 120, int(take.sum())).astype("timedelta64[D]")
    keep2 = day2 <= today
    own2, day2 = own2[keep2], day2[keep2]
    own3, day3 = revocations["owner"], revocations["days"]
    owner = np.concatenate([own1, own2, own3])
    days = np.concatenate([day1, day2, day3])
    revocation = np.concatenate([np.zeros(len(own1) + len(own2), bool), np.ones(len(own3), bool)])
    m = len(owner)
    if m == 0:
        return
    po = p[owner]
    line = c.line[owner]
    # Domain follows the line of business (food producers are fined for food safety…).
    u = rng.random(m)
    general_domains = np.array(
        ["product_quality", "consumer_rights", "competition", "registration"], dtype=object
    )
    general = general_domains[rng.choice(4, size=m, p=[0.3, 0.3, 0.25, 0.15])]
    domain = np.where(
        np.isin(line, [L_FOOD, L_ADD, L_JY]) & (u < 0.75),
        "food_safety",
        np.where(
            np.isin(line, [L_SE, L_FILL]) & (u < 0.75),
            "special_equipment",
            np.where((line == L_XK) & (u < 0.75), "product_quality", general),
        ),
    ).astype(object)
    domain = np.where(
        revocation & np.isin(line, [L_SE, L_FILL]),
        "special_equipment",
        np.where(
            revocation & np.isin(line, [L_FOOD, L_ADD, L_JY]),
            "food_safety",
            np.where(revocation, "product_quality", domain),
        ),
    )
    violation = np.empty(m, dtype=object)
    basis = np.empty(m, dtype=object)
    for d, options in V.VIOLATIONS.items():
        mask = domain == d
        k = rng.integers(0, len(options), int(mask.sum()))
        violation[mask] = [options[i][0] for i in k.tolist()]
        basis[mask] = [options[i][1] for i in k.tolist()]
    # What was imposed. Order 45: a warning alone is not published; criticism and lower
    # fines are shown for 3 months (the disclosure policy decides; we only record facts).
    v = rng.random(m)
    warning_only = (v < 0.12) & ~revocation
    criticism = (v >= 0.12) & (v < 0.15) & ~revocation
    aggravated = (rng.random(m) < 0.03 + 0.35 * po) & ~warning_only & ~criticism
    aggravated |= revocation
    fine = ~warning_only & ~criticism
    amount = np.exp(rng.normal(np.log(8000), 1.2, m)) * np.where(aggravated, 3.0, 1.0)
    amount = np.round(np.clip(amount, 500, 5_000_000), -2)
    confiscate = fine & (rng.random(m) < 0.2)
    restrict = fine & (rng.random(m) < 0.01 + 0.05 * po)
    types: list[str] = []
    for i in range(m):
        if warning_only[i]:
            t = ["warning"]
        elif criticism[i]:
            t = ["criticism"]
        else:
            t = ["fine"]
            if confiscate[i]:
                t.append("confiscation")
            if revocation[i]:
                t.append("licence_revocation")
            if restrict[i]:
                t.append("business_restriction")
        types.append(json_list(t))
    restriction_until = np.where(
        restrict, days + rng.integers(180, 1100, m).astype("timedelta64[D]"), np.datetime64("NaT")
    )
    fulfilled = np.where(
        fine & (rng.random(m) < 0.92 - 0.3 * po),
        days + rng.integers(5, 90, m).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    fulfilled = np.where(fulfilled <= today, fulfilled, np.datetime64("NaT"))
    exception = np.where(rng.random(m) < 0.005, "privacy", "").astype(object)
    published = busdays_after(rng, days, 3, 15)
    published = np.where(
        (published <= today) & ~warning_only & (exception == ""), published, np.datetime64("NaT")
    )
    # Deciding department: the county's (or the city's for cities without counties), the
    # city's for a share of cases; document numbers run per department and year.
    region = w.region
    by_city = rng.random(m) < 0.15
    ridx = c.region_idx[owner]
    decided_by = np.where(
        by_city,
        np.asarray(region.city_dept_names, dtype=object)[ridx],
        np.asarray(region.dept_names, dtype=object)[ridx],
    )
    prefix = np.where(
        by_city,
        np.asarray(region.city_prefix, dtype=object)[ridx],
        np.asarray(region.short_prefix, dtype=object)[ridx],
    )
    years = days.astype("datetime64[Y]").astype(int) + 1970
    keys = np.array([f"{a}{b}" for a, b in zip(prefix.tolist(), years.tolist(), strict=True)], dtype=object)
    seq = group_sequence(keys, days.astype(np.int64), w.counters.setdefault("decision_no", {}))
    decision_no = [
        f"{a}市监罚〔{y}〕{s}号"
        for a, y, s in zip(prefix.tolist(), years.tolist(), seq.tolist(), strict=True)
    ]
    names = np.asarray(c.names, dtype=object)[owner]
    labels = {
        "warning": "警告",
        "criticism": "通报批评",
        "fine": "罚款",
        "confiscation": "没收违法所得",
        "licence_revocation": "吊销许可证件",
        "business_restriction": "限制开展生产经营活动",
    }
    text = []
    for i in range(m):
        imposed = "、".join(labels[t] for t in json_loads(types[i]))
        money = f"罚款人民币{amount[i]:,.0f}元" if fine[i] else imposed
        text.append(
            f"当事人{names[i]}{violation[i]}。上述行为违反了相关规定，依据{basis[i]}，"
            f"本局决定给予{imposed}的行政处罚（{money}）。"
        )
    cols = record_columns(c, owner, "PEN", days, "penalty")
    cols.update(
        {
            "decision_no": decision_no,
            "decided_on": days,
            "decided_by": decided_by.tolist(),
            "domain": [str(d) for d in domain.tolist()],
            "violation": violation.tolist(),
            "penalty_types": types,
            "fine_amount": [
                float(a) if f else None for a, f in zip(amount.tolist(), fine.tolist(), strict=True)
            ],
            "aggravated": aggravated,
            "restriction_until": restriction_until,
            "legal_basis": basis.tolist(),
            "fulfilled_on": fulfilled,
            "status": "in_force",
            "disclosure_exception": exception.tolist(),
            "decision_text": text,
            "published_on": published,
        }
    )
    bulk.insert_columns(Penalty, cols, m)
    w.stats.add("penalties", m)


def generate_complaints(c: Chunk) -> None:
    rng, p = c.rng, c.p
    consumer_facing = np.isin(c.line, [L_FOOD, L_ADD, L_JY, L_XK, L_FILL])
    owner, days = events_in_window(c, np.where(consumer_facing, 0.05, 0.02) + 0.5 * p**1.5)
    m = len(owner)
    substantiated = rng.random(m) < 0.15 + 0.6 * p[owner]
    # Recent complaints may still be under investigation (unknown outcome).
    pending = (day(c.w.today) - days).astype(np.int64) < 45
    category = np.where(
        np.isin(c.line[owner], [L_FOOD, L_ADD, L_JY]) & (rng.random(m) < 0.6),
        "食品安全",
        pick(rng, V.COMPLAINT_CATEGORIES, m),
    )
    cols = record_columns(c, owner, "CMP", days, "complaint")
    cols.update(
        {
            "received_on": days,
            "category": category.tolist(),
            "substantiated": [
                None if q else bool(s) for s, q in zip(substantiated.tolist(), pending.tolist(), strict=True)
            ],
        }
    )
    bulk.insert_columns(Complaint, cols, m)
    c.w.stats.add("complaints", m)


def generate_annual_reports(c: Chunk) -> None:
    """Annual reports for each year the enterprise existed, filed 1 January–30 June of
    the next year (Anomaly Measures art. 4) — risky enterprises late or not at all."""
    rng, p, w = c.rng, c.p, c.w
    today = w.today
    first_year = w.history_start.year
    owners, years, filed = [], [], []
    est_year = c.established.astype("datetime64[Y]").astype(int) + 1970
    end_year = c.end.astype("datetime64[Y]").astype(int) + 1970
    miss_p = 0.01 + 0.4 * p**1.5
    late_p = 0.02 + 0.8 * p**1.2
    for year in range(first_year, today.year):
        window_opens = dt.date(year + 1, 1, 1)
        if window_opens > today:
            break
        due = day(dt.date(year + 1, 6, 30))
        alive = (est_year <= year) & (end_year > year) & (c.end >= day(window_opens))
        idx = np.flatnonzero(alive & (rng.random(c.n) >= miss_p))
        late = rng.random(len(idx)) < late_p[idx]
        # On time: spread over the window with a rush in June; late: July–December.
        ontime_day = np.datetime64(window_opens) + (181 * rng.beta(3.0, 1.3, len(idx))).astype(
            np.int64
        ).astype("timedelta64[D]")
        late_day = due + rng.integers(1, 180, len(idx)).astype("timedelta64[D]")
        filed_day = np.where(late, late_day, ontime_day)
        keep = filed_day <= day(today)
        owners.append(idx[keep])
        years.append(np.full(int(keep.sum()), year))
        filed.append(filed_day[keep])
    owner = np.concatenate(owners) if owners else np.zeros(0, np.int64)
    m = len(owner)
    if m == 0:
        return
    year_col = np.concatenate(years)
    filed_on = np.concatenate(filed)
    now = bulk.utc_now_text(w.now)
    bulk.insert_columns(
        AnnualReport,
        {
            "created_at": now,
            "created_by": SOURCE,
            "modified_at": now,
            "modified_by": SOURCE,
            "enterprise_id": c.ids[owner],
            "uscc": np.asarray(c.uscc, dtype=object)[owner].tolist(),
            "year": year_col,
            "filed_on": filed_on,
            "source": SOURCE,
            "received_at": bulk.utc_timestamp(filed_on),
        },
        m,
    )
    w.stats.add("annual_reports", m)


# Licence kinds by line: (licence_type, validity in years, issuing level).
