"""Issue 13 item 8: every page sends a Content-Security-Policy that allows no inline
script or style (and no template has any left), private pages and exports are never
cached, and `check --deploy` is clean with the production settings the README gives."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_page_sends_a_policy_without_inline_script_or_style(client, county_officer):
    for url in ["/", "/public/", "/accounts/login/", "/api/v1/docs"]:
        policy = _csp(client.get(url))
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    client.force_login(county_officer)
    assert "'unsafe-inline'" not in client.get("/staff/")["Content-Security-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"<style\b", re.I), "inline <style>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
]


def test_no_template_has_inline_script_or_style_left():
    found = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("xinjian/*/templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


def test_the_api_docs_come_from_our_static_files_not_a_cdn(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in html and "/static/ninja/swagger-ui-bundle.js" in html


def test_staff_pages_and_exports_are_never_cached_public_pages_may_be(
    client, county_officer, enterprise_user
):
    assert "no-store" not in client.get("/public/").get("Cache-Control", "")
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]
    client.force_login(county_officer)
    for url in ["/staff/", "/staff/enterprises/", "/staff/enterprises/key-areas/export.xlsx"]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"], url
    client.force_login(enterprise_user)
    assert "no-store" in client.get("/public/my/")["Cache-Control"]


def test_api_answers_to_a_token_are_never_cached(client, api_client_factory):
    _, token = api_client_factory(scopes=["changes"])
    r = client.get("/api/v1/changes", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]


def test_ssl_redirect_and_hsts_when_configured(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    r = client.get("/public/")
    assert r.status_code == 301 and r["Location"].startswith("https://")
    r = client.get("/public/", secure=True)
    assert r.status_code == 200 and r["Strict-Transport-Security"].startswith("max-age=31536000")


def _documented_production_env() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Production settings", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    env = {}
    for line in block.strip().splitlines():
        name, _, value = line.partition("=")
        env[name] = secrets.token_urlsafe(50) if value.startswith("<") else value
    return env


def test_check_deploy_is_clean_with_the_documented_production_settings():
    env = {**os.environ, **_documented_production_env()}
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):  # the test run's own
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
