"""The UI is Chinese first; English is available through the language switch.

Chinese is the source language (msgids); locale/en holds the English catalogue, committed
compiled (django.mo) so a machine without gettext still serves English.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_EN = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _page(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


# --- pages ------------------------------------------------------------------------------


def test_login_page_is_chinese_by_default(client):
    html = _page(client, reverse("accounts:login"))

    assert '<html lang="zh-CN"' in html
    assert "用户名" in html and "密码" in html and "退出" not in html
    assert "Username" not in html and "Password" not in html


def test_login_page_is_english_when_the_browser_asks_for_english(client):
    html = _page(client, reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="en"' in html
    assert "Username" in html and "Password" in html and ">Log in<" in html
    assert "Key-Area Credit Supervision Platform" in html
    for chinese in ("用户名", "密码", "登录", "重点领域信用监管平台"):
        assert chinese not in html


def test_failed_login_message_is_translated(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong-password-1"})

    html = response.content.decode()
    assert "Incorrect username or password. Please try again." in html
    assert "用户名或密码错误" not in html


def test_staff_workbench_is_english_with_the_language_cookie(client, county_officer):
    client.force_login(county_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = _page(client, reverse("home"))

    # page body, navigation (gettext_lazy labels) and the shared header
    for english in (
        "<h2>Workbench</h2>",
        "Market entities in jurisdiction",
        "Key-area enterprises",
        "Entity search",
        "Working-day calendar",
        "Log out",
    ):
        assert english in html
    for chinese in ("工作台", "辖区市场主体", "重点领域企业", "主体查询", "工作日历", "退出"):
        assert chinese not in html


def test_staff_workbench_is_chinese_by_default(client, county_officer):
    client.force_login(county_officer)

    html = _page(client, reverse("home"))

    assert "<h2>工作台</h2>" in html and "辖区市场主体" in html and "退出" in html
    assert "Workbench" not in html and "Log out" not in html


def test_language_switch_in_the_header_sets_english_and_back(client):
    login = reverse("accounts:login")

    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302 and response.url == login
    assert "Username" in _page(client, login)

    client.post(reverse("set_language"), {"language": "zh-hans", "next": login})
    html = _page(client, login)
    assert "用户名" in html and "Username" not in html


# --- the catalogue itself -----------------------------------------------------------------


def _po_entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each live entry of a .po file (entries are blank-line
    separated blocks). A plural entry gives one tuple per form, its msgid tagged with the
    form's index (`msgid\x00N`), so every form is checked."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        field, fuzzy = None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr ", "msgstr[")):
                field, _, literal = line.partition(" ")
                fields[field] = ast.literal_eval(literal)
            elif line.startswith('"') and field:
                fields[field] += ast.literal_eval(line)
        if not fields.get("msgid"):  # skips the header and obsolete (#~) entries
            continue
        if "msgid_plural" in fields:
            forms = sorted(k for k in fields if k.startswith("msgstr["))
            entries += [(f"{fields['msgid']}\x00{k[7:-1]}", fields[k], fuzzy) for k in forms]
        else:
            entries.append((fields["msgid"], fields.get("msgstr", ""), fuzzy))
    return entries


def test_english_catalogue_translates_every_entry():
    entries = _po_entries(LOCALE_EN / "django.po")

    assert len(entries) > 500
    assert [m for m, _s, fuzzy in entries if fuzzy] == []
    assert [m for m, s, _f in entries if not s] == []
    assert [m for m, s, _f in entries if CJK.search(s)] == []
    assert [
        m for m, s, _f in entries if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(s))
    ] == []


def test_compiled_catalogue_matches_the_po_file():
    import gettext

    with (LOCALE_EN / "django.mo").open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)

    def compiled_text(msgid: str) -> str:
        if "\x00" in msgid:  # a plural form: ask for a count that selects it
            singular, form = msgid.split("\x00")
            return compiled.ngettext(singular, singular, 1 if form == "0" else 2)
        return compiled.gettext(msgid)

    stale = [m for m, s, _f in _po_entries(LOCALE_EN / "django.po") if compiled_text(m) != s]
    assert stale == [], "run: python manage.py compilemessages -l en"


@pytest.mark.parametrize(
    "msgid, english",
    [
        ("统一社会信用代码", "Unified Social Credit Code (USCC)"),
        ("经营异常名录", "Business anomaly list"),
        ("严重违法失信名单", "Serious-violation list"),
        ("信用修复", "Credit repair"),
        ("行政处罚", "Administrative penalty"),
        ("告知承诺", "Notification-and-commitment"),
    ],
)
def test_domain_terms_use_the_agreed_english(msgid, english):
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext(msgid) == english


# --- dates and amounts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, value, expected",
    [
        ("zh-hans", dt.date(2026, 11, 27), "2026年11月27日"),
        ("en", dt.date(2026, 11, 27), "27 Nov 2026"),
        ("en", dt.date(2027, 1, 3), "3 Jan 2027"),
        ("en", None, "—"),
    ],
)
def test_cn_date_follows_the_active_language(language, value, expected):
    from django.utils import translation

    from xinjian.core.templatetags.xinjian import cn_date

    with translation.override(language):
        assert cn_date(value) == expected


@pytest.mark.parametrize(
    "language, value, expected",
    [
        ("zh-hans", Decimal("12345"), "1.23万元"),
        ("zh-hans", Decimal("52000"), "5.2万元"),
        ("zh-hans", Decimal("800.5"), "800.50元"),
        ("en", Decimal("12345"), "CNY 12,345.00"),
        ("en", Decimal("1234567.891"), "CNY 1,234,567.89"),
        ("en", 800.5, "CNY 800.50"),
        ("en", None, "—"),
    ],
)
def test_yuan_follows_the_active_language(language, value, expected):
    from django.utils import translation

    from xinjian.core.templatetags.xinjian import yuan

    with translation.override(language):
        assert yuan(value) == expected


# --- every page of the workflow apps in English -----------------------------------------------

# Views whose pages this walk covers (the five workflow apps). A page of another module
# (registry, risk, commitments, repair, credit reports) is covered by its own tests.
WALKED_MODULES = {
    "xinjian.collection.views",
    "xinjian.disclosure.views",
    "xinjian.inspections.views",
    "xinjian.integrity.views",
    "xinjian.lists.views",
    "xinjian.lists.public_views",
    "xinjian.sharing.views",
}
# The printed notice (告知书) is a legal document served on the party: the document stays
# Chinese whatever the UI language, the page around it does not (ADR 0070).
_DOCUMENT = re.compile(r'<article class="notice">.*?</article>', re.S)
CHINESE_DOCUMENTS = {
    "lists:serious_notice": _DOCUMENT,
    # The listing decision (列入决定书) and the hearing notice (听证通知书), served likewise.
    "lists:serious_decision_document": _DOCUMENT,
    "lists:serious_hearing_notice": _DOCUMENT,
}
# File downloads (Chinese exchange files, open data), not pages.
DOWNLOADS = {"collection:rejects", "collection:template", "disclosure:open_data_file"}
CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
BRAND = "信监"  # the product's name in the header, like a logo


def _walked_routes():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, namespace, prefix):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace in ("admin", "api-v1"):
                    continue
                yield from walk(p, p.namespace or namespace, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.callback.__module__ in WALKED_MODULES:
                yield f"{namespace}:{p.name}", prefix + str(p.pattern)

    return sorted(set(walk(get_resolver(), "", "")))


def _data_values() -> list[str]:
    """Every Chinese text stored in the database: names, addresses, record contents, rule
    rows seeded in Chinese. These stay as entered whatever the UI language."""
    from django.apps import apps
    from django.db import models

    found: set[str] = set()

    def collect(value):
        if isinstance(value, str):
            if CJK.search(value):
                found.add(value)
        elif isinstance(value, list | tuple):
            for v in value:
                collect(v)
        elif isinstance(value, dict):
            for k, v in value.items():
                collect(k)
                collect(v)

    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for name in names:
            for value in model._default_manager.values_list(name, flat=True).iterator():
                collect(value)
    return sorted(found, key=len, reverse=True)


def _exchange_vocabulary() -> set[str]:
    """Column names of the Chinese exchange files (interfaces.md): shown as they are in the
    files an officer fills in."""
    from xinjian.collection.ingest.kinds import KINDS

    return {h for k in KINDS.values() for f in k.fields.values() for h in (f.label, *f.aliases)}


@pytest.fixture
def world(db, staff_factory, enterprise_factory):
    """One of everything the walked pages show, in Nanshan, for an officer holding every role."""
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from xinjian.accounts.models import EnterpriseUser
    from xinjian.collection import actions as collection
    from xinjian.collection import uploads
    from xinjian.collection.ingest.kinds import KINDS
    from xinjian.collection.models import Inspection, Penalty
    from xinjian.core.actors import CLOCK, SYSTEM
    from xinjian.core.roles import Role
    from xinjian.disclosure import actions as disclosure
    from xinjian.inspections import actions as inspections
    from xinjian.inspections.models import InspectionItem
    from xinjian.lists import actions as lists
    from xinjian.registry.models import Department, KeyAreaTag
    from xinjian.sharing import actions as sharing

    officer = staff_factory("440305", [r.value for r in Role], "all-roles")
    province = staff_factory("440000", [r.value for r in Role], "all-roles-province")
    reviewer = staff_factory("440305", ["credit_officer"], "reviewer")
    nanshan = Department.objects.get(division_id="440305")
    e = enterprise_factory()
    user = User.objects.create_user("qiye-en", password="correct-horse-9")
    EnterpriseUser.objects.create(user=user, enterprise=e)
    on = dt.date(2026, 3, 2)

    penalty = Penalty.objects.create(
        enterprise=e, uscc=e.uscc, source="case-system", source_id="P-1",
        decision_no="深南市监罚〔2026〕1号", decided_on=on, decided_by="深圳市南山区市场监督管理局",
        domain="food_safety", violation="生产经营超范围使用食品添加剂的食品",
        penalty_types=["fine", "licence_revocation"], fine_amount=200000,
        legal_basis="《食品安全法》第一百二十四条",
    )  # fmt: skip
    Penalty.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source="case-system",
        source_id="P-2",
        decision_no="深南市监罚〔2026〕2号",
        decided_on=on,
        decided_by="深圳市南山区市场监督管理局",
        domain="food_safety",
        violation="未按规定公示信息",
        penalty_types=["fine"],
        fine_amount=5000,
    )  # fmt: skip — left unpublished: the backlog shows it
    inspection = Inspection.objects.create(
        enterprise=e, uscc=e.uscc, source="inspection-system", source_id="I-1", inspected_on=on,
        inspected_by="深圳市南山区市场监督管理局", kind="random", result="corrected", findings="现场检查发现问题",
    )  # fmt: skip
    disclosure.publish_penalty(penalty, actor=SYSTEM, on=on)
    disclosure.publish_inspection(inspection, actor=SYSTEM, on=on)
    disclosure.submit_reply(
        e, record_kind="penalty", record_id=penalty.pk, text="已按要求完成整改。", actor=user
    )

    anomaly = lists.list_anomaly(e, actor=CLOCK, ground="unreachable", on=on, decision_no="深南异〔2026〕1号")
    serious = lists.propose_serious(e, actor=SYSTEM, ground="food_safety", on=on, penalty=penalty)
    lists.notify_party(serious, actor=SYSTEM, on=on)
    other = lists.propose_serious(enterprise_factory(), actor=SYSTEM, ground="food_safety", on=on)
    # A listing that went through a hearing to its decision (the hearing section, the
    # hearing notice and the decision document).
    heard = lists.propose_serious(enterprise_factory(), actor=SYSTEM, ground="food_safety", on=on, facts="x")
    lists.notify_party(heard, actor=SYSTEM, on=on)
    lists.record_statement(heard, actor=SYSTEM, statement="陈述", hearing=True, on=on)
    hearing_on = on + dt.timedelta(days=10)
    lists.schedule_hearing(heard, actor=SYSTEM, hearing_on=hearing_on, place="听证室", host="李四", on=on)
    lists.conclude_hearing(heard, actor=SYSTEM, outcome="list", record="笔录", on=hearing_on)
    lists.submit_for_approval(heard, actor=SYSTEM, on=hearing_on)
    heard.status = "approved"
    heard.save()
    lists.decide_serious(
        heard, actor=SYSTEM, decision_no="深南严〔2026〕7号", reply_to_party="不予采纳", on=hearing_on
    )
    case = lists.save_case(
        None,
        actor=officer,
        title="南山区超范围使用食品添加剂案",
        body="当事人超范围使用食品添加剂",
        region_code="440305",
        enterprises=[e],
    )
    lists.move_case(case, "review", actor=reviewer)
    lists.move_case(case, "publish", actor=reviewer)

    for _ in range(4):
        KeyAreaTag.objects.create(
            enterprise=enterprise_factory(), type_id="food_production", source="manual", since=timezone.now()
        )
    for n in range(3):
        inspections.add_inspector(
            actor=officer,
            department=nanshan,
            name=f"检查员{n}",
            badge_no=f"4403050000{n}",
            qualifications=["food"],
        )
    plan = inspections.create_plan(actor=officer, department=nanshan, year=2026, title="2026年度抽查计划")
    task = inspections.create_task(
        plan, actor=officer, title="食品生产企业双随机抽查", region_code="440305",
        items=list(InspectionItem.objects.filter(code="SC-01")), key_area_types=["food_production"],
        ratios={"A": "0.5", "B": "0.5", "C": "0.5", "D": "0.5"},
        starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    inspections.publish_task(task, actor=officer)
    draw = inspections.draw_task(task, actor=officer)

    batch, _result = collection.ingest_records(
        "penalties", [{"source_id": "bad"}], actor=officer, source="case-system", region_code="440305"
    )
    header = ",".join(f.label for f in KINDS["penalties"].fields.values())
    upload = SimpleUploadedFile("penalties.csv", f"{header}\nbad,{e.uscc}\n".encode())
    previewed = uploads.prepare("penalties", upload, user=officer)
    sub, _secret = sharing.create_subscription(
        actor=officer, name="省发展改革委", department="省发展改革委",
        endpoint="https://example.org/hook", event_types=["listing.added"], region_code="440305",
    )  # fmt: skip

    from xinjian.integrity import actions as integrity

    article = integrity.save_article(
        None, actor=officer, kind="policy", title="政策解读", body="正文", region_code="440305"
    )
    integrity.move_article(article, "submit", actor=officer)
    integrity.move_article(article, "publish", actor=reviewer)
    association = integrity.save_association(
        None, actor=officer, name="南山区食品行业协会", region_code="440305"
    )
    integrity.add_member(association, e, actor=officer)
    integrity.add_association_user(
        association, actor=officer, username="xiehui-en", password="correct-horse-9"
    )
    integrity.subscribe_association(association, actor=officer, endpoint="https://example.org/assoc")
    from xinjian.sharing.push import fanout

    fanout()

    return {
        "officer": officer,
        "province_officer": province,  # pages for the staff of the whole territory only
        "enterprise_user": user,
        "association_user": User.objects.get(username="xiehui-en"),
        "kwargs": {
            "collection:batch": {"batch_id": batch.pk},
            "collection:preview": {"batch_id": previewed.pk},
            "disclosure:enterprise": {"uscc": e.uscc},
            "inspections:task": {"pk": task.pk},
            "inspections:assignments": {"draw_id": draw.draw_id},
            "inspections:target_results": {"pk": draw.targets.first().pk},
            "inspections:inspector_change": {"pk": 1},
            "lists:anomaly_detail": {"pk": anomaly.pk},
            "lists:serious_detail": {"pk": serious.pk},
            "lists:serious_decision_document": {"pk": heard.pk},
            "lists:serious_hearing_notice": {"pk": heard.pk},
            "lists:case_edit": {"pk": case.pk},
            "lists_public:case": {"pk": case.pk},
            "inspections_public:task": {"code": task.code},
            "inspections_public:draw": {"draw_id": draw.draw_id},
            "sharing:toggle_subscription": {"pk": sub.pk},
            "integrity:article": {"pk": article.pk},
            "integrity_public:article": {"pk": article.pk},
            "integrity:association": {"pk": association.pk},
            "association:member": {"uscc": e.uscc},
        },
        "also": [("lists:serious_detail", {"pk": other.pk}), ("lists:serious_detail", {"pk": heard.pk})],
        # URL arguments of the remaining routes (actions answer GET with 405)
        "defaults": {
            "batch_id": batch.pk, "pk": 1, "uscc": e.uscc, "code": task.code,
            "draw_id": draw.draw_id, "kind": "penalty", "action": "publish", "day": "2026-03-02", "filename": "-",
            "model": "penalty",
        },
    }  # fmt: skip


PROVINCE_ONLY = {"collection:peers"}


def test_every_page_of_the_workflow_apps_is_english_apart_from_data(client, world):
    from django.urls import NoReverseMatch

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    routes = [
        (
            name,
            world["kwargs"].get(name) or {p: world["defaults"][p] for p in re.findall(r"<\w+:(\w+)>", route)},
        )
        for name, route in _walked_routes()
    ] + world["also"]
    data = _data_values()
    vocabulary = _exchange_vocabulary()
    rendered, chinese = [], {}
    for name, kwargs in routes:
        if name in DOWNLOADS:
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            pytest.fail(f"{name}: give its URL arguments in the world fixture")
        as_enterprise = "/my/" in url
        officer = world["province_officer"] if name in PROVINCE_ONLY else world["officer"]
        if url.startswith("/association/"):
            client.force_login(world["association_user"])
        else:
            client.force_login(world["enterprise_user"] if as_enterprise else officer)
        response = client.get(url)
        if response.status_code == 405 or "html" not in response.get("Content-Type", ""):
            continue  # an action (POST only) or a file download, not a page
        assert response.status_code == 200, (name, url, response.status_code)
        assert '<html lang="en"' in response.content.decode()
        rendered.append(name)
        text = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
        if name in CHINESE_DOCUMENTS:
            document = CHINESE_DOCUMENTS[name].search(text)
            # the document itself is Chinese (its deadlines, where it has any, in working days)
            assert document and "本机关" in document.group(), name
            text = text.replace(document.group(), "")
        text = html.unescape(text)
        for value in data:
            text = text.replace(value, " ")
        runs = [r for r in CJK_RUN.findall(text) if r not in vocabulary and r != BRAND]
        if runs:
            chinese[f"{name} {url}"] = sorted(set(runs))
    assert chinese == {}, "\n".join(f"{page}: {runs}" for page, runs in chinese.items())
    # the walk reached the pages of every app (not just an empty list)
    assert {n.split(":")[0] for n in rendered} >= {
        "collection", "disclosure", "inspections", "lists", "lists_public", "inspections_public", "sharing",
        "integrity", "integrity_public", "association",
    }  # fmt: skip
    assert len(rendered) >= 35


def test_api_errors_translate_the_message_but_keep_the_code(client, db):
    url = "/api/v1/public/enterprises/not-a-uscc"

    chinese = client.get(url).json()["error"]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["error"]

    assert chinese == {"code": "not_found", "message": "统一社会信用代码无效或企业不存在", "details": []}
    assert english == {"code": "not_found", "message": "Invalid USCC or no such enterprise", "details": []}


def test_a_flash_message_and_a_deadline_explanation_are_english(client, staff_factory, enterprise_factory):
    """Messages built in Python (flash messages, Deadline.explain) follow the UI language."""
    from xinjian.core.actors import CLOCK
    from xinjian.lists import actions

    officer = staff_factory("440305", ["credit_officer"], "flash")
    listing = actions.list_anomaly(
        enterprise_factory(),
        actor=CLOCK,
        ground="unreachable",
        on=dt.date(2026, 3, 2),
        decision_no="深南异1号",
    )
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = _page(client, reverse("lists:anomaly_detail", args=[listing.pk]))
    response = client.post(
        reverse("workflow_take", args=["lists.anomaly", listing.pk, "note_ground_ceased"]),
        {"reason": "nonsense"},
        follow=True,
    )

    assert re.search(r"\d+ working days from \d+ \w{3} 2026 \(on the State Council holiday schedule", page)
    assert "Select a valid choice" in response.content.decode()


def test_ingest_rejects_answer_in_the_requested_language_with_the_same_codes(
    client, api_client_factory, enterprise_factory
):
    import json

    _api, token = api_client_factory("case-system", ["ingest"])
    uscc = enterprise_factory().uscc
    record = {"source_id": "P-9", "uscc": uscc, "decision_no": "深南罚9号", "decided_on": "2030-01-01"}

    def reject(**headers):
        response = client.post(
            "/api/v1/ingest/penalties",
            json.dumps({"records": [record]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            **headers,
        )
        assert response.status_code == 200, response.content
        [rejected] = response.json()["rejected"]
        return {e["code"]: e["message"] for e in rejected["errors"]}

    chinese, english = reject(), reject(HTTP_ACCEPT_LANGUAGE="en")

    assert chinese.keys() == english.keys() and "future_date" in english
    assert chinese["future_date"] == "处罚决定日期不能晚于今天"
    assert english["future_date"] == "处罚决定日期 cannot be later than today"  # the label is the column name
    assert english["required"].endswith(" is required")
