import pytest
from django.db import transaction

from xinjian.core.events import EventType, emit
from xinjian.sharing.models import Feedback

pytestmark = pytest.mark.django_db


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_changes_reads_shareable_events_in_order_by_cursor(client, api_client_factory):
    _, token = api_client_factory(scopes=["changes"])
    with transaction.atomic():
        a = emit(EventType.LISTING_ADDED, uscc="A" * 18, region_code="440305", data={"list": "serious"})
        emit(EventType.COMPLAINT_RECORDED, uscc="A" * 18, region_code="440305")
        b = emit(EventType.PENALTY_PUBLISHED, uscc="B" * 18, region_code="440106")
    body = client.get("/api/v1/changes", {"after": "0", "limit": 1}, **_auth(token)).json()
    assert [e["cursor"] for e in body["events"]] == [str(a.id)] and body["next"] == str(a.id)
    assert set(body["events"][0]) == {"cursor", "type", "uscc", "occurred_at", "data"}
    body = client.get("/api/v1/changes", {"after": body["next"]}, **_auth(token)).json()
    assert [e["type"] for e in body["events"]] == ["penalty.published"] and body["next"] == str(b.id)
    body = client.get("/api/v1/changes", {"after": body["next"]}, **_auth(token)).json()
    assert body == {"events": [], "next": str(b.id)}


def test_changes_needs_the_scope_and_a_valid_cursor(client, api_client_factory):
    _, token = api_client_factory(scopes=["ingest"])
    assert client.get("/api/v1/changes").status_code == 401
    assert client.get("/api/v1/changes", **_auth(token)).status_code == 403
    _, token = api_client_factory(scopes=["changes"])
    r = client.get("/api/v1/changes", {"after": "abc"}, **_auth(token))
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "after"


def test_a_regional_client_reads_only_its_region(client, api_client_factory):
    _, token = api_client_factory(scopes=["changes"], region_code="440300")
    with transaction.atomic():
        emit(EventType.LISTING_ADDED, uscc="A" * 18, region_code="440305")
        emit(EventType.LISTING_ADDED, uscc="B" * 18, region_code="440106")
    body = client.get("/api/v1/changes", **_auth(token)).json()
    assert [e["uscc"] for e in body["events"]] == ["A" * 18]


def test_receivers_report_the_measure_they_applied(client, api_client_factory, enterprise_factory):
    e = enterprise_factory()
    _, token = api_client_factory(scopes=["changes"])
    r = client.post(
        "/api/v1/feedback",
        {
            "uscc": e.uscc,
            "measure": "no_procurement",
            "action_taken": "取消投标资格",
            "applied_on": "2026-05-06",
        },
        content_type="application/json",
        **_auth(token),
    )
    assert r.status_code == 201, r.content
    assert Feedback.objects.get().measure == "no_procurement"
    r = client.post(
        "/api/v1/feedback",
        {"uscc": "9" * 18, "measure": "x", "action_taken": "y", "applied_on": "2026-05-06"},
        content_type="application/json",
        **_auth(token),
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "uscc"


def test_feedback_with_a_nul_character_is_bad_input_not_a_server_error(
    client, api_client_factory, enterprise_factory
):
    e = enterprise_factory()
    _, token = api_client_factory(scopes=["changes"])
    r = client.post(
        "/api/v1/feedback",
        {"uscc": e.uscc, "measure": "x\x00", "action_taken": "y", "applied_on": "2026-05-06"},
        content_type="application/json",
        **_auth(token),
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "measure"
