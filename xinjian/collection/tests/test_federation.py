"""Territory and the record feed inside one instance (interfaces.md v1.1, issue 15). The
hub and two provinces talking to each other: tests/test_federation_live.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import make_uscc
from xinjian.collection.actions import ingest_records
from xinjian.collection.feed import read
from xinjian.collection.models import Penalty
from xinjian.core.actors import Actor
from xinjian.registry.models import Division, Enterprise

pytestmark = pytest.mark.django_db


def _enterprise(region: str, **kw):
    rec = {
        "uscc": make_uscc(region),
        "name": f"测试企业{region}",
        "legal_representative": "张三",
        "established_on": "2015-03-01",
        "region_code": region,
    }
    rec.update(kw)
    return rec


def _penalty(uscc: str, sid: str):
    return {
        "source_id": sid,
        "uscc": uscc,
        "decision_no": f"粤市监罚〔2026〕{sid}号",
        "decided_on": "2026-03-02",
        "decided_by": "深圳市市场监督管理局",
        "domain": "food_safety",
        "violation": "生产不符合食品安全标准的食品",
        "penalty_types": ["warning", "fine"],
        "fine_amount": "12345.60",
    }


def _post(client: Client, token: str, kind: str, records: list[dict]):
    return client.post(
        f"/api/v1/ingest/{kind}",
        {"records": records},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_whole_country_is_loaded_with_abolished_codes_kept():
    assert Division.objects.current().filter(level="province").count() == 34
    assert Division.objects.current().filter(code__startswith="32").count() > 90  # Jiangsu
    baoan = Division.objects.get(code="440321")  # 宝安县, a district since 1992
    assert baoan.valid_to == dt.date(1992, 12, 1)
    assert Division.objects.get(code="440306").valid_to is None


def test_a_province_rejects_enterprises_outside_its_territory(settings, api_client_factory):
    settings.XINJIAN_PROVINCE = "440000"
    _, token = api_client_factory(scopes=["ingest"])
    records = [
        _enterprise("320102"),  # Nanjing: another province
        _enterprise("449999"),  # no such division in Guangdong
        _enterprise("440321"),  # 宝安县, abolished in 1992: an old enterprise keeps it
        _enterprise("440305"),
    ]
    body = _post(Client(), token, "enterprises", records).json()
    assert body["created"] == 2
    assert [(r["index"], r["errors"][0]["field"], r["errors"][0]["code"]) for r in body["rejected"]] == [
        (0, "region_code", "outside_territory"),
        (1, "region_code", "outside_territory"),
    ]
    assert not Enterprise.objects.filter(region_code__in=["320102", "449999"]).exists()
    # Records about an enterprise of another territory stay pending (interfaces.md v1.1).
    body = _post(Client(), token, "penalties", [_penalty(records[0]["uscc"], "P-1")]).json()
    assert body["created"] == 1 and body["pending"][0]["reason"] == "unknown_enterprise"


def test_the_national_hub_takes_every_province_and_nothing_unknown(settings, api_client_factory):
    settings.XINJIAN_PROVINCE = "000000"
    _, token = api_client_factory(scopes=["ingest"])
    body = _post(
        Client(), token, "enterprises", [_enterprise("320102"), _enterprise("650102"), _enterprise("990000")]
    ).json()
    assert body["created"] == 2
    assert body["rejected"][0]["errors"][0]["code"] == "outside_territory"


def test_the_feed_serves_every_change_in_the_ingest_format(api_client_factory):
    e = _enterprise("440305")
    ingest_records("enterprises", [e], actor=Actor("test"), source="gd-registry")
    ingest_records("penalties", [_penalty(e["uscc"], "P-7")], actor=Actor("test"), source="gd-cases")
    elsewhere = make_uscc("320102")
    ingest_records("penalties", [_penalty(elsewhere, "P-8")], actor=Actor("test"), source="gd-cases")
    entries, nxt, head = read(0, 100)
    assert [(x["kind"], x["source"]) for x in entries] == [
        ("enterprises", "gd-registry"),
        ("penalties", "gd-cases"),
        ("penalties", "gd-cases"),  # pending (no enterprise here) and in the feed too
    ]
    p = entries[1]["record"]
    assert (
        p["source_id"] == "P-7" and p["fine_amount"] == 12345.6 and p["penalty_types"] == ["warning", "fine"]
    )
    assert p["decided_on"] == "2026-03-02" and "published_on" not in p
    assert nxt == head >= int(entries[-1]["cursor"])
    # A change to a record comes again at its own, later cursor; nothing before it again.
    Penalty.objects.filter(source_id="P-7").update(fine_amount=1)
    changed = dict(_penalty(e["uscc"], "P-7"), fine_amount="20000")
    ingest_records("penalties", [changed], actor=Actor("test"), source="gd-cases")
    again, nxt2, _ = read(nxt, 100)
    assert [(x["record"]["source_id"], x["record"]["fine_amount"]) for x in again] == [("P-7", 20000)]
    assert int(again[0]["cursor"]) > nxt and read(nxt2, 100)[0] == []


def test_a_regional_token_reads_only_its_region(api_client_factory):
    sz, ns = _enterprise("440305"), _enterprise("440104")
    ingest_records("enterprises", [sz, ns], actor=Actor("test"), source="reg")
    ingest_records(
        "penalties",
        [_penalty(sz["uscc"], "A"), _penalty(ns["uscc"], "B"), _penalty(make_uscc("440305"), "C")],
        actor=Actor("test"),
        source="cases",
    )
    _, token = api_client_factory(scopes=["share"], region_code="440300")
    resp = Client().get("/api/v1/records?after=0&limit=50", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    got = resp.json()
    # Shenzhen's enterprise and its penalty; not Guangzhou's, not the pending one.
    assert [(x["kind"], x["record"]["uscc"]) for x in got["records"]] == [
        ("enterprises", sz["uscc"]),
        ("penalties", sz["uscc"]),
    ]
    assert got["next"] == got["head"]
    _, whole = api_client_factory(scopes=["share"])
    everything = Client().get("/api/v1/records", headers={"Authorization": f"Bearer {whole}"}).json()
    assert len(everything["records"]) == 5


def test_the_feed_leaves_out_what_the_reader_supplied_and_checks_its_input(api_client_factory):
    client, token = api_client_factory(scopes=["share", "ingest"], name="hub")
    ingest_records("enterprises", [_enterprise("440305")], actor=Actor("test"), source="hub")
    auth = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/v1/records", headers=auth).json()["records"] == []
    bad = Client().get("/api/v1/records?after=x", headers=auth)
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "after"
    bad = Client().get("/api/v1/records?limit=1001", headers=auth)
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "limit"
    _, ingest_only = api_client_factory(scopes=["ingest"])
    assert (
        Client().get("/api/v1/records", headers={"Authorization": f"Bearer {ingest_only}"}).status_code == 403
    )


def test_the_federation_page_shows_each_peer_to_province_staff_only(
    client, province_officer, city_officer, django_user_model
):
    from django.utils import timezone

    from xinjian.collection.models import Peer

    Peer.objects.create(name="hub", url="http://127.0.0.1:9", token="t", cursor=40, head=100, pulled=7)
    Peer.objects.create(
        name="js",
        url="http://127.0.0.1:8",
        token="t",
        last_error="PullError: HTTP 401 unauthorized: 令牌无效",
        last_error_at=timezone.now(),
    )
    client.force_login(city_officer)
    assert client.get("/staff/collection/federation/").status_code == 403
    client.force_login(province_officer)
    page = client.get("/staff/collection/federation/").content.decode()
    assert "hub" in page and "60 " in page and "HTTP 401" in page and "t</td>" not in page
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw"))
    assert client.get("/staff/collection/federation/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_reader_never_passes_a_change_that_commits_later_with_a_smaller_cursor():
    """PostgreSQL: a writer holding its transaction open keeps every later writer waiting
    (the event-log lock), so the feed's cursor cannot pass the open change."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    from xinjian.disclosure.actions import publish_penalty

    e = _enterprise("440305")
    ingest_records("enterprises", [e], actor=Actor("test"), source="reg")
    ingest_records("penalties", [_penalty(e["uscc"], "P0")], actor=Actor("test"), source="b")
    _, start, _ = read(0, 100)
    stored, release, b_done = threading.Event(), threading.Event(), threading.Event()

    def writer_a() -> None:
        try:
            with transaction.atomic():
                ingest_records("penalties", [_penalty(e["uscc"], "A")], actor=Actor("a"), source="a")
                stored.set()
                release.wait(30)
        finally:
            connections.close_all()

    def writer_b() -> None:
        # Not an ingest (which would wait on the ingest lock anyway): publishing a stored
        # penalty writes its event under the event-log lock only.
        try:
            publish_penalty(Penalty.objects.get(source_id="P0"), actor=Actor("b"))
            b_done.set()
        finally:
            connections.close_all()

    a = threading.Thread(target=writer_a)
    a.start()
    assert stored.wait(30)
    b = threading.Thread(target=writer_b)
    b.start()
    assert not b_done.wait(1.5)  # B waits for A's commit
    entries, nxt, head = read(start, 100)
    assert entries == [] and nxt == start  # A's change is not visible, and not passed
    release.set()
    a.join(30)
    b.join(30)
    entries, _, _ = read(nxt, 100)
    assert [(x["source"], x["record"]["source_id"]) for x in entries] == [("a", "A"), ("b", "P0")]
    assert entries[1]["record"]["published_on"]


def test_a_demo_province_other_than_guangdong_uses_its_own_cities(settings):
    from xinjian.demo.generator import generate
    from xinjian.demo.users import ensure_demo_users
    from xinjian.registry import models as rm
    from xinjian.registry.seeding import load_departments

    settings.XINJIAN_PROVINCE = "320000"
    load_departments("320000", Division=rm.Division, Department=rm.Department, Office=rm.Office)
    generate(60, 3)
    regions = set(Enterprise.objects.values_list("region_code", flat=True))
    assert regions and all(r.startswith("32") for r in regions)
    assert {r[:4] for r in regions} >= {"3201", "3202"} or len({r[:4] for r in regions}) > 5
    # (This test database holds Guangdong's departments too; a Jiangsu one has only its own.)
    assert "demo_province" in {login.username for login in ensure_demo_users()}
    assert rm.Department.objects.get(staff__user__username="demo_province").division_id == "320000"


def _at(day: str, hour: int = 10):
    """A moment of a Beijing day (UTC+8), for freezegun."""
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00")


def test_the_deciding_province_sees_its_forwarding_clock_end_when_the_hub_reads_past(
    settings, api_client_factory
):
    from freezegun import freeze_time

    from xinjian.collection.crossprovince import outgoing

    settings.XINJIAN_PROVINCE = "440000"
    nanjing = make_uscc("320102")
    with freeze_time(_at("2026-03-03")):
        p1 = dict(_penalty(nanjing, "X1"), decided_on="2026-03-02")  # due 16 March
        p2 = dict(_penalty(nanjing, "X2"), decided_on="2026-03-03")  # due 17 March
        ingest_records("penalties", [p1, p2], actor=Actor("test"), source="gd-cases")
        local = make_uscc("440305")  # about Guangdong's own party: not a crossing
        ingest_records("penalties", [_penalty(local, "X3")], actor=Actor("test"), source="gd-cases")
    _, hub_token = api_client_factory(name="hub", scopes=["share"])
    with freeze_time(_at("2026-03-16")):
        clocks = {c.penalty.source_id: c for c in outgoing()}
        assert set(clocks) == {"X1", "X2"}
        assert clocks["X1"].forward.deadline.due == dt.date(2026, 3, 16)
        assert clocks["X1"].forward.state == "running" and clocks["X1"].publish is None
    with freeze_time(_at("2026-03-17", 9)):
        assert {c.penalty.source_id: c.forward.state for c in outgoing()} == {
            "X1": "overdue",
            "X2": "running",
        }
        auth = {"Authorization": f"Bearer {hub_token}"}
        page = Client().get("/api/v1/records?after=0", headers=auth).json()
        Client().get(f"/api/v1/records?after={page['next']}", headers=auth)  # stored: acknowledged
        clocks = {c.penalty.source_id: c for c in outgoing()}
    assert clocks["X1"].forward.done_on == dt.date(2026, 3, 17) and clocks["X1"].forward.state == "late"
    assert clocks["X2"].forward.state == "on_time"  # forwarded on its last day
    assert clocks["X2"].publish.state == "elsewhere"
    assert clocks["X2"].publish.deadline.due == dt.date(2026, 3, 31)


def test_the_registration_province_publishes_within_10_working_days_of_arrival(
    settings, enterprise_factory, client, province_officer
):
    from freezegun import freeze_time

    from xinjian.collection.crossprovince import incoming
    from xinjian.collection.ingest.engine import Ingestion
    from xinjian.collection.ingest.kinds import KINDS
    from xinjian.collection.models import Peer
    from xinjian.disclosure.actions import publish_penalty

    settings.XINJIAN_PROVINCE = "440000"
    ours = enterprise_factory(region_code="440305")
    Peer.objects.create(name="hub", url="http://127.0.0.1:9", token="t")
    with freeze_time(_at("2026-03-05")):
        records = [
            dict(
                _penalty(ours.uscc, "gd/js-cases/Y1"),
                decided_on="2026-03-02",
                decided_by="南京市市场监督管理局",
            ),
            dict(
                _penalty(ours.uscc, "gd/js-cases/Y2"),
                decided_on="2026-03-02",
                decided_by="南京市市场监督管理局",
            ),
        ]
        Ingestion(KINDS["penalties"], source="hub", actor=Actor("peer:hub")).run(records)
    with freeze_time(_at("2026-03-19")):
        c = {x.penalty.source_id: x for x in incoming()}
        assert c["gd/js-cases/Y1"].forward.state == "on_time"  # arrived 5 March, due 16 March
        assert c["gd/js-cases/Y1"].publish.deadline.due == dt.date(2026, 3, 19)
        assert c["gd/js-cases/Y1"].publish.state == "running"
        publish_penalty(Penalty.objects.get(source_id="gd/js-cases/Y1"), actor=Actor("test"))
    with freeze_time(_at("2026-03-20")):
        assert {x.penalty.source_id: x.publish.state for x in incoming()} == {
            "gd/js-cases/Y1": "on_time",
            "gd/js-cases/Y2": "overdue",
        }
        publish_penalty(Penalty.objects.get(source_id="gd/js-cases/Y2"), actor=Actor("test"))
        assert {x.penalty.source_id: x.publish.state for x in incoming()}["gd/js-cases/Y2"] == "late"
        client.force_login(province_officer)
        page = client.get("/staff/collection/federation/").content.decode()
    assert page.count("外省作出，本省公示") == 2 and "逾期完成" in page and "按时完成" in page


def test_records_stored_without_events_enter_the_feed_once_by_backfill():
    from django.core.management import CommandError, call_command

    from xinjian.collection.ingest.kinds import KINDS
    from xinjian.demo.generator import generate

    generate(40, 5)  # the demo generator writes its tables directly, without events

    def fed() -> dict[str, int]:
        out: dict[str, int] = {}
        after = 0
        while True:
            entries, nxt, head = read(after, 1000)
            for e in entries:
                out[e["kind"]] = out.get(e["kind"], 0) + 1
            if nxt == after or nxt >= head:
                return out
            after = nxt

    assert fed().get("enterprises", 0) == 0
    call_command("federation_backfill")
    stored = {name: k.model.objects.count() for name, k in KINDS.items()}  # type: ignore[attr-defined]
    assert stored["enterprises"] >= 40 and stored["penalties"] > 0
    got = fed()
    assert {k: got.get(k, 0) for k in stored} == stored
    with pytest.raises(CommandError):
        call_command("federation_backfill")


def _receipts(token: str, after: int = 0):
    page = Client().get(f"/api/v1/records?after={after}", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.content
    return page.json()


def test_the_registration_province_sends_a_receipt_instead_of_the_record(
    settings, enterprise_factory, api_client_factory
):
    """Jiangsu (B) holds a penalty Guangdong decided about its enterprise, received from
    the hub: the hub's token does not get the record back, it gets a receipt — arrival,
    then publication — under the key the hub composed."""
    from freezegun import freeze_time

    from xinjian.collection.ingest.engine import Ingestion
    from xinjian.collection.ingest.kinds import KINDS
    from xinjian.disclosure.actions import publish_penalty

    settings.XINJIAN_PROVINCE = "320000"
    ours = enterprise_factory(region_code="320102")
    with freeze_time(_at("2026-03-05")):
        Ingestion(KINDS["penalties"], source="hub", actor=Actor("peer:hub")).run(
            [dict(_penalty(ours.uscc, "gd/gd-cases/X1"), decided_on="2026-03-02")]
        )
    _, token = api_client_factory(name="hub", scopes=["share"])
    page = _receipts(token)
    assert page["records"] == []  # (the factory's enterprise was stored without an event)
    [r] = page["receipts"]
    assert r == {
        "cursor": r["cursor"],
        "source": "hub",
        "kind": "penalties",
        "source_id": "gd/gd-cases/X1",
        "uscc": ours.uscc,
        "received_on": "2026-03-05",
        "delivered_on": "2026-03-05",
        "published_on": None,
    }
    with freeze_time(_at("2026-03-10")):
        publish_penalty(Penalty.objects.get(source="hub"), actor=Actor("test"))
    later = _receipts(token, int(page["next"]))
    assert later["records"] == [] and [r["published_on"] for r in later["receipts"]] == ["2026-03-10"]
    # Another reader sees the record itself, no receipt (it did not supply it).
    _, other = api_client_factory(name="other", scopes=["share"])
    got = _receipts(other)
    assert got["receipts"] == [] and [e["source"] for e in got["records"]] == ["hub"]


def test_the_hub_keeps_the_registration_provinces_receipt_and_passes_it_to_the_decider(
    settings, enterprise_factory, api_client_factory
):
    from freezegun import freeze_time

    from xinjian.collection.actions import record_receipts
    from xinjian.collection.ingest.engine import Ingestion
    from xinjian.collection.ingest.kinds import KINDS
    from xinjian.core.errors import DomainError

    settings.XINJIAN_PROVINCE = "000000"
    nanjing = enterprise_factory(region_code="320102")
    with freeze_time(_at("2026-03-04")):
        Ingestion(KINDS["penalties"], source="gd", actor=Actor("peer:gd")).run(
            [dict(_penalty(nanjing.uscc, "gd-cases/X1"), decided_on="2026-03-02")]
        )
    _, gd = api_client_factory(name="gd", scopes=["share"], region_code="440000")
    _, js = api_client_factory(name="js", scopes=["share"], region_code="320000")
    start = _receipts(gd)
    assert start["records"] == [] and start["receipts"] == []  # about Jiangsu: not Guangdong's region
    js_start = _receipts(js)
    assert [e["source"] for e in js_start["records"]] == ["gd"]
    receipt = {
        "kind": "penalties",
        "source_id": "gd/gd-cases/X1",
        "uscc": nanjing.uscc,
        "received_on": "2026-03-05",
        "delivered_on": "2026-03-05",
        "published_on": "2026-03-10",
    }
    with pytest.raises(DomainError) as bad:
        record_receipts("js", [dict(receipt, published_on="10/03/2026")], actor=Actor("peer:js"))
    assert bad.value.details[0]["field"] == "receipts[0].published_on"
    assert (
        record_receipts("js", [receipt, dict(receipt, source_id="gd/unknown")], actor=Actor("peer:js")) == 1
    )
    assert record_receipts("js", [receipt], actor=Actor("peer:js")) == 0  # idempotent
    relayed = _receipts(gd, int(start["next"]))
    assert relayed["records"] == []
    assert [
        (r["source_id"], r["received_on"], r["delivered_on"], r["published_on"]) for r in relayed["receipts"]
    ] == [("gd-cases/X1", "2026-03-04", "2026-03-05", "2026-03-10")]
    assert _receipts(js, int(js_start["next"])) == {
        "records": [],
        "receipts": [],
        "next": relayed["next"],
        "head": relayed["head"],
    }


def test_the_deciding_province_shows_the_publication_clock_from_the_receipt(
    settings, api_client_factory, client, province_officer
):
    from freezegun import freeze_time

    from xinjian.collection.actions import record_receipts
    from xinjian.collection.crossprovince import outgoing

    settings.XINJIAN_PROVINCE = "440000"
    nanjing = make_uscc("320102")
    with freeze_time(_at("2026-03-03")):
        ingest_records(
            "penalties",
            [
                dict(_penalty(nanjing, "X1"), decided_on="2026-03-02"),
                dict(_penalty(nanjing, "X2"), decided_on="2026-03-02"),
            ],
            actor=Actor("test"),
            source="gd-cases",
        )
    back = {"kind": "penalties", "uscc": nanjing, "received_on": "2026-03-04", "delivered_on": "2026-03-05"}
    with freeze_time(_at("2026-03-20")):
        record_receipts(
            "hub",
            [
                dict(back, source_id="gd-cases/X1", published_on="2026-03-19"),
                dict(back, source_id="gd-cases/X2"),
            ],
            actor=Actor("peer:hub"),
        )
        c = {x.penalty.source_id: x for x in outgoing()}
        client.force_login(province_officer)
        page = client.get("/staff/collection/federation/").content.decode()
    assert c["X1"].forward.done_on == dt.date(2026, 3, 4) and c["X1"].forward.state == "on_time"
    assert c["X1"].publish.deadline.due == dt.date(2026, 3, 19)  # 10 working days from 5 March
    assert c["X1"].publish.done_on == dt.date(2026, 3, 19) and c["X1"].publish.state == "on_time"
    assert c["X2"].publish.state == "overdue"
    assert page.count("本省作出，转送外省") == 2 and "2026-03-19" in page and "已逾期" in page


def test_the_hub_shows_the_crossings_it_carries_with_the_registration_provinces_dates(
    settings, enterprise_factory, admin_client
):
    from freezegun import freeze_time

    from xinjian.collection.actions import record_receipts
    from xinjian.collection.crossprovince import relayed
    from xinjian.collection.ingest.engine import Ingestion
    from xinjian.collection.ingest.kinds import KINDS
    from xinjian.collection.models import Peer

    settings.XINJIAN_PROVINCE = "000000"
    for name in ("gd", "js"):
        Peer.objects.create(name=name, url="http://127.0.0.1:9", token="t")
    nanjing = enterprise_factory(region_code="320102", source="js")
    shenzhen = enterprise_factory(region_code="440305", source="gd")
    with freeze_time(_at("2026-03-04")):
        Ingestion(KINDS["penalties"], source="gd", actor=Actor("peer:gd")).run(
            [
                dict(_penalty(nanjing.uscc, "gd-cases/X1"), decided_on="2026-03-02"),
                dict(_penalty(nanjing.uscc, "gd-cases/X2"), decided_on="2026-03-02"),
                dict(_penalty(shenzhen.uscc, "gd-cases/X3"), decided_on="2026-03-02"),  # not a crossing
            ]
        )
    back = {"kind": "penalties", "uscc": nanjing.uscc, "received_on": "2026-03-05"}
    record_receipts(
        "js",
        [dict(back, source_id="gd/gd-cases/X1", delivered_on="2026-03-05", published_on="2026-03-10")],
        actor=Actor("peer:js"),
    )
    with freeze_time(_at("2026-03-17")):
        c = {x.penalty.source_id: x for x in relayed()}
        page = admin_client.get("/staff/collection/federation/").content.decode()
    assert set(c) == {"gd-cases/X1", "gd-cases/X2"}
    assert (
        c["gd-cases/X1"].forward.done_on == dt.date(2026, 3, 5)
        and c["gd-cases/X1"].forward.state == "on_time"
    )
    assert c["gd-cases/X1"].publish.state == "on_time" and c["gd-cases/X1"].publish.done_on == dt.date(
        2026, 3, 10
    )
    assert c["gd-cases/X2"].forward.state == "overdue" and c["gd-cases/X2"].publish is None
    assert page.count("经本平台转送") == 2 and "gd → js" in page
