"""Input no database can hold gets a clear 400, never a server error."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_string_is_refused_on_pages(client, county_officer):
    client.force_login(county_officer)
    response = client.get("/staff/enterprises/", {"q": "食品\x00"})
    assert response.status_code == 400


def test_a_nul_in_an_api_path_gets_the_error_shape(client):
    response = client.get("/api/v1/public/enterprises/9144%0003007152672")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_character"


def test_a_nul_inside_a_json_body_names_the_field(client, api_client_factory):
    _c, token = api_client_factory(scopes=["share", "changes", "constraints"])
    body = {
        "uscc": "91350100M000100Y43",
        "measure": "x\x00y",
        "applied_on": "2025-01-01",
        "action_taken": "a",
    }
    response = client.post(
        "/api/v1/feedback",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_character" and error["details"][0]["field"] == "measure"


def test_a_nul_in_a_form_post_is_refused_before_any_view(client, county_officer):
    client.force_login(county_officer)
    response = client.post("/staff/collection/upload/", {"kind": "penalties\x00"})
    assert response.status_code == 400
    response = client.post(
        "/staff/collection/upload/", {"kind": "penalties", "note": "x\x00"}, format="multipart"
    )
    assert response.status_code == 400


def test_json_nested_100000_deep_is_a_400_with_the_error_shape(client, api_client_factory):
    _c, token = api_client_factory(scopes=["share", "changes", "constraints"])
    response = client.post(
        "/api/v1/feedback",
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_deep"


@pytest.mark.parametrize("year", ["0", "10000", "99999999999999999999", "abc", "-1"])
def test_a_calendar_year_outside_1_to_9999_shows_this_year(client, county_officer, year):
    client.force_login(county_officer)
    assert client.get("/staff/calendar/", {"year": year}).status_code == 200


def test_out_of_range_numbers_in_staff_forms_are_refused_not_stored(client, province_officer):
    from xinjian.inspections.models import Plan
    from xinjian.lists.models import BatchDecision

    client.force_login(province_officer)
    for year in ("9" * 40, "0", "abc"):
        client.post("/staff/inspections/plans/new/", {"year": year, "title": "t"})
        client.post(
            "/staff/lists/rules/batch-decisions/",
            {"report_year": year, "decided_on": "2025-01-01", "decision_no": "x"},
        )
    assert not Plan.objects.exists() and not BatchDecision.objects.exists()


def test_a_non_numeric_client_id_in_the_subscription_form_is_not_a_500(client, province_officer):
    client.force_login(province_officer)
    response = client.post(
        "/staff/sharing/subscriptions/new/",
        {
            "client": "abc",
            "name": "x",
            "endpoint": "https://example.org/hook",
            "event_types": "listing.added",
        },
    )
    assert response.status_code == 302


def test_staff_steps_read_their_input_through_forms_and_say_what_is_wrong(
    client, province_officer, enterprise_factory
):
    """Issue 13 §7: a wrong input is named and nothing changes (sharing, registry, risk)."""
    from django.contrib.messages import get_messages

    from xinjian.registry.models import KeyAreaTag
    from xinjian.sharing.models import Subscription

    client.force_login(province_officer)
    response = client.post(
        "/staff/sharing/subscriptions/new/",
        {"name": "订" * 101, "endpoint": "https://example.org/hook", "event_types": "listing.added"},
    )
    assert response.status_code == 302 and not Subscription.objects.exists()
    assert any(str(m).startswith("名称：") for m in get_messages(response.wsgi_request))

    e = enterprise_factory()
    response = client.post(f"/staff/enterprises/{e.uscc}/tags/", {"type": "no_such_type", "reason": "x"})
    assert response.status_code == 302 and not KeyAreaTag.objects.filter(enterprise=e).exists()
    assert any(str(m).startswith("重点领域类型：") for m in get_messages(response.wsgi_request))


def _named(response, label: str) -> bool:
    from django.contrib.messages import get_messages

    return any(str(m).startswith(f"{label}：") for m in get_messages(response.wsgi_request))


def test_commitment_steps_read_their_input_through_forms(client, province_officer):
    """Issue 13 §7 (commitments): an oversize or wrongly typed input is named, nothing stored."""
    from xinjian.commitments.models import CommitmentTemplate, VerificationSample

    client.force_login(province_officer)
    templates = CommitmentTemplate.objects.count()  # some are seeded
    template = {
        "code": "T" * 41,
        "kind": "public",
        "title": "t",
        "matter": "m",
        "body": "b",
        "effective_from": "2025-01-01",
    }
    response = client.post("/staff/commitments/rules/", template)
    assert response.status_code == 200 and _named(response, "编号")
    response = client.post(
        "/staff/commitments/rules/", {**template, "code": "T1", "effective_from": "2025-13-01"}
    )
    assert response.status_code == 200 and _named(response, "生效日期")
    assert CommitmentTemplate.objects.count() == templates
    sample = {"period_from": "2025-01-01", "period_to": "2025-06-30", "percent": "abc"}
    response = client.post("/staff/commitments/sample/", sample)
    assert response.status_code == 200 and _named(response, "抽取比例（%）")
    assert not VerificationSample.objects.exists()


def test_disclosure_steps_read_their_input_through_forms(client, staff_factory, enterprise_user):
    """Issue 13 §7 (disclosure): a wrongly typed or oversize input is named, nothing stored."""
    from xinjian.disclosure.models import DisclosureRule, EnterpriseReply

    client.force_login(staff_factory("440000", ["administrator"]))
    rules = DisclosureRule.objects.count()  # the national defaults are seeded
    rule = {"key": "penalty.short_period_months", "province_code": "440000", "effective_from": "2025-01-01"}
    for value in ("abc", "1" * 40, "NaN"):
        response = client.post("/public/rules/add/", {**rule, "value": value})
        assert response.status_code == 302 and _named(response, "取值")
    response = client.post("/public/rules/add/", {**rule, "value": "1", "basis": "据" * 201})
    assert response.status_code == 302 and _named(response, "依据") and not _named(response, "规则")
    assert DisclosureRule.objects.count() == rules

    client.force_login(enterprise_user)
    response = client.post(
        "/public/my/records/", {"record_kind": "penalty", "record_id": "abc", "text": "已整改完毕。"}
    )
    assert response.status_code == 302 and _named(response, "所针对的信息")
    assert not EnterpriseReply.objects.exists()


def test_inspection_steps_read_their_input_through_forms(client, staff_factory, enterprise_factory):
    """Issue 13 §7 (inspections): an oversize or wrongly typed input is named, nothing stored;
    a conflict of interest names only an enterprise the user may see."""
    from xinjian.inspections import actions
    from xinjian.inspections.models import ConflictOfInterest, InspectionItem, InspectionRule
    from xinjian.registry.models import Department

    user = staff_factory("440305", ["administrator"])
    client.force_login(user)
    items, rules = InspectionItem.objects.count(), InspectionRule.objects.count()
    item = {
        "list": "item",
        "code": "X" * 41,
        "name": "n",
        "legal_basis": "b",
        "office": "food",
        "method": "onsite",
        "qualification": "food",
        "target_population": "t",
    }
    response = client.post("/staff/inspections/items/save/", item)
    assert response.status_code == 302 and _named(response, "事项编码")
    response = client.post("/staff/inspections/items/save/", {**item, "code": "X-1", "method": "by_drone"})
    assert response.status_code == 302 and _named(response, "检查方式")
    assert InspectionItem.objects.count() == items
    rule = {"code": "publication_working_days", "value": "1e400", "effective_from": "2026-01-01"}
    response = client.post("/staff/inspections/rules/", rule)
    assert response.status_code == 302 and _named(response, "取值")
    assert InspectionRule.objects.count() == rules

    inspector = actions.add_inspector(
        actor=user,
        department=Department.objects.get(division_id="440305"),
        name="张三",
        badge_no="B-1",
        qualifications=["food"],
    )
    elsewhere = enterprise_factory(region_code="440104")
    url = f"/staff/inspections/inspectors/{inspector.pk}/"
    response = client.post(url, {"op": "conflict", "uscc": elsewhere.uscc, "reason": "亲属"})
    assert response.status_code == 302 and _named(response, "利害关系企业")
    assert not ConflictOfInterest.objects.exists()
    own = enterprise_factory(region_code="440305")
    response = client.post(url, {"op": "conflict", "uscc": f" {own.uscc} ", "reason": "亲属"})
    assert ConflictOfInterest.objects.get().enterprise == own


def test_integrity_steps_read_their_input_through_forms(client, county_officer, enterprise_factory):
    """Issue 13 §7 (integrity): a wrongly typed or oversize input is named, nothing stored;
    a member is only an enterprise the user may see."""
    from xinjian.integrity import actions
    from xinjian.integrity.models import IndustryAssociation, Membership

    client.force_login(county_officer)
    a = actions.save_association(None, actor="test", name="南山区食品协会", region_code="440305")
    url = f"/staff/integrity/associations/{a.pk}/"
    response = client.post(url, {"step": "end", "membership": "abc"})
    assert response.status_code == 200 and _named(response, "会员企业")
    elsewhere = enterprise_factory(region_code="440104")
    response = client.post(url, {"step": "member", "uscc": elsewhere.uscc})
    assert response.status_code == 200 and _named(response, "会员企业统一社会信用代码")
    assert not Membership.objects.exists()
    response = client.post("/staff/integrity/associations/", {"name": "协" * 1001})
    assert response.status_code == 200 and _named(response, "名称")
    assert IndustryAssociation.objects.count() == 1


def test_list_steps_read_their_input_through_forms(client, county_officer, enterprise_factory):
    """Issue 13 §7 (lists): an oversize input or another jurisdiction's enterprise is named,
    nothing stored."""
    from xinjian.lists.models import AnomalyListing, SeriousListing, TypicalCase

    client.force_login(county_officer)
    elsewhere = enterprise_factory(region_code="440104")
    response = client.post("/staff/lists/anomaly/new/", {"uscc": elsewhere.uscc, "ground": "x"})
    assert response.status_code == 302 and _named(response, "统一社会信用代码")
    assert not AnomalyListing.objects.exists()
    own = enterprise_factory(region_code="440305")
    response = client.post("/staff/lists/serious/propose/", {"uscc": own.uscc, "penalty_no": "文" * 101})
    assert response.status_code == 302 and _named(response, "所依据的处罚决定书文号")
    assert not SeriousListing.objects.exists()
    response = client.post("/staff/lists/cases/new/", {"title": "题" * 201, "body": "正文"})
    assert response.status_code == 200 and _named(response, "标题")
    assert not TypicalCase.objects.exists()
