"""The demo province: deterministic, valid identifiers, licences that tag, a history
driven by a hidden propensity that scoring never reads, and logins that work."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction

from xinjian.collection.models import (
    PROBLEM_RESULTS,
    AnnualReport,
    Complaint,
    Inspection,
    Licence,
    LicenceStatus,
    Penalty,
)
from xinjian.core.workdays import add_working_days
from xinjian.demo.generator import generate
from xinjian.demo.models import HiddenTruth
from xinjian.demo.users import DEMO_PASSWORD, LOGINS
from xinjian.registry.identifiers import normalize_licence_no, normalize_uscc
from xinjian.registry.models import Division, Enterprise, KeyAreaTag, KeyAreaTagHistory

ON = dt.date(2026, 6, 15)
pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _digest() -> str:
    h = hashlib.sha256()
    for row in Enterprise.objects.order_by("uscc").values_list(
        "uscc", "name", "legal_representative", "established_on", "registered_capital", "address", "status"
    ):
        h.update(repr(row).encode())
    for model, fields in (
        (Penalty, ("uscc", "decision_no", "decided_on", "fine_amount", "penalty_types", "published_on")),
        (Inspection, ("uscc", "inspected_on", "kind", "result")),
        (Licence, ("uscc", "licence_no", "issued_on", "status")),
        (Complaint, ("uscc", "received_on", "substantiated")),
        (AnnualReport, ("uscc", "year", "filed_on")),
    ):
        for row in model.objects.order_by(
            "source_id" if model is not AnnualReport else "uscc", *fields
        ).values_list(*fields):
            h.update(repr(row).encode())
    return h.hexdigest()


def _generate_and_digest(n: int, seed: int) -> str:
    try:
        with transaction.atomic():
            generate(n, seed, on=ON)
            digest = _digest()
            raise _Rollback
    except _Rollback:
        pass
    return digest


@pytest.fixture
def province():
    stats = generate(200, 7, on=ON)
    return stats


def test_same_seed_gives_the_same_province_and_another_seed_another():
    first = _generate_and_digest(120, 3)
    again = _generate_and_digest(120, 3)
    other = _generate_and_digest(120, 4)
    assert first == again
    assert first != other


def test_usccs_are_valid_and_carry_the_real_division_code(province):
    places = set(Division.objects.filter(level="county").values_list("code", flat=True)) | {
        "441900",
        "442000",
    }
    # The generated companies (the list procedures add one individual business, USCC 92).
    rows = list(
        Enterprise.objects.exclude(uscc__startswith="92").values_list(
            "uscc", "region_code", "registration_no", "name"
        )
    )
    assert len(rows) == 200
    for uscc, region, regno, name in rows:
        assert normalize_uscc(uscc) == uscc
        assert uscc[2:8] == region and region in places
        assert regno is None or re.fullmatch(r"\d{15}", regno)
        assert name.endswith("公司")
    assert len({r[0] for r in rows}) == 200
    assert any(r[2] for r in rows), "some older enterprises keep their 15-digit registration number"
    assert Enterprise.objects.filter(region_code="440305").exists(), "the demo county has enterprises"


def test_licence_numbers_have_the_shape_of_their_type(province):
    licences = list(Licence.objects.values_list("licence_type", "licence_no"))
    kinds = {t for t, _ in licences}
    assert {"food_production", "special_equipment_production", "food_business"} <= kinds
    for licence_type, number in licences:
        assert normalize_licence_no(licence_type, number) == number


def test_valid_sc_and_ts_licences_tag_their_enterprises_with_history(province):
    key_types = {
        "food_production",
        "food_additive_production",
        "special_equipment_production",
        "special_equipment_filling",
    }
    valid = Licence.objects.filter(
        licence_type__in=key_types, status=LicenceStatus.VALID, valid_until__gte=ON
    )
    assert valid.exists()
    for lic in valid:
        assert KeyAreaTag.objects.filter(
            enterprise=lic.enterprise, type_id=lic.licence_type, active=True
        ).exists()
    tagged = KeyAreaTag.objects.filter(active=True).count()
    assert KeyAreaTagHistory.objects.filter(action="tagged").count() >= tagged
    # Licences revoked or cancelled afterwards removed the tag the same run, with a reason.
    for lic in Licence.objects.filter(licence_type__in=key_types, status__in=["revoked", "cancelled"]):
        still_valid = valid.filter(enterprise=lic.enterprise, licence_type=lic.licence_type).exists()
        if not still_valid:
            assert KeyAreaTag.objects.filter(
                enterprise=lic.enterprise, type_id=lic.licence_type, active=False
            ).exists()
            assert KeyAreaTagHistory.objects.filter(enterprise=lic.enterprise, action="untagged").exists()


def test_records_carry_source_unique_source_ids_and_the_enterprise(province):
    for model in (Licence, Penalty, Inspection, Complaint):
        rows = list(
            model.objects.values_list("source", "source_id", "uscc", "enterprise__uscc", "received_at")
        )
        assert rows, model.__name__
        assert {r[0] for r in rows} == {"demo"}
        assert len({r[1] for r in rows}) == len(rows)
        assert all(r[2] == r[3] and r[4] is not None for r in rows)


def test_penalties_look_like_decisions_and_warnings_are_not_published(province):
    penalties = list(Penalty.objects.all())
    assert penalties
    for p in penalties:
        assert re.fullmatch(r"[\u4e00-\u9fff]{1,2}市监罚〔20\d\d〕\d+号", p.decision_no), p.decision_no
        assert p.decided_by.endswith("市场监督管理局")
        if p.penalty_types == ["warning"]:
            assert p.published_on is None and p.fine_amount is None
        if p.published_on:
            # Order 45: published within 20 working days of the decision.
            assert p.published_on <= add_working_days(p.decided_on, 20).due
        assert p.decided_on <= ON
    assert len({p.decision_no for p in penalties}) == len(penalties)


def test_inspections_reach_every_kind_of_enterprise(province):
    inspected = set(Inspection.objects.values_list("enterprise_id", flat=True))
    untagged = set(Enterprise.objects.exclude(key_area_tags__active=True).values_list("id", flat=True))
    assert inspected & untagged, "double random covers enterprises outside the key areas too"
    kinds = set(Inspection.objects.values_list("kind", flat=True))
    assert {"random", "routine", "sampling_test"} <= kinds


def test_hidden_propensity_drives_what_regulators_observe():
    generate(800, 11, on=ON)
    truth = dict(HiddenTruth.objects.values_list("enterprise_id", "propensity"))
    ids = np.array(sorted(truth))
    p = np.array([truth[i] for i in ids])
    observed = dict.fromkeys(ids.tolist(), 0)
    for eid in Penalty.objects.values_list("enterprise_id", flat=True):
        observed[eid] += 1
    for eid, result in Inspection.objects.values_list("enterprise_id", "result"):
        observed[eid] += result in PROBLEM_RESULTS
    for eid, year, filed in AnnualReport.objects.values_list("enterprise_id", "year", "filed_on"):
        observed[eid] += filed > dt.date(year + 1, 6, 30)
    y = np.array([observed[i] for i in ids.tolist()])
    top = p >= np.quantile(p, 0.9)
    bottom = p <= np.quantile(p, 0.5)
    assert y[top].mean() >= 3 * y[bottom].mean()
    # The truth ranks enterprises with observed trouble above those without.
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(y > 0, p) > 0.65
    # …and, among the enterprises inspected, those where an inspection found a problem.
    inspected = dict.fromkeys(ids.tolist(), False)
    found = dict.fromkeys(ids.tolist(), False)
    for eid, result in Inspection.objects.values_list("enterprise_id", "result"):
        inspected[eid] = True
        found[eid] |= result in PROBLEM_RESULTS
    mask = np.array([inspected[i] for i in ids.tolist()])
    hit = np.array([found[i] for i in ids.tolist()])
    assert roc_auc_score(hit[mask], p[mask]) > 0.75


def test_hidden_truth_is_never_read_outside_the_demo():
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "demo" not in path.relative_to(root).parts
        and re.search(r"HiddenTruth|hiddentruth", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_demo_command_creates_logins_that_work_and_logins_prints_them(client):
    call_command("demo", enterprises=150, seed=2, stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_logins", url="http://example.test:8000", stdout=out)
    text = out.getvalue()
    for login in LOGINS:
        assert login.username in text
    assert DEMO_PASSWORD in text
    assert "http://example.test:8000/staff/enterprises/" in text
    # Through the login page: the lockout backend (django-axes) judges every attempt by
    # its request, so the test client's request-less login() is not enough.
    r = client.post("/accounts/login/", {"username": "demo_nanshan", "password": DEMO_PASSWORD})
    assert r.status_code == 302 and "_auth_user_id" in client.session
    from django.contrib.auth.models import User

    company = User.objects.get(username="demo_enterprise").enterprise_user.enterprise
    assert company.source == "demo" and company.region_code == "440305"
    admin = User.objects.get(username="demo_admin")
    assert admin.is_superuser and admin.is_staff


def test_if_empty_does_nothing_when_the_register_has_enterprises(enterprise_factory):
    enterprise_factory()
    out = io.StringIO()
    call_command("demo", enterprises=50, seed=1, if_empty=True, stdout=out)
    assert Enterprise.objects.count() == 1
    assert not Penalty.objects.exists()
    assert "跳过" in out.getvalue()


def test_a_second_run_adds_enterprises_without_colliding_with_the_first():
    generate(60, 5, on=ON)
    generate(60, 5, on=ON)
    companies = Enterprise.objects.exclude(uscc__startswith="92")  # the list demo adds a shop, once
    assert companies.count() == 120
    assert Enterprise.objects.values("uscc").distinct().count() == Enterprise.objects.count()
    assert HiddenTruth.objects.count() == 120
    for model in (Licence, Inspection):
        assert model.objects.values("source_id").distinct().count() == model.objects.count()


def test_bulk_tags_are_what_the_tagging_action_would_write(province, enterprise_factory, licence_factory):
    from xinjian.collection.tagging import apply_licence_changes
    from xinjian.core.actors import Actor
    from xinjian.core.models import AuditEntry, Event

    # Running the action over every demo licence changes nothing: the state is its own.
    with transaction.atomic():
        assert apply_licence_changes(list(Licence.objects.all()), actor=Actor("system:check"), on=ON) == 0
    # And a demo tag's rows have the shape of the rows the action writes.
    ref = enterprise_factory()
    with transaction.atomic():
        apply_licence_changes([licence_factory(ref)], actor=Actor("system:demo"), on=ON)
    demo_tag = KeyAreaTag.objects.filter(type_id="food_production", enterprise__source="demo").first()

    def shape(enterprise):
        h = KeyAreaTagHistory.objects.get(enterprise=enterprise, type_id="food_production", action="tagged")
        a = AuditEntry.objects.get(uscc=enterprise.uscc, action="key_area.tagged")
        e = Event.objects.get(uscc=enterprise.uscc, type="key_area.tagged")
        lic = h.licence
        return (
            h.source,
            h.actor_label,
            h.reason.replace(lic.licence_no, "N"),
            a.object_type,
            a.object_id.replace(enterprise.uscc, "U"),
            a.before,
            a.after,
            a.reason == h.reason,
            e.region_code == enterprise.region_code,
            sorted(e.data),
            e.data["reason"] == h.reason,
        )

    assert shape(demo_tag.enterprise) == shape(ref)


def test_past_records_predict_later_inspection_findings():
    """What issue 5's models rely on: a naive scorecard over the observable records of the
    first four years ranks the enterprises whose inspections in the last year found a
    problem above the others (the hidden truth is not used)."""
    from collections import Counter

    from sklearn.metrics import roc_auc_score

    generate(2500, 21, on=ON)
    cut = ON - dt.timedelta(days=365)
    rows = list(
        Enterprise.objects.values_list("id", "established_on", "registered_capital", "legal_representative")
    )
    index = {row[0]: i for i, row in enumerate(rows)}
    reps = Counter(row[3] for row in rows)
    score = np.array(
        [
            ((cut - est).days < 3 * 365) + (float(cap or 0) < 50) + (reps[rep] > 1)
            for _, est, cap, rep in rows
        ],
        dtype=float,
    )
    later = np.full(len(rows), -1)
    for eid in Penalty.objects.filter(decided_on__lt=cut).values_list("enterprise_id", flat=True):
        score[index[eid]] += 2
    for eid, result, day in Inspection.objects.values_list("enterprise_id", "result", "inspected_on"):
        found = result in PROBLEM_RESULTS
        if day < cut:
            score[index[eid]] += 2 * found
        else:
            later[index[eid]] = max(later[index[eid]], found)
    for eid, year, filed in AnnualReport.objects.values_list("enterprise_id", "year", "filed_on"):
        score[index[eid]] += 2 * (filed < cut and filed > dt.date(year + 1, 6, 30))
    inspected = later >= 0
    assert inspected.sum() > 400 and later[inspected].sum() > 30
    assert roc_auc_score(later[inspected], score[inspected]) > 0.75


def test_even_a_tiny_province_has_enterprises_where_the_demo_logins_work():
    generate(12, 9, on=ON)
    assert Enterprise.objects.filter(region_code="440305").count() >= 5


def test_demo_exposure_shows_one_offender_and_not_the_one_whose_small_fines_ended(client):
    """Issue 12 item 1 in the demo: three fines within the window, the first no longer
    disclosed → not exposed; three still disclosed → exposed."""
    call_command("demo", enterprises=150, seed=2, stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_exposure", stdout=out)
    mine = {p.uscc for p in Penalty.objects.filter(source="demo-exposure")}
    assert len(mine) == 2
    exposed = {r["uscc"] for r in client.get("/api/v1/public/exposure").json()["results"]}
    assert len(mine & exposed) == 1
    assert "不再出现在曝光名单" in out.getvalue()
    call_command("demo_exposure", stdout=io.StringIO())  # idempotent
    assert Penalty.objects.filter(source="demo-exposure").count() == 6


def test_the_audit_trail_of_a_fresh_demo_is_intact(province):
    """The demo writes its tagging audit entries as columns (fast path); they are chained
    like every other entry, so audit_verify holds on the province `make run` loads."""
    from xinjian.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="key_area.tagged").exists()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # raises SystemExit(1) on a break
    assert "intact" in out.getvalue()
