"""The public portal, the public API and the open data: what an anonymous visitor sees."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from freezegun import freeze_time

from xinjian.core.actors import SYSTEM
from xinjian.disclosure import actions, ratelimit, search
from xinjian.disclosure.exports import export_dir, export_open_data
from xinjian.disclosure.models import OpenDataFile

D = dt.date
NOW = "2025-06-01 04:00:00"  # noon in Shanghai


@pytest.fixture
def world(enterprise_factory, licence_factory, penalty_factory, inspection_factory, complaint_factory):
    """An enterprise with one current penalty, one expired, one withdrawn, one warning,
    a published inspection result, a complaint check and a complaint."""
    e = enterprise_factory(
        name="深圳市华科食品有限公司", legal_representative="张三", registration_no="440301103456789"
    )
    other = enterprise_factory(name="广州华科机械有限公司", region_code="440300")
    licence_factory(e, licence_no="SC10144030500012", created_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    w = {
        "e": e,
        "other": other,
        "current": penalty_factory(
            e,
            decision_no="深市监罚〔2025〕1号",
            published_on=D(2025, 1, 10),
            decision_text="当事人法定代表人张三，身份证号码440305198001011234，电话13812345678。",
        ),
        "expired": penalty_factory(
            e,
            decision_no="深市监罚〔2024〕9号",
            penalty_types=["criticism"],
            fine_amount=None,
            published_on=D(2025, 1, 10),
        ),
        "withdrawn": penalty_factory(
            e, decision_no="深市监罚〔2025〕3号", published_on=D(2025, 1, 10), withdrawn_on=D(2025, 3, 1)
        ),
        "warning": penalty_factory(
            e, decision_no="深市监罚〔2025〕4号", penalty_types=["warning"], published_on=D(2025, 1, 10)
        ),
        "inspection": inspection_factory(e, published_on=D(2025, 3, 10), findings="检查发现标签不规范"),
        "complaint_check": inspection_factory(
            e, kind="complaint", published_on=D(2025, 3, 10), findings="投诉核查MARK-COMPLAINT-CHECK"
        ),
        "complaint": complaint_factory(e, category="MARK-COMPLAINT"),
    }
    search.rebuild()
    return w


@freeze_time(NOW)
def test_api_profile_shows_what_is_public_with_its_dates(client, world):
    r = client.get(f"/api/v1/public/enterprises/{world['e'].uscc}")
    assert r.status_code == 200
    body = r.json()
    assert [p["decision_no"] for p in body["penalties"]] == ["深市监罚〔2025〕1号"]
    pen = body["penalties"][0]
    assert pen["published_on"] == "2025-01-10" and pen["disclosed_until"] == "2028-01-10"
    assert {"decision_no", "decided_on", "decided_by", "domain", "penalty_types", "fine_amount"} <= set(pen)
    assert "440305198001011234" not in r.content.decode() and "13812345678" not in r.content.decode()
    assert "张某" in pen["decision_text"]
    assert len(body["inspections"]) == 1 and body["inspections"][0]["published_on"] == "2025-03-10"
    assert body["licences"][0]["licence_no"] == "SC10144030500012"
    assert body["serious_listing"] is None and body["anomaly_listings"] == []


def test_api_profile_404_for_unknown_or_malformed_uscc(client, db):
    for code in ("91350100M000100Y43", "not-a-code", "91350100M000100Y44"):
        r = client.get(f"/api/v1/public/enterprises/{code}")
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"


def test_api_search_by_two_three_and_four_character_fragments(client, world):
    def names(q):
        r = client.get("/api/v1/public/enterprises", {"q": q})
        assert r.status_code == 200, r.content
        return {x["name"] for x in r.json()["results"]}

    assert names("华科") == {"深圳市华科食品有限公司", "广州华科机械有限公司"}
    assert names("华科食") == {"深圳市华科食品有限公司"}
    assert names("科食品有") == {"深圳市华科食品有限公司"}
    assert names("华科汽车") == set()
    assert names("华科%") == set() and names("华_食") == set()  # LIKE wildcards are literal
    assert names(world["e"].uscc.lower()) == {"深圳市华科食品有限公司"}
    assert names("440301103456789") == {"深圳市华科食品有限公司"}


def test_api_search_rejects_a_one_character_query(client, world):
    r = client.get("/api/v1/public/enterprises", {"q": "华"})
    assert r.status_code == 400
    assert r.json()["error"]["details"][0]["field"] == "q"


def test_search_is_rate_limited_per_client_address(client, world, monkeypatch):
    monkeypatch.setattr(ratelimit, "LIMIT", 3)
    for _ in range(3):
        assert (
            client.get("/api/v1/public/enterprises", {"q": "华科"}, REMOTE_ADDR="10.0.0.1").status_code == 200
        )
    r = client.get("/api/v1/public/enterprises", {"q": "华科"}, REMOTE_ADDR="10.0.0.1")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert client.get("/api/v1/public/enterprises", {"q": "华科"}, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/public/", {"q": "华科"}, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_the_search_index_picks_up_new_and_renamed_enterprises(enterprise_factory, db):
    from django.db import transaction

    from xinjian.core.events import emit

    e = enterprise_factory(name="深圳市初名科技有限公司")
    search.refresh()
    assert [x.pk for x in search.search("初名")] == [e.pk]
    e.name = "深圳市改名科技有限公司"
    e.save()
    with transaction.atomic():
        emit("enterprise.changed", uscc=e.uscc, region_code=e.region_code, data={})
    search.refresh()
    assert search.search("初名") == [] and [x.pk for x in search.search("改名")] == [e.pk]
    assert search.search("初名科") == [] and [x.pk for x in search.search("改名科技")] == [e.pk]
    from xinjian.disclosure.models import SearchGramStat

    assert SearchGramStat.objects.get(gram="初名").n == 0 and SearchGramStat.objects.get(gram="改名").n == 1


@freeze_time(NOW)
def test_enterprise_page_shows_the_key_area_module_and_links_from_search(client, world):
    r = client.get("/public/", {"q": "华科食品"})
    assert r.status_code == 200
    url = f"/public/enterprises/{world['e'].uscc}/"
    assert url in r.content.decode()
    html = client.get(url).content.decode()
    assert "深市监罚〔2025〕1号" in html and "2028-01-10" in html
    for gone in ("深市监罚〔2024〕9号", "深市监罚〔2025〕3号", "深市监罚〔2025〕4号"):
        assert gone not in html
    assert "SC10144030500012" in html and "440305198001011234" not in html


@freeze_time(NOW)
def test_recent_publications_filter_by_region_and_key_area(client, world, penalty_factory):
    penalty_factory(world["other"], decision_no="穗市监罚〔2025〕7号", published_on=D(2025, 5, 20))
    penalty_factory(world["e"], decision_no="深市监罚〔2025〕8号", published_on=D(2025, 5, 21))
    html = client.get("/public/recent/").content.decode()
    assert "穗市监罚〔2025〕7号" in html and "深市监罚〔2025〕8号" in html
    assert "深市监罚〔2025〕1号" not in html  # older than 30 days
    html = client.get("/public/recent/", {"region": "440305"}).content.decode()
    assert "穗市监罚〔2025〕7号" not in html and "深市监罚〔2025〕8号" in html
    from django.utils import timezone

    from xinjian.registry.models import KeyAreaTag

    KeyAreaTag.objects.create(
        enterprise=world["other"], type_id="food_production", source="manual", since=timezone.now()
    )
    html = client.get("/public/recent/", {"key_area": "food_production"}).content.decode()
    assert "穗市监罚〔2025〕7号" in html and "深市监罚〔2025〕8号" not in html
    html = client.get("/public/recent/", {"kind": "inspections"}).content.decode()
    assert "MARK-COMPLAINT-CHECK" not in html


@freeze_time(NOW)
def test_open_data_files_hold_what_is_public_with_checksums(client, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    rows = export_open_data(D(2025, 6, 1), actor=SYSTEM)
    assert {r.filename for r in rows} >= {
        "penalties.csv",
        "penalties.jsonl",
        "inspections.jsonl",
        "data_dictionary.json",
    }
    folder = export_dir(D(2025, 6, 1))
    lines = (folder / "penalties.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["decision_no"] for x in lines] == ["深市监罚〔2025〕1号"]
    for r in rows:
        assert hashlib.sha256((folder / r.filename).read_bytes()).hexdigest() == r.sha256
    assert "SHA256SUMS" in {p.name for p in folder.iterdir()}
    page = client.get("/public/open-data/").content.decode()
    assert "penalties.csv" in page and OpenDataFile.objects.get(filename="penalties.csv").sha256 in page
    dl = client.get("/public/open-data/2025-06-01/penalties.csv")
    assert dl.status_code == 200
    body = b"".join(dl.streaming_content)
    assert hashlib.sha256(body).hexdigest() == OpenDataFile.objects.get(filename="penalties.csv").sha256
    assert client.get("/public/open-data/2025-06-01/../../etc").status_code == 404


@freeze_time(NOW)
def test_no_public_response_contains_a_complaint_or_a_risk_class(client, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    export_open_data(D(2025, 6, 1), actor=SYSTEM)
    uscc = world["e"].uscc
    texts = []
    for url in (
        "/public/",
        f"/public/?q={uscc}",
        "/public/?q=华科",
        f"/public/enterprises/{uscc}/",
        "/public/recent/",
        "/public/recent/?kind=inspections",
        "/public/open-data/",
        "/public/rules/",
        f"/api/v1/public/enterprises/{uscc}",
        "/api/v1/public/enterprises?q=华科",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        texts.append(r.content.decode())
    folder = export_dir(D(2025, 6, 1))
    texts += [p.read_text(encoding="utf-8-sig") for p in folder.iterdir()]
    forbidden = [
        "MARK-COMPLAINT",
        "投诉举报信息：",
        "风险等级",
        "信用风险分类结果：",
        '"risk',
        '"class"',
        "substantiated",
        "received_on",
    ]
    for text in texts:
        for word in forbidden:
            assert word not in text

    def keys(o):
        if isinstance(o, dict):
            for k, v in o.items():
                yield k
                yield from keys(v)
        elif isinstance(o, list):
            for v in o:
                yield from keys(v)

    profile = client.get(f"/api/v1/public/enterprises/{uscc}").json()
    assert not [k for k in keys(profile) if "risk" in k or k in ("class", "complaints", "score")]


@freeze_time(NOW)
def test_an_enterprise_reply_is_shown_beside_its_record_and_staff_can_hide_it(
    client, enterprise_user, penalty_factory, county_officer, django_capture_on_commit_callbacks
):
    ent = enterprise_user.enterprise_user.enterprise
    p = penalty_factory(ent, decision_no="深市监罚〔2025〕5号", published_on=D(2025, 5, 1))
    client.force_login(enterprise_user)
    r = client.post(
        "/public/my/records/", {"record_kind": "penalty", "record_id": p.pk, "text": "已全部整改并缴纳罚款。"}
    )
    assert r.status_code == 302
    client.logout()
    html = client.get(f"/public/enterprises/{ent.uscc}/").content.decode()
    block = html.split('data-decision="深市监罚〔2025〕5号"')[1].split("</article>")[0]
    assert "已全部整改并缴纳罚款。" in block
    assert (
        client.get(f"/api/v1/public/enterprises/{ent.uscc}").json()["penalties"][0]["reply"]["text"]
        == "已全部整改并缴纳罚款。"
    )
    from xinjian.disclosure.models import EnterpriseReply

    reply = EnterpriseReply.objects.get()
    client.force_login(county_officer)
    hide = f"/staff/workflow/disclosure.reply/{reply.pk}/hide/"
    assert f'action="{hide}"' in client.get("/public/staff/replies/").content.decode()  # the button
    with django_capture_on_commit_callbacks(execute=True):  # the cached profile is dropped on commit
        assert (
            client.post(hide, {"reason": "含侮辱性内容", "next": "/public/staff/replies/"}).status_code == 302
        )
    assert client.post(hide, {"reason": "再次提交"}).status_code == 302  # a double submit changes nothing
    reply.refresh_from_db()
    assert reply.status == "hidden" and reply.hidden_reason == "含侮辱性内容"
    assert [h.action for h in reply.history.all()] == ["submit", "hide"]
    show = f"/staff/workflow/disclosure.reply/{reply.pk}/show/"
    assert f'action="{show}"' in client.get("/public/staff/replies/").content.decode()
    client.logout()
    assert "已全部整改" not in client.get(f"/public/enterprises/{ent.uscc}/").content.decode()


@freeze_time(NOW)
def test_an_enterprise_cannot_reply_to_another_enterprises_record(
    enterprise_user, enterprise_factory, penalty_factory
):
    from xinjian.core.errors import DomainError

    other = penalty_factory(enterprise_factory(), published_on=D(2025, 5, 1))
    with pytest.raises(DomainError):
        actions.submit_reply(
            enterprise_user.enterprise_user.enterprise,
            record_kind="penalty",
            record_id=other.pk,
            text="这不是我的处罚。",
            actor=enterprise_user,
        )


def test_rules_page_says_which_rules_are_assumed(client, db):
    html = client.get("/public/rules/").content.decode()
    assert "较低数额罚款上限" in html and "推定" in html and "10000" in html


def test_landing_links_to_public_search(client, db):
    assert "/public/" in client.get("/").content.decode()


@freeze_time(NOW)
def test_a_withdrawn_penalty_leaves_the_cached_profile_at_once(
    client, world, django_capture_on_commit_callbacks
):
    url = f"/api/v1/public/enterprises/{world['e'].uscc}"
    assert len(client.get(url).json()["penalties"]) == 1  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_penalty(world["current"], actor=SYSTEM, reason="复议撤销")
    assert client.get(url).json()["penalties"] == []


@freeze_time(NOW)
def test_list_entries_from_the_lists_contract_appear_on_page_and_api(client, world):
    # Real listing rows read through the lists contract (`lists.disclosure.public_listings`),
    # not a stand-in for it.
    from xinjian.lists.models import (
        AnomalyListing,
        AnomalyStatus,
        ProposalSource,
        SeriousListing,
        SeriousStatus,
    )

    AnomalyListing.objects.create(
        enterprise=world["e"],
        ground="unreachable",
        status=AnomalyStatus.LISTED,
        proposed_on=D(2025, 1, 20),
        listed_on=D(2025, 2, 3),
        decision_no="深市监异〔2025〕1号",
        decided_by="南山区市场监督管理局",
    )
    SeriousListing.objects.create(
        enterprise=world["e"],
        ground="food_safety",
        status=SeriousStatus.PUBLISHED,
        source=ProposalSource.STAFF,
        proposed_on=D(2025, 2, 10),
        decided_on=D(2025, 3, 1),
        decision_no="深市监严〔2025〕2号",
        decided_by="深圳市市场监督管理局",
        published_on=D(2025, 3, 5),
        expires_on=D(2028, 3, 5),
    )
    uscc = world["e"].uscc
    body = client.get(f"/api/v1/public/enterprises/{uscc}").json()
    assert body["anomaly_listings"][0]["listed_on"] == "2025-02-03"
    assert body["serious_listing"]["expires_on"] == "2028-03-05"
    html = client.get(f"/public/enterprises/{uscc}/").content.decode()
    assert "深市监异〔2025〕1号" in html and "2028-03-05" in html
