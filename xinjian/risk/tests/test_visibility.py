"""Risk classes are internal (Risk Opinions; domain.md §5): staff with the risk permission
in their jurisdiction, API clients with scope `risk` in their region — nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xinjian.core.actors import SYSTEM
from xinjian.risk import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(enterprise_factory, record):
    e = enterprise_factory(region_code="440305", name="南山食品有限公司")
    for day in (dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2025, 9, 1)):
        record("penalty", e, decided_on=day)
    actions.score_all(actor=SYSTEM)
    return e


def page(client, user, e):
    client.force_login(user)
    return client.get(reverse("registry:detail", args=[e.uscc]))


def test_credit_officer_sees_class_score_version_and_reasons(client, county_officer, scored):
    body = page(client, county_officer, scored).content.decode()
    assert 'id="risk"' in body
    assert "general-v1" in body
    assert "受到 3 次行政处罚" in body


def test_staff_without_the_risk_permission_do_not_see_the_class(client, inspector, scored):
    response = page(client, inspector, scored)
    assert response.status_code == 200
    assert 'id="risk"' not in response.content.decode()


def test_county_officer_gets_404_outside_the_jurisdiction(client, staff_factory, scored):
    other_county = staff_factory("440304", ["credit_officer"])
    assert page(client, other_county, scored).status_code == 404


def test_enterprise_user_and_anonymous_cannot_open_risk_pages(client, enterprise_user, scored):
    anonymous = client.get(reverse("risk:models"))
    assert anonymous.status_code == 302
    client.force_login(enterprise_user)
    assert client.get(reverse("risk:models")).status_code == 403
    assert client.get(reverse("registry:detail", args=[scored.uscc])).status_code in (302, 403)


def test_public_enterprise_page_never_shows_the_class(client, scored):
    from django.urls import NoReverseMatch

    try:
        url = reverse("disclosure:enterprise", args=[scored.uscc])
    except NoReverseMatch:
        pytest.skip("public enterprise page not built yet")
    body = client.get(url).content.decode()
    assert "风险分类" not in body and "general-v1" not in body


def test_models_page_lists_indicators_bands_and_versions(client, county_officer, scored):
    client.force_login(county_officer)
    body = client.get(reverse("risk:models")).content.decode()
    assert "通用型信用风险分类模型" in body and "食品生产专业模型" in body
    detail = client.get(reverse("risk:model", args=["general"])).content.decode()
    for text in ("基本属性", "动态行为", "监管信息", "关联关系", "社会评价", "同一法定代表人", "版本历史"):
        assert text in detail
    # Credit officers read; only administrators draft, activate and roll back.
    assert client.post(reverse("risk:draft", args=["general"])).status_code == 403


def test_administrator_activates_and_rolls_back_from_the_pages(client, staff_factory, scored):
    from xinjian.risk.models import RiskModel

    admin = staff_factory("440000", ["administrator"])
    client.force_login(admin)
    model = RiskModel.objects.get(code="general")
    v2 = actions.create_expert_version(model, actor=SYSTEM, activate=False)
    client.post(reverse("risk:change_version", args=[v2.pk]), {"action": "activate", "reason": "试用"})
    assert model.active_version() == v2
    client.post(reverse("risk:rollback", args=["general"]), {"reason": "效果不佳"})
    assert model.active_version().number == 1
    assert client.get(reverse("risk:version", args=[v2.pk])).status_code == 200


def api(client, token, uscc):
    return client.get(f"/api/v1/enterprises/{uscc}/risk", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_api_returns_the_class_in_the_documented_shape(client, api_client_factory, scored):
    _, token = api_client_factory(scopes=["risk"], region_code="440300")
    response = api(client, token, scored.uscc)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"uscc", "class", "score", "model", "assessed_at", "reasons"}
    assert body["class"] in "ABCD" and body["model"] == "general-v1"
    assert {"indicator", "value", "points"} <= set(body["reasons"][0])


def test_api_needs_the_risk_scope_and_stays_in_the_region(client, api_client_factory, scored):
    assert api(client, "nope", scored.uscc).status_code == 401
    _, no_scope = api_client_factory(scopes=["constraints"])
    forbidden = api(client, no_scope, scored.uscc)
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "missing_scope"
    _, elsewhere = api_client_factory(scopes=["risk"], region_code="440100")
    outside = api(client, elsewhere, scored.uscc)
    assert outside.status_code == 404 and outside.json()["error"]["code"] == "unknown_enterprise"
    _, province = api_client_factory(scopes=["risk"], region_code="")
    assert api(client, province, scored.uscc).status_code == 200
    assert api(client, province, "not-a-code").status_code == 404


def test_api_says_not_assessed_for_an_enterprise_never_scored(client, api_client_factory, enterprise_factory):
    e = enterprise_factory()
    _, token = api_client_factory(scopes=["risk"])
    response = api(client, token, e.uscc)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_assessed"
