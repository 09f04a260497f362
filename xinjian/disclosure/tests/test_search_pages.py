"""Public search gives the true number of matches, pages and filters (issue 14 item 5), on
the page and in the API (`enterprises?q=` keeps its v1.0 shape and gains count/page/next)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xinjian.disclosure import search
from xinjian.registry.models import KeyAreaTag, KeyAreaType


@pytest.fixture
def many(enterprise_factory):
    """216 food makers named alike: 150 in 440305 (Nanshan), 66 in 440104 (Yuexiu) of which
    6 are cancelled; the first 10 Nanshan ones are tagged with the first key-area type."""
    made = []
    for n in range(216):
        region = "440305" if n < 150 else "440104"
        status = "cancelled" if n >= 210 else "operating"
        made.append(enterprise_factory(name=f"同名食品第{n}分厂", region_code=region, status=status))
    kind = KeyAreaType.objects.order_by("sort_order", "code").first()
    for e in made[:10]:
        KeyAreaTag.objects.create(enterprise=e, type=kind, source="licence", since=timezone.now())
    search.rebuild()
    return {"all": made, "kind": kind}


def test_the_page_says_how_many_match_and_pages_through_all_of_them(client, many):
    r = client.get("/public/", {"q": "同名"})
    html = r.content.decode()
    assert r.status_code == 200 and "找到 216 家" in html and "第 1 / 11 页" in html
    seen = []
    for page in range(1, 12):
        found = client.get("/public/", {"q": "同名食品", "page": page}).context["found"]
        assert found.count == 216 and found.count_exact
        seen += [e.pk for e in found.results]
    assert seen == [e.pk for e in many["all"]]  # every match once, in register order


def test_filters_narrow_the_count_and_the_results(client, many):
    ctx = client.get("/public/", {"q": "同名", "region": "440104"}).context
    assert ctx["found"].count == 66 and all(e.region_code == "440104" for e in ctx["found"].results)
    assert client.get("/public/", {"q": "同名", "region": "440100"}).context["found"].count == 66  # city
    assert client.get("/public/", {"q": "同名", "status": "cancelled"}).context["found"].count == 6
    found = client.get("/public/", {"q": "同名食品", "key_area": many["kind"].code}).context["found"]
    assert found.count == 10 and {e.pk for e in found.results} == {e.pk for e in many["all"][:10]}
    html = client.get("/public/", {"q": "同名", "region": "440104", "page": 2}).content.decode()
    assert "region=440104&amp;page=4" in html and "page=5" not in html  # 66 = 4 pages, filters kept


def test_bad_filters_and_pages_are_field_errors_not_500(client, many):
    for params, fld in (
        ({"region": "44x"}, "region"),
        ({"key_area": "nope"}, "key_area"),
        ({"status": "dead"}, "status"),
        ({"page": 0}, "page"),
        ({"page": 999}, "page"),
    ):
        r = client.get("/api/v1/public/enterprises", {"q": "同名", **params})
        assert r.status_code == 400, params
        assert r.json()["error"]["details"][0]["field"] == fld
        assert client.get("/public/", {"q": "同名", **params}).status_code == 400
    assert client.get("/public/", {"q": "同名", "page": "x"}).status_code == 400


def test_api_keeps_its_shape_and_adds_count_page_and_next(client, many):
    body = client.get("/api/v1/public/enterprises", {"q": "同名"}).json()
    assert len(body["results"]) == 50  # v1.0 clients still get the first 50
    assert set(body["results"][0]) == {"uscc", "name", "region_code", "status", "key_areas"}
    assert body["count"] == 216 and body["count_exact"] and body["page"] == 1
    got = [r["uscc"] for r in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        got += [r["uscc"] for r in body["results"]]
    assert got == [e.uscc for e in many["all"]]
    last = client.get("/api/v1/public/enterprises", {"q": "同名", "page": 5}).json()
    assert len(last["results"]) == 16 and last["next"] is None
    small = client.get(
        "/api/v1/public/enterprises",
        {"q": "同名", "page_size": 10, "region": "440104", "status": "cancelled"},
    ).json()
    assert small["count"] == 6 and small["next"] is None


def test_a_count_beyond_the_cap_is_said_as_more_than(client, many, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 100)
    found = client.get("/public/", {"q": "同名"}).context["found"]
    assert found.count == 101 and not found.count_exact
    assert "找到超过 100 家" in client.get("/public/", {"q": "同名"}).content.decode()
    assert client.get("/api/v1/public/enterprises", {"q": "同名"}).json()["count_exact"] is False


def test_uscc_search_goes_through_the_same_filters(client, many):
    e = many["all"][0]
    assert client.get("/api/v1/public/enterprises", {"q": e.uscc}).json()["count"] == 1
    r = client.get("/api/v1/public/enterprises", {"q": e.uscc, "region": "440104"}).json()
    assert r["count"] == 0 and r["results"] == []
