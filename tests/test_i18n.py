"""The UI is Chinese first; English is available through the language switch.

Chinese is the source language (msgids); locale/en holds the English catalogue, committed
compiled (django.mo) so a machine without gettext still serves English.
"""

from __future__ import annotations

import ast
import re
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
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # keep it fast
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
    separated blocks; no plural forms are used here)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        field, fuzzy = None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                field, _, literal = line.partition(" ")
                fields[field] = ast.literal_eval(literal)
            elif line.startswith('"') and field:
                fields[field] += ast.literal_eval(line)
        if fields.get("msgid"):  # skips the header and obsolete (#~) entries
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

    stale = [m for m, s, _f in _po_entries(LOCALE_EN / "django.po") if compiled.gettext(m) != s]
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
