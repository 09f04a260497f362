"""Issue 13 item 1: a token limited to a region reads and writes only records about the
enterprises of that region, on every endpoint. Writes outside it are rejected record by
record (`field: uscc`, `code: outside_region`); reads outside it are 404, like an unknown
enterprise."""

import pytest

from xinjian.collection.models import Complaint, Licence
from xinjian.collection.tests import helpers
from xinjian.registry.models import Enterprise
from xinjian.sharing.models import Feedback

pytestmark = pytest.mark.django_db

NANSHAN, YUEXIU = "440305", "440104"


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def nanshan_and_yuexiu(enterprise_factory):
    return enterprise_factory(region_code=NANSHAN), enterprise_factory(region_code=YUEXIU)


def _ingest(client, token, kind, records):
    r = client.post(
        f"/api/v1/ingest/{kind}", {"records": records}, content_type="application/json", **_auth(token)
    )
    assert r.status_code == 200, r.content
    return r.json()


def _outside(body, index, field="uscc"):
    [reject] = [r for r in body["rejected"] if r["index"] == index]
    assert reject["errors"] == [
        {"field": field, "code": "outside_region", "message": reject["errors"][0]["message"]}
    ]


def test_a_regional_token_ingests_complaints_only_about_its_region(
    client, api_client_factory, nanshan_and_yuexiu
):
    mine, other = nanshan_and_yuexiu
    _, token = api_client_factory(scopes=["ingest"], region_code=NANSHAN)
    records = [
        {"source_id": "C-1", "uscc": mine.uscc, "received_on": "2026-03-01"},
        {"source_id": "C-2", "uscc": other.uscc, "received_on": "2026-03-01"},
    ]
    body = _ingest(client, token, "complaints", records)
    assert body["created"] == 1 and len(body["rejected"]) == 1
    _outside(body, 1)
    assert list(Complaint.objects.values_list("uscc", flat=True)) == [mine.uscc]


def test_a_city_token_covers_its_counties_and_an_unbound_token_everything(
    client, api_client_factory, nanshan_and_yuexiu
):
    mine, other = nanshan_and_yuexiu
    _, city = api_client_factory(scopes=["ingest"], region_code="440300")
    _, whole = api_client_factory(scopes=["ingest"])
    assert _ingest(client, city, "licences", [helpers.licence(mine.uscc)])["created"] == 1
    _outside(_ingest(client, city, "licences", [helpers.licence(other.uscc)]), 0)
    assert _ingest(client, whole, "licences", [helpers.licence(other.uscc)])["created"] == 1
    assert Licence.objects.count() == 2


def test_a_record_about_an_unregistered_enterprise_is_judged_by_its_uscc(client, api_client_factory):
    from tests.factories import make_uscc

    _, token = api_client_factory(scopes=["ingest"], region_code=NANSHAN)
    inside, outside = make_uscc(NANSHAN), make_uscc(YUEXIU)
    body = _ingest(client, token, "penalties", [helpers.penalty(inside), helpers.penalty(outside)])
    assert body["created"] == 1 and [p["index"] for p in body["pending"]] == [0]
    _outside(body, 1)


def test_a_regional_token_can_neither_register_nor_move_an_enterprise_elsewhere(
    client, api_client_factory, nanshan_and_yuexiu
):
    from tests.factories import make_uscc

    _, other = nanshan_and_yuexiu
    _, token = api_client_factory(scopes=["ingest"], region_code=NANSHAN)
    foreign = helpers.enterprise(make_uscc(YUEXIU))
    moved = helpers.enterprise(other.uscc, region_code=NANSHAN)
    body = _ingest(client, token, "enterprises", [foreign, moved])
    assert body["created"] == 0 and body["updated"] == 0
    _outside(body, 0, field="region_code")
    _outside(body, 1, field="uscc")
    other.refresh_from_db()
    assert other.region_code == YUEXIU and not Enterprise.objects.filter(uscc=foreign["uscc"]).exists()


def test_feedback_about_another_region_is_refused(client, api_client_factory, nanshan_and_yuexiu):
    mine, other = nanshan_and_yuexiu
    _, token = api_client_factory(scopes=["changes"], region_code=NANSHAN)

    def post(uscc):
        body = {
            "uscc": uscc,
            "measure": "no_procurement",
            "action_taken": "取消投标资格",
            "applied_on": "2026-05-06",
        }
        return client.post("/api/v1/feedback", body, content_type="application/json", **_auth(token))

    r = post(other.uscc)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "outside_region"
    assert r.json()["error"]["details"][0]["field"] == "uscc"
    assert not Feedback.objects.exists()
    assert post(mine.uscc).status_code == 201
    assert list(Feedback.objects.values_list("uscc", flat=True)) == [mine.uscc]


@pytest.mark.parametrize(
    "scope,path",
    [
        ("constraints", "/api/v1/enterprises/{uscc}/constraints"),
        ("risk", "/api/v1/enterprises/{uscc}/risk"),
        ("share", "/api/v1/enterprises/{uscc}/repairs"),
        ("share", "/api/v1/enterprises/{uscc}/commitments"),
    ],
)
def test_reads_outside_the_region_are_404(client, api_client_factory, nanshan_and_yuexiu, scope, path):
    mine, other = nanshan_and_yuexiu
    _, regional = api_client_factory(scopes=[scope], region_code=NANSHAN)
    _, whole = api_client_factory(scopes=[scope])
    outside = client.get(path.format(uscc=other.uscc), **_auth(regional))
    assert outside.status_code == 404
    unknown = client.get(path.format(uscc="91440104MA0000000X"), **_auth(regional))
    # Outside the region looks exactly like an enterprise that does not exist.
    assert outside.json()["error"]["code"] == unknown.json()["error"]["code"]
    if scope != "risk":  # the risk endpoint 404s an enterprise that has no assessment yet
        assert client.get(path.format(uscc=other.uscc), **_auth(whole)).status_code == 200
        assert client.get(path.format(uscc=mine.uscc), **_auth(regional)).status_code == 200
    else:  # found in the region, only not classified yet
        r = client.get(path.format(uscc=mine.uscc), **_auth(regional))
        assert r.json()["error"]["code"] == "not_assessed"


def test_a_client_reads_only_its_own_ingest_batches(client, api_client_factory, nanshan_and_yuexiu):
    mine, _ = nanshan_and_yuexiu
    _, first = api_client_factory(scopes=["ingest"], region_code=NANSHAN)
    _, second = api_client_factory(scopes=["ingest"], region_code=NANSHAN)
    batch = _ingest(client, first, "licences", [helpers.licence(mine.uscc)])["batch_id"]
    assert client.get(f"/api/v1/ingest/batches/{batch}", **_auth(first)).status_code == 200
    assert client.get(f"/api/v1/ingest/batches/{batch}", **_auth(second)).status_code == 404
