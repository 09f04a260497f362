"""What an untrue finding changes outside the app: the public profile (redacted), the
constraints systems ask for, the staff enterprise page; who may see and do what; the
templates, the random sample, the share-scoped API and the demo."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import caches
from django.test import Client
from freezegun import freeze_time

from xinjian.collection.models import CommitmentRecord
from xinjian.commitments import actions, rules
from xinjian.commitments.models import CommitmentTemplate, Verification
from xinjian.core.actors import SYSTEM
from xinjian.core.errors import Conflict, DomainError, NotAllowed
from xinjian.core.events import EventType, emit
from xinjian.core.models import Event

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = "2026-04-20 03:00:00"  # 11:00 in Shanghai


@pytest.fixture(autouse=True)
def _fresh_profile_cache():
    caches["default"].clear()


def _untrue(assigned, officer, **kw):
    v = assigned(**kw)
    return actions.conclude_untrue(
        v,
        actor=officer,
        facts=f"经核查，{v.enterprise.legal_representative}承诺的检验设备不存在。联系电话：13800138000，"
        "身份证号：440305199001011234。",
        finding_no="深南市监核〔2026〕7号",
        consequences=[
            {"kind": "rectify", "working_days": 10},
            {"kind": "penalty", "decision_no": "深南市监罚〔2026〕88号"},
        ],
        on=D(2026, 4, 13),
    )


@freeze_time(TODAY)
def test_an_untrue_finding_is_published_on_the_public_profile_with_personal_data_removed(
    assigned, county_officer, client
):
    v = _untrue(assigned, county_officer, legal_representative="李明华")
    body = client.get(f"/api/v1/public/enterprises/{v.enterprise.uscc}").json()
    [f] = body["commitment_findings"]
    assert f["id"] == v.pk and f["commitment_kind"] == "notification" and f["repaired"] is False
    assert f["finding_no"] == "深南市监核〔2026〕7号" and f["published_on"] == "2026-04-13"
    assert [c["kind"] for c in f["consequences"]] == ["rectify", "penalty"]
    assert f["consequences"][1]["decision_no"] == "深南市监罚〔2026〕88号"
    for secret in ("13800138000", "440305199001011234", "李明华"):
        assert secret not in f["facts"]
    page = client.get(f"/public/enterprises/{v.enterprise.uscc}/").content.decode()
    assert "承诺不实核查结论（1）" in page and "深南市监罚〔2026〕88号" in page
    assert "13800138000" not in page and "李明华" not in page.split('id="commitment-findings"')[1]


@freeze_time(TODAY)
def test_kept_and_open_verifications_are_not_published(assigned, county_officer, client):
    kept = assigned()
    actions.conclude_kept(kept, actor=county_officer, facts="属实")
    still_open = assigned()
    for e in (kept.enterprise, still_open.enterprise):
        assert client.get(f"/api/v1/public/enterprises/{e.uscc}").json()["commitment_findings"] == []


@freeze_time(TODAY)
def test_constraints_bar_notification_commitment_until_the_finding_is_repaired(
    assigned, county_officer, api_client_factory, client
):
    _, token = api_client_factory(scopes=["constraints"])
    v = assigned()
    url = f"/api/v1/enterprises/{v.enterprise.uscc}/constraints"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(url, **auth).json()["commitment_allowed"] is True
    _untrue(assigned, county_officer, enterprise=v.enterprise)
    assert client.get(url, **auth).json()["commitment_allowed"] is False
    # The repair work approves a repair of kind untrue_commitment and calls mark_repaired.
    actions.mark_repaired(
        Verification.objects.get(status="untrue"), actor="repair", repair_ref="粤信修〔2026〕1号"
    )
    assert client.get(url, **auth).json()["commitment_allowed"] is True
    page = client.get(f"/public/enterprises/{v.enterprise.uscc}/").content.decode()
    assert "已修复" in page
    assert client.get(f"/api/v1/public/enterprises/{v.enterprise.uscc}").json()["commitment_findings"][0][
        "repaired"
    ]


@freeze_time(TODAY)
def test_two_untrue_findings_need_two_repairs(assigned, county_officer):
    from xinjian.lists.queries import untrue_commitment_unrepaired

    first = _untrue(assigned, county_officer)
    _untrue(assigned, county_officer, enterprise=first.enterprise)
    actions.mark_repaired(first, actor="repair", repair_ref="R-1")
    assert untrue_commitment_unrepaired(first.enterprise) is True


def test_an_untrue_commitment_reported_only_on_the_event_log_still_counts_until_repaired(enterprise_factory):
    from django.db import transaction

    from xinjian.lists.queries import untrue_commitment_unrepaired

    e = enterprise_factory()
    with transaction.atomic():
        emit(
            EventType.COMMITMENT_UNTRUE, uscc=e.uscc, region_code=e.region_code, data={"kind": "notification"}
        )
    assert untrue_commitment_unrepaired(e) is True
    with transaction.atomic():
        emit(
            EventType.REPAIR_APPROVED,
            uscc=e.uscc,
            region_code=e.region_code,
            data={"kind": "untrue_commitment"},
        )
    assert untrue_commitment_unrepaired(e) is False


@freeze_time(TODAY)
def test_the_staff_enterprise_page_shows_the_finding_in_the_credit_record(assigned, county_officer, client):
    v = _untrue(assigned, county_officer)
    client.force_login(county_officer)
    page = client.get(f"/staff/enterprises/{v.enterprise.uscc}/").content.decode()
    section = page.split('id="commitments"')[1]
    assert "承诺不实" in section and "责令限期整改" in section and "不适用告知承诺" in section
    timeline = page.split('id="timeline"')[1].split("</section>")[0]
    assert "承诺核查" in timeline and "承诺不实：" in timeline and "予以行政处罚" in timeline


def test_a_county_officer_cannot_see_another_countys_commitments(
    assigned, staff_factory, county_officer, city_officer, client
):
    v = assigned(region_code="440306", officer=city_officer)  # 宝安区, by a Shenzhen officer
    client.force_login(county_officer)
    for url in (
        f"/staff/commitments/v/{v.pk}/",
        f"/staff/commitments/c/{v.commitment_id}/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/staff/commitments/v/{v.pk}/action/", {"action": "cancel", "reason": "x"}).status_code
        == 404
    )
    assert v.enterprise.name not in client.get("/staff/commitments/").content.decode()
    assert v.enterprise.name not in client.get("/staff/commitments/list/").content.decode()
    client.force_login(city_officer)
    assert client.get(f"/staff/commitments/v/{v.pk}/").status_code == 200


def test_staff_without_the_commitments_permission_are_refused(inspector, client):
    client.force_login(inspector)
    assert client.get("/staff/commitments/").status_code == 403


def test_the_officer_concludes_untrue_through_the_page(assigned, county_officer, client):
    v = assigned()
    client.force_login(county_officer)
    page = client.get(f"/staff/commitments/v/{v.pk}/").content.decode()
    assert 'id="conclude-untrue"' in page
    r = client.post(
        f"/staff/commitments/v/{v.pk}/action/",
        {"action": "untrue", "facts": "不实", "consequence": ["penalty"], "penalty_decision_no": ""},
    )
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.status == "assigned"  # the penalty needs its decision number: nothing changed
    client.post(
        f"/staff/commitments/v/{v.pk}/action/",
        {
            "action": "untrue",
            "facts": "不实",
            "consequence": ["penalty", "rectify"],
            "penalty_decision_no": "罚〔2026〕1号",
            "rectify_working_days": "15",
        },
    )
    v.refresh_from_db()
    assert v.status == "untrue" and v.consequences.get(kind="rectify").working_days == 15
    page = client.get(f"/staff/commitments/v/{v.pk}/").content.decode()
    assert "起算15个工作日" in page  # the deadline says how it was computed


# --- enterprises ---------------------------------------------------------------------------


def _template(kind="public"):
    """A seeded template (domain.md §6 defaults)."""
    return CommitmentTemplate.objects.filter(kind=kind, code__startswith="XYCN").order_by("code").first()


def test_an_enterprise_user_commits_publicly_for_their_own_enterprise_only(
    enterprise_user, enterprise_factory, client
):
    other = enterprise_factory()
    t = _template()
    client.force_login(enterprise_user)
    page = client.get("/public/my/commitments/").content.decode()
    assert t.title in page
    # Whatever else the form carries, the commitment is the logged-in enterprise's.
    r = client.post("/public/my/commitments/", {"template": t.pk, "agree": "on", "uscc": other.uscc})
    assert r.status_code == 302
    mine = enterprise_user.enterprise_user.enterprise
    c = CommitmentRecord.objects.get(source="xinjian")
    assert c.enterprise == mine and c.kind == "public" and c.template_code == t.code and c.content == t.body
    assert not CommitmentRecord.objects.filter(enterprise=other).exists()
    assert Event.objects.filter(type="commitment.recorded", uscc=mine.uscc).exists()
    client.post("/public/my/commitments/", {"template": t.pk, "agree": "on"})
    assert CommitmentRecord.objects.filter(source="xinjian").count() == 1  # no second commitment on it
    # It is public like any collected commitment.
    body = Client().get(f"/api/v1/public/enterprises/{mine.uscc}").json()
    assert [x["kind"] for x in body["commitments"]] == ["public"]


def test_the_enterprise_page_is_for_enterprise_users_only(county_officer, client):
    assert client.get("/public/my/commitments/").status_code == 302  # to the login page
    client.force_login(county_officer)
    assert client.get("/public/my/commitments/").status_code == 403


def test_an_enterprise_user_cannot_use_staff_pages(enterprise_user, client):
    client.force_login(enterprise_user)
    assert client.get("/staff/commitments/").status_code == 403


def test_only_public_templates_in_force_for_the_area_can_be_used(enterprise_factory):
    e = enterprise_factory()
    notification = _template(kind="notification")
    with pytest.raises(DomainError) as err:
        actions.make_public_commitment(e, notification, actor="qiye")
    assert err.value.code == "template_not_public"
    elsewhere = actions.save_template(
        actor=SYSTEM,
        code="GZ-ONLY",
        title="广州市承诺书",
        matter="广州",
        kind="public",
        body="承诺",
        effective_from=D(2026, 1, 1),
        region_code="440100",
    )
    with pytest.raises(DomainError) as err:
        actions.make_public_commitment(e, elsewhere, actor="qiye", on=D(2026, 4, 1))
    assert err.value.code == "template_not_in_force"
    t = _template()
    actions.make_public_commitment(e, t, actor="qiye")
    with pytest.raises(Conflict):
        actions.make_public_commitment(e, t, actor="qiye")


# --- templates -----------------------------------------------------------------------------


def test_a_new_template_version_ends_the_old_one_and_both_stay(province_officer):
    t1 = actions.save_template(
        actor=province_officer,
        code="T-1",
        title="承诺书",
        matter="事项",
        kind="public",
        body="第一版",
        effective_from=D(2026, 1, 1),
    )
    assert t1.version == 1 and t1.region_code == "440000"
    with pytest.raises(DomainError):  # a new version starts after the previous one
        actions.save_template(
            actor=province_officer,
            code="T-1",
            title="x",
            matter="x",
            kind="public",
            body="x",
            effective_from=D(2026, 1, 1),
        )
    t2 = actions.save_template(
        actor=province_officer,
        code="T-1",
        title="承诺书（修订）",
        matter="事项",
        kind="public",
        body="第二版",
        effective_from=D(2026, 6, 1),
    )
    t1.refresh_from_db()
    assert t2.version == 2 and t1.effective_to == D(2026, 6, 1)
    assert [t.body for t in rules.templates_in_force(D(2026, 5, 31)) if t.code == "T-1"] == ["第一版"]
    assert [t.body for t in rules.templates_in_force(D(2026, 6, 1)) if t.code == "T-1"] == ["第二版"]
    assert CommitmentTemplate.objects.filter(code="T-1").count() == 2


def test_template_input_is_checked_field_by_field(province_officer):
    cases = [
        ({"code": "坏 code"}, "code"),
        ({"title": ""}, "title"),
        ({"kind": "other"}, "kind"),
        ({"effective_to": D(2025, 1, 1)}, "effective_to"),
    ]
    for change, field in cases:
        args = {
            "code": "T-9",
            "title": "t",
            "matter": "m",
            "kind": "public",
            "body": "b",
            "effective_from": D(2026, 1, 1),
            **change,
        }
        with pytest.raises(DomainError) as err:
            actions.save_template(actor=province_officer, **args)
        assert err.value.details[0]["field"] == field


def test_the_rules_page_lists_the_templates_in_force_and_issues_versions(county_officer, client):
    client.force_login(county_officer)
    page = client.get("/staff/commitments/rules/").content.decode()
    assert "XYCN-SP-01" in page and "（假定）" in page
    client.post(
        "/staff/commitments/rules/",
        {
            "code": "NS-01",
            "kind": "public",
            "title": "南山区承诺书",
            "matter": "南山",
            "body": "承诺",
            "effective_from": "2026-01-01",
        },
    )
    t = CommitmentTemplate.objects.get(code="NS-01")
    assert t.region_code == "440305" and t.issued_by
    r = client.post("/staff/commitments/rules/", {"code": "NS-02", "effective_from": "not a date"})
    assert r.status_code == 200 and not CommitmentTemplate.objects.filter(code="NS-02").exists()


# --- random sample ---------------------------------------------------------------------------


def test_a_random_sample_is_reproducible_from_its_seed_and_stays_in_the_jurisdiction(
    commitment_factory, enterprise_factory, county_officer
):
    nanshan = [commitment_factory(enterprise_factory()) for _ in range(10)]
    commitment_factory(enterprise_factory(region_code="440306"))  # another county
    commitment_factory(enterprise_factory(), kind="registration")  # not an approval commitment
    commitment_factory(enterprise_factory(), committed_on=D(2025, 1, 1))  # outside the period
    s = actions.draw_sample(
        actor=county_officer, period_from=D(2026, 1, 1), period_to=D(2026, 12, 31), percent="25", seed="abc"
    )
    assert s.population == 10 and s.selected == 3 and s.seed == "abc" and s.region_prefix == "440305"
    chosen = set(Verification.objects.filter(sample=s).values_list("commitment_id", flat=True))
    expected = sorted((c.pk for c in nanshan), key=lambda i: actions.rank_key("abc", i))[:3]
    assert chosen == set(expected)
    assert all(v.method == "sample" and v.status == "selected" for v in Verification.objects.all())
    # The selected ones are under verification: a second sample draws from the rest.
    again = actions.draw_sample(
        actor=county_officer, period_from=D(2026, 1, 1), period_to=D(2026, 12, 31), percent=100, seed="x"
    )
    assert again.population == 7


def test_a_sample_outside_the_jurisdiction_or_with_bad_input_is_refused(
    commitment_factory, enterprise_factory, county_officer
):
    commitment_factory(enterprise_factory())
    with pytest.raises(NotAllowed):
        actions.draw_sample(
            actor=county_officer,
            period_from=D(2026, 1, 1),
            period_to=D(2026, 12, 31),
            percent=5,
            region_code="440300",
        )
    for kw, field in [
        ({"percent": 0}, "percent"),
        ({"percent": "abc"}, "percent"),
        ({"percent": 101}, "percent"),
        ({"period_to": D(2025, 1, 1)}, "period_to"),
    ]:
        args = {"period_from": D(2026, 1, 1), "period_to": D(2026, 12, 31), "percent": 5, **kw}
        with pytest.raises(DomainError) as err:
            actions.draw_sample(actor=county_officer, **args)
        assert err.value.details[0]["field"] == field
    with pytest.raises(DomainError) as err:
        actions.draw_sample(
            actor=county_officer, period_from=D(2020, 1, 1), period_to=D(2020, 2, 1), percent=5
        )
    assert err.value.code == "empty_population"


def test_the_sample_page_draws_and_shows_the_seed(
    commitment_factory, enterprise_factory, county_officer, client
):
    for _ in range(4):
        commitment_factory(enterprise_factory())
    client.force_login(county_officer)
    r = client.post(
        "/staff/commitments/sample/",
        {"period_from": "2026-01-01", "period_to": "2026-12-31", "percent": "50", "seed": "seed-1"},
    )
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "seed-1" in page and "2/4" in page
    r = client.post(
        "/staff/commitments/sample/", {"period_from": "bad", "period_to": "2026-12-31", "percent": "5"}
    )
    assert r.status_code == 200


def test_a_province_sample_shows_each_county_only_its_own_verifications(
    commitment_factory, enterprise_factory, county_officer, province_officer, staff_factory, client
):
    mine = enterprise_factory(name="南山抽中企业有限公司")
    theirs = enterprise_factory(region_code="440306", name="宝安抽中企业有限公司")
    for e in (mine, theirs):
        commitment_factory(e)
    s = actions.draw_sample(
        actor=province_officer, period_from=D(2026, 1, 1), period_to=D(2026, 12, 31), percent=100, seed="p"
    )
    assert s.region_prefix == "44" and s.selected == 2
    client.force_login(county_officer)
    page = client.get(f"/staff/commitments/sample/{s.pk}/").content.decode()
    assert "南山抽中企业有限公司" in page and "宝安抽中企业有限公司" not in page and "p" in page
    client.force_login(staff_factory("440106", ["credit_officer"], "tianhe"))  # Guangzhou: no rows of its own
    assert "南山抽中企业有限公司" not in client.get(f"/staff/commitments/sample/{s.pk}/").content.decode()
    commitment_factory(enterprise_factory())
    nanshan = actions.draw_sample(
        actor=county_officer, period_from=D(2026, 1, 1), period_to=D(2026, 12, 31), percent=100, seed="n"
    )
    client.force_login(staff_factory("440306", ["credit_officer"], "baoan"))
    assert client.get(f"/staff/commitments/sample/{nanshan.pk}/").status_code == 404
    assert client.get(f"/staff/commitments/sample/{s.pk}/").status_code == 200


# --- API -----------------------------------------------------------------------------------


@freeze_time(TODAY)
def test_the_share_api_returns_commitments_and_findings_within_the_clients_region(
    assigned, county_officer, api_client_factory, client
):
    v = _untrue(assigned, county_officer)
    url = f"/api/v1/enterprises/{v.enterprise.uscc}/commitments"
    _, share = api_client_factory(scopes=["share"], region_code="440300")
    _, elsewhere = api_client_factory(scopes=["share"], region_code="440100")
    _, wrong_scope = api_client_factory(scopes=["constraints"])
    assert client.get(url).status_code == 401
    assert (
        client.get(url, HTTP_AUTHORIZATION=f"Bearer {wrong_scope}").json()["error"]["code"] == "missing_scope"
    )
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {elsewhere}").status_code == 404
    assert (
        client.get("/api/v1/enterprises/XYZ/commitments", HTTP_AUTHORIZATION=f"Bearer {share}").status_code
        == 404
    )
    body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {share}").json()
    assert body["commitment_allowed_by_findings"] is False
    [f] = body["findings"]
    assert f["status"] == "untrue" and f["verification_id"] == v.pk
    rectify = f["consequences"][0]
    assert rectify["kind"] == "rectify" and rectify["due_on"] and "工作日" in rectify["deadline_explain"]
    assert [c["id"] for c in body["commitments"]] == [v.commitment_id]


# --- demo ----------------------------------------------------------------------------------


def test_the_demo_command_produces_kept_and_untrue_findings_once(enterprise_factory, staff_factory):
    from django.core.management import call_command

    staff_factory("440305", ["credit_officer"], "demo_nanshan")
    for _ in range(8):
        enterprise_factory()
    for _ in range(4):
        enterprise_factory(region_code="440306")
    call_command("demo_commitments", stdout=io.StringIO())
    assert Verification.objects.filter(status="kept").exists()
    untrue = Verification.objects.filter(status="untrue")
    assert untrue.exists() and Event.objects.filter(type="commitment.untrue").count() == untrue.count()
    n = CommitmentRecord.objects.count()
    call_command("demo_commitments", stdout=io.StringIO())
    assert CommitmentRecord.objects.count() == n
