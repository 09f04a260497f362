"""Credit reports (domain.md §13, docs/adr/0066): what an anonymous visitor gets, how a
partner verifies it later, and what never appears in it."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from freezegun import freeze_time

from xinjian.core.models import AuditEntry, Event
from xinjian.disclosure import queries, ratelimit
from xinjian.sharing import reports
from xinjian.sharing.models import CreditReport

D = dt.date
NOW = "2025-06-01 04:00:00"  # noon in Shanghai
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Profiles, rule versions and rate-limit counters live in the cache: start cold."""
    from django.core.cache import caches

    from xinjian.disclosure import rules

    caches["default"].clear()
    rules.invalidate()
    yield
    caches["default"].clear()
    rules.invalidate()


@pytest.fixture
def world(enterprise_factory, licence_factory):
    """An enterprise with a current penalty (its decision text names the legal
    representative and an ID number), one past its period, one withdrawn, a published
    inspection result, a complaint check and a complaint."""
    from xinjian.collection.models import Complaint, Inspection, Penalty

    e = enterprise_factory(name="深圳市报告测试食品有限公司", legal_representative="张三")
    licence_factory(e, licence_no="SC10144030500099", created_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    common = {
        "enterprise": e,
        "uscc": e.uscc,
        "source": "test",
        "decided_on": D(2025, 1, 6),
        "decided_by": "深圳市市场监督管理局",
        "domain": "food_safety",
        "violation": "生产经营不符合食品安全标准的食品",
        "status": "in_force",
    }
    w = {
        "e": e,
        "current": Penalty.objects.create(
            source_id="R-1",
            decision_no="深市监罚〔2025〕101号",
            penalty_types=["fine"],
            fine_amount=50000,
            published_on=D(2025, 1, 10),
            decision_text="当事人法定代表人张三，身份证号码440305198001011234。",
            **common,
        ),
        "expired": Penalty.objects.create(
            source_id="R-2",
            decision_no="深市监罚〔2024〕102号",
            penalty_types=["criticism"],
            published_on=D(2025, 1, 10),
            **common,
        ),
        "withdrawn": Penalty.objects.create(
            source_id="R-3",
            decision_no="深市监罚〔2025〕103号",
            penalty_types=["fine"],
            fine_amount=1000,
            published_on=D(2025, 1, 10),
            withdrawn_on=D(2025, 3, 1),
            **common,
        ),
        "inspection": Inspection.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source="test",
            source_id="RI-1",
            inspected_on=D(2025, 3, 3),
            inspected_by="南山区市场监督管理局",
            kind="random",
            result="corrected",
            published_on=D(2025, 3, 10),
        ),
        "complaint_check": Inspection.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source="test",
            source_id="RI-2",
            inspected_on=D(2025, 3, 3),
            inspected_by="南山区市场监督管理局",
            kind="complaint",
            result="corrected",
            published_on=D(2025, 3, 10),
            findings="投诉核查MARK-COMPLAINT-CHECK",
        ),
        "complaint": Complaint.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source="test",
            source_id="RC-1",
            received_on=D(2025, 2, 1),
            category="MARK-COMPLAINT",
            substantiated=True,
        ),
    }
    return w


def issue_on_web(client, uscc):
    """Press 获取信用报告 on the profile: returns (number, code, report page response)."""
    r = client.post(f"/public/reports/issue/{uscc}/")
    assert r.status_code == 302, r.content
    parts = urlsplit(r["Location"])
    number = parts.path.rstrip("/").rsplit("/", 1)[-1]
    code = parse_qs(parts.query)["code"][0]
    return number, code, client.get(r["Location"])


def pdf_text(body: bytes) -> str:
    """The text a PDF shows, as a reader extracts it (pypdf reads the embedded subset
    fonts' ToUnicode maps): what is printed, not what the source said."""
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).replace("\n", "")


def pdf_fonts(body: bytes) -> dict[str, bool]:
    """Each font the PDF uses → whether its file is embedded (FontFile/FontFile2/FontFile3)."""
    import io

    from pypdf import PdfReader

    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(body)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


@freeze_time(NOW)
def test_the_profile_offers_a_report_with_a_number_and_a_code(client, world):
    e = world["e"]
    page = client.get(f"/public/enterprises/{e.uscc}/")
    assert f'action="/public/reports/issue/{e.uscc}/"' in page.content.decode()

    number, code, r = issue_on_web(client, e.uscc)
    assert number == "XJ-440000-20250601-000001"
    assert re.fullmatch(r"[A-Z2-7]{12}", code)
    html = r.content.decode()
    assert r.status_code == 200
    assert number in html and reports.display_code(code) in html
    assert "2025-06-01 12:00:00" in html  # issued at, Asia/Shanghai
    assert "/pdf/?code=" in html and "/public/reports/verify/?number=" in html

    number2, _code2, _r = issue_on_web(client, e.uscc)
    assert number2 == "XJ-440000-20250601-000002"  # sequential within the day
    with freeze_time("2025-06-01 16:30:00"):  # 00:30 on 2 June in Shanghai
        number3, _c, _r = issue_on_web(client, e.uscc)
    assert number3 == "XJ-440000-20250602-000001"


@freeze_time(NOW)
def test_report_content_is_the_public_profile(client, world):
    e = world["e"]
    number, code, r = issue_on_web(client, e.uscc)
    html = r.content.decode()
    assert "深市监罚〔2025〕101号" in html
    assert "深市监罚〔2024〕102号" not in html  # a criticism is shown three months only
    assert "深市监罚〔2025〕103号" not in html  # withdrawn
    assert "440305198001011234" not in html and "张某" in html  # redacted as on the profile
    assert "SC10144030500099" in html

    content = reports.verify(number, code).content
    profile = client.get(f"/api/v1/public/enterprises/{e.uscc}").json()
    snap = content["profile"]
    for key in (
        "uscc",
        "name",
        "legal_representative",
        "established_on",
        "region_code",
        "status",
        "key_areas",
    ):
        assert snap[key] == profile[key]
    assert [p["decision_no"] for p in snap["penalties"]] == [p["decision_no"] for p in profile["penalties"]]
    assert snap["penalties"][0]["published_on"] == "2025-01-10"
    assert snap["penalties"][0]["disclosed_until"] == "2028-01-10"
    assert snap["penalties"][0]["decision_text"] == profile["penalties"][0]["decision_text"]
    assert [i["inspected_on"] for i in snap["inspections"]] == [
        i["inspected_on"] for i in profile["inspections"]
    ]
    assert [x["licence_no"] for x in snap["licences"]] == ["SC10144030500099"]
    assert snap["anomaly_listings"] == [] and snap["serious_listing"] is None
    assert content["number"] == number and content["as_of"] == "2025-06-01"


@freeze_time(NOW)
def test_listings_in_force_appear_in_the_report(client, world):
    from xinjian.lists.models import AnomalyListing, AnomalyStatus

    e = world["e"]
    AnomalyListing.objects.create(
        enterprise=e,
        ground="unreachable",
        status=AnomalyStatus.LISTED,
        proposed_on=D(2025, 4, 20),
        listed_on=D(2025, 5, 6),
        decision_no="深市监异〔2025〕7号",
        decided_by="深圳市市场监督管理局",
    )
    number, code, r = issue_on_web(client, e.uscc)
    assert "深市监异〔2025〕7号" in r.content.decode()
    listing = reports.verify(number, code).content["profile"]["anomaly_listings"][0]
    assert listing["listed_on"] == "2025-05-06" and listing["decision_no"] == "深市监异〔2025〕7号"


@freeze_time(NOW)
def test_no_report_output_contains_a_complaint_or_a_risk_class(client, world):
    e = world["e"]
    number, code, page = issue_on_web(client, e.uscc)
    api = client.post(f"/api/v1/public/enterprises/{e.uscc}/reports")
    assert api.status_code == 201
    got = api.json()
    texts = [
        page.content.decode(),
        client.get("/public/reports/verify/", {"number": number, "code": code}).content.decode(),
        api.content.decode(),
        client.get(f"/api/v1/public/reports/{got['number']}", {"code": got["code"]}).content.decode(),
        CreditReport.objects.get(number=number).canonical,
        pdf_text(client.get(f"/public/reports/{number}/pdf/", {"code": code}).content),
    ]
    assert "深圳市报告测试食品有限公司" in texts[-1]  # the PDF's text was really read
    forbidden = [
        "MARK-COMPLAINT",
        "投诉举报",
        "风险等级",
        "风险分类",
        "信用风险",
        '"risk',
        '"class"',
        '"score"',
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

    content = reports.verify(number, code).content
    assert not [k for k in keys(content) if "risk" in k or k in ("class", "complaints", "score")]


@freeze_time(NOW)
def test_verification_succeeds_with_the_right_code_and_fails_otherwise(client, world):
    e = world["e"]
    number, code, _r = issue_on_web(client, e.uscc)
    other, _other_code, _r = issue_on_web(client, e.uscc)

    ok = client.get("/public/reports/verify/", {"number": number, "code": reports.display_code(code).lower()})
    assert ok.status_code == 200
    html = ok.content.decode()
    assert "核验通过" in html and "2025-06-01 12:00:00" in html and "深市监罚〔2025〕101号" in html
    assert "与报告出具时一致" in html

    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    for params in ({"number": number, "code": wrong}, {"number": other, "code": code}):
        r = client.get("/public/reports/verify/", params)
        assert r.status_code == 404
        assert "未找到与该报告编号和验证码相符的信用报告" in r.content.decode()
        assert "深市监罚〔2025〕101号" not in r.content.decode()
    bad = client.get("/public/reports/verify/", {"number": "XJ-1", "code": code})
    assert bad.status_code == 400 and "报告编号格式不正确" in bad.content.decode()
    assert client.get(f"/public/reports/{number}/", {"code": wrong}).status_code == 404
    assert client.get(f"/public/reports/{number}/pdf/", {"code": wrong}).status_code == 404
    assert client.get("/public/reports/verify/").status_code == 200  # the empty form


@freeze_time(NOW)
def test_a_report_stays_as_issued_after_the_data_changes(client, world):
    from xinjian.collection.models import Penalty

    e = world["e"]
    number, code, _r = issue_on_web(client, e.uscc)
    Penalty.objects.filter(pk=world["current"].pk).update(withdrawn_on=D(2025, 6, 1))
    e.name = "深圳市改名后食品有限公司"
    e.save()
    queries.forget_profile(e.uscc)
    assert "深市监罚〔2025〕101号" not in client.get(f"/public/enterprises/{e.uscc}/").content.decode()

    r = client.get("/public/reports/verify/", {"number": number, "code": code})
    html = r.content.decode()
    assert r.status_code == 200 and "核验通过" in html
    assert "深市监罚〔2025〕101号" in html and "深圳市报告测试食品有限公司" in html
    assert "该企业的公示信息已有变化" in html
    api = client.get(f"/api/v1/public/reports/{number}", {"code": code}).json()
    assert api["changed_since"] is True and api["genuine"] is True
    assert api["content"]["profile"]["penalties"][0]["decision_no"] == "深市监罚〔2025〕101号"


@freeze_time(NOW)
def test_an_edited_snapshot_no_longer_verifies(client, world):
    number, code, _r = issue_on_web(client, world["e"].uscc)
    report = CreditReport.objects.get(number=number)
    forged = report.canonical.replace("深市监罚〔2025〕101号", "深市监罚〔2025〕999号")
    # Rewriting the digest too does not help: the code is an HMAC of it under the secret.
    CreditReport.objects.filter(pk=report.pk).update(canonical=forged, sha256=reports.digest(forged))
    r = client.get(f"/api/v1/public/reports/{number}", {"code": code})
    assert r.status_code == 404 and r.json()["error"]["code"] == "report_not_verified"
    CreditReport.objects.filter(pk=report.pk).update(canonical=forged, sha256=report.sha256)
    assert client.get(f"/api/v1/public/reports/{number}", {"code": code}).status_code == 404


@freeze_time(NOW)
def test_codes_survive_a_secret_key_rotation(client, world, settings):
    number, code, _r = issue_on_web(client, world["e"].uscc)
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = (
        "a-brand-new-secret-key-for-the-test-0123456789",
        [old],
    )
    assert client.get(f"/api/v1/public/reports/{number}", {"code": code}).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(f"/api/v1/public/reports/{number}", {"code": code}).status_code == 404


@freeze_time(NOW)
def test_the_report_page_carries_a_qr_code_of_its_verification_link(client, world):
    """Issue 14: as on 信用中国's reports, a QR code leads to the verification page."""
    import segno
    from django.utils.html import escape

    number, code, r = issue_on_web(client, world["e"].uscc)
    html = r.content.decode()
    verify = re.search(r'<span class="verify-url">([^<]+)</span>', html).group(1)
    assert "/public/reports/verify/?number=" in verify
    from html import unescape

    expected = segno.make(unescape(verify), error="m").svg_data_uri(scale=4, border=2)
    assert f'src="{escape(expected)}"' in html
    assert 'alt="扫码核验此报告"' in html


@freeze_time(NOW)
def test_the_pdf_carries_number_code_and_verification_url(client, world):
    number, code, _r = issue_on_web(client, world["e"].uscc)
    r = client.get(f"/public/reports/{number}/pdf/", {"code": code})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert f'filename="{number}.pdf"' in r["Content-Disposition"]
    body = r.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF") and len(body) > 3000
    # the Chinese font is embedded (a subset of WenQuanYi Micro Hei), so every reader shows it
    fonts = pdf_fonts(body)
    assert any("WenQuanYiMicroHei" in name for name in fonts), fonts
    assert all(fonts[name] for name in fonts if "WenQuanYiMicroHei" in name)
    assert b"STSong-Light" not in body
    text = pdf_text(body)
    assert number in text and reports.display_code(code) in text
    assert "/public/reports/verify/?number=" in text
    assert "深市监罚〔2025〕101号" in text and "深市监罚〔2024〕102号" not in text


@freeze_time(NOW)
def test_api_issues_and_verifies_in_the_documented_shape(client, world):
    e = world["e"]
    r = client.post(f"/api/v1/public/enterprises/{e.uscc.lower()}/reports")
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"number", "code", "issued_at", "as_of", "sha256", "url", "pdf_url"}
    assert body["as_of"] == "2025-06-01" and body["issued_at"].startswith("2025-06-01T")
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", body["code"])
    assert body["url"].startswith("http://testserver/public/reports/" + body["number"])
    assert client.get(body["pdf_url"]).content.startswith(b"%PDF")

    v = client.get(f"/api/v1/public/reports/{body['number']}", {"code": body["code"]})
    assert v.status_code == 200
    got = v.json()
    assert got["genuine"] is True and got["sha256"] == body["sha256"] and got["changed_since"] is False
    assert got["uscc"] == e.uscc and got["content"]["number"] == body["number"]
    report = CreditReport.objects.get(number=body["number"])
    assert report.channel == "api" and reports.digest(report.canonical) == body["sha256"]


@freeze_time(NOW)
def test_api_errors_have_the_one_shape(client, world, monkeypatch):
    number, code, _r = issue_on_web(client, world["e"].uscc)
    cases = [
        (client.post("/api/v1/public/enterprises/91350100M000100Y43/reports"), 404, "not_found"),
        (client.post("/api/v1/public/enterprises/not-a-code/reports"), 404, "not_found"),
        (
            client.get(f"/api/v1/public/reports/{number}", {"code": "AAAA-AAAA-AAAA"}),
            404,
            "report_not_verified",
        ),
        (
            client.get("/api/v1/public/reports/XJ-440000-20250601-000009", {"code": code}),
            404,
            "report_not_verified",
        ),
        (client.get("/api/v1/public/reports/nonsense", {"code": code}), 400, "invalid_report_number"),
        (client.get(f"/api/v1/public/reports/{number}", {"code": "short"}), 400, "invalid_report_code"),
        (client.get(f"/api/v1/public/reports/{number}"), 400, "invalid_request"),
    ]
    for r, status, error_code in cases:
        assert r.status_code == status, (r.status_code, r.content)
        err = r.json()["error"]
        assert err["code"] == error_code and err["message"] and isinstance(err["details"], list)
    assert (
        client.get("/api/v1/public/reports/nonsense", {"code": code}).json()["error"]["details"][0]["field"]
        == "number"
    )

    from django.core.cache import caches

    caches["default"].clear()  # the requests above counted too
    monkeypatch.setattr(ratelimit, "LIMIT", 2)
    statuses = [
        client.post(f"/api/v1/public/enterprises/{world['e'].uscc}/reports").status_code for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert client.post(f"/api/v1/public/enterprises/{world['e'].uscc}/reports").json()["error"]["code"] == (
        "rate_limited"
    )
    verifies = [
        client.get("/public/reports/verify/", {"number": number, "code": code}).status_code for _ in range(3)
    ]
    assert verifies == [200, 200, 429]
    assert client.post(f"/public/reports/issue/{world['e'].uscc}/").status_code == 429


@freeze_time(NOW)
def test_issuing_is_audited_and_reported_once_without_the_report_itself(client, world):
    events_before = Event.objects.count()
    number, _code, _r = issue_on_web(client, world["e"].uscc)
    entry = AuditEntry.objects.get(action="sharing.credit_report_issued")
    assert entry.uscc == world["e"].uscc and entry.actor_label == "public:web"
    assert entry.after["number"] == number
    assert Event.objects.count() == events_before + 1
    event = Event.objects.get(type="credit_report.issued")
    assert event.uscc == world["e"].uscc and event.data["number"] == number
    assert set(event.data) == {"number", "as_of", "channel"}  # no content, no digest


@freeze_time(NOW)
def test_reports_are_immutable(client, world):
    number, _code, _r = issue_on_web(client, world["e"].uscc)
    report = CreditReport.objects.get(number=number)
    report.name = "x"
    with pytest.raises(ValueError):
        report.save()
    with pytest.raises(ValueError):
        report.delete()


def test_unknown_enterprise_gets_no_report(client, db):
    assert client.post("/public/reports/issue/91350100M000100Y43/").status_code == 404
    assert client.get("/public/reports/issue/91350100M000100Y43/").status_code == 405


@freeze_time(NOW)
def test_staff_see_report_counts_in_their_jurisdiction_only(
    client, world, enterprise_factory, county_officer, inspector
):
    far = enterprise_factory(name="广州市远方食品有限公司", region_code="440106")
    for _ in range(2):
        issue_on_web(client, world["e"].uscc)
    issue_on_web(client, far.uscc)

    client.force_login(county_officer)
    r = client.get("/staff/sharing/reports/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "深圳市报告测试食品有限公司" in html and '<td data-field="count">2</td>' in html
    assert "广州市远方食品有限公司" not in html
    assert "共 2 份" in html

    client.force_login(inspector)  # no MANAGE_SHARING
    assert client.get("/staff/sharing/reports/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_on_postgresql_get_distinct_consecutive_numbers(enterprise_factory):
    import threading

    from django.db import connection, connections

    from xinjian.core.actors import Actor
    from xinjian.sharing import actions

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL only (SQLite serialises writers)")
    e = enterprise_factory(name="深圳市并发报告食品有限公司")
    errors: list[BaseException] = []

    def work():
        try:
            for _ in range(5):
                actions.issue_credit_report(e, actor=Actor("public:test"))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    day = reports.today().strftime("%Y%m%d")
    numbers = sorted(CreditReport.objects.values_list("number", flat=True))
    assert numbers == [f"XJ-440000-{day}-{n:06d}" for n in range(1, 21)]
