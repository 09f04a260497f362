"""The security probe (`make security`, issue 13 "Keep the probe"): run against a database
holding the demo province, through Django's test client (the whole request stack, no
server). It prints its figures and exits 1 on any leak or server error.

1. Access matrix: every page URL × persona (anonymous, enterprise user, association user,
   county officer, inspector, province officer, administrator), with path arguments in
   and out of the county officer's jurisdiction. A leak: a staff page answering 200 to
   someone who is not staff, a county officer's page showing an enterprise of another
   county, or an association reading an enterprise that is not its member.
2. API × token scope × region: every operation with a token per scope, limited to the
   county or not, about an enterprise in and out of that county. A leak: 2xx without
   the operation's scope, or about an enterprise outside the token's region.
3. Form fuzzer: every page URL posted as the province and the county officer with
   every form field the code reads set to NUL, huge, wrong-typed, out-of-range and
   deeply nested values, and the crafted upload bombs. Every answer must be below 500.

Schemathesis over the API, the upload bombs, the export-injection check and the
bad-input regressions run as tests after the probe (see the Makefile).
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

# 403s and 404s are the expected answers by the thousand; server errors are collected
# through got_request_exception and printed at the end.
logging.getLogger("django.request").setLevel(logging.CRITICAL)
logging.getLogger("django.security").setLevel(logging.CRITICAL)

from django.conf import settings  # noqa: E402
from django.core.signals import got_request_exception  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402

from tests import crafted  # noqa: E402

USCC = re.compile(r"\b9[0-9A-HJ-NPQRTUWXY]{17}\b")
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
COUNTY = "440305"
DEEP = "[" * 100_000 + "]" * 100_000
# Form fields get 10,000-deep brackets and 20,000 characters each: with every field the
# code reads set at once, a request is a few megabytes.
BAD_VALUES = {
    "nul": "a\x00b",
    "huge": "长" * 20_000,
    "letters": "abc",
    "negative": "-1",
    "overflow": "9" * 40,
    "year0": "0",
    "year10000": "10000",
    "bad_date": "2025-02-30",
    "far_date": "10000-01-01",
    "deep_json": "[" * 10_000 + "]" * 10_000,
    "empty": "",
}


class Figures:
    def __init__(self) -> None:
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.leaks: list[str] = []
        self.errors: list[str] = []
        self.rejects = 0

    def count(self, response, label: str) -> int:
        self.requests += 1
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {label}")
        return response.status_code


F = Figures()
_exceptions: list[str] = []


def _record_exception(sender, request=None, **kw) -> None:
    _exceptions.append(f"{request.method} {request.path}: {sys.exc_info()[1]!r}"[:300])


got_request_exception.connect(_record_exception)


def routes() -> list[tuple[str, object]]:
    out = []

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace in ("admin", "api-v1"):
                    continue
                walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if not route.startswith(("static/", "i18n/")) and not route.startswith("^"):
                    out.append((route, p.callback))

    walk(get_resolver())
    return out


def samples():
    """Path arguments in and out of the county officer's jurisdiction."""
    from xinjian.collection.models import IngestBatch
    from xinjian.registry.models import Enterprise

    inside = Enterprise.objects.filter(region_code__startswith=COUNTY).order_by("id").first()
    outside = Enterprise.objects.exclude(region_code__startswith=COUNTY[:4]).order_by("id").first()
    b_in = IngestBatch.objects.filter(region_code__startswith=COUNTY).first()
    b_out = IngestBatch.objects.exclude(region_code__startswith=COUNTY).first()
    return {
        "in": {
            "uscc": inside.uscc,
            "uuid": str(b_in.pk) if b_in else "00000000-0000-0000-0000-000000000001",
            "int": 1,
        },
        "out": {
            "uscc": outside.uscc,
            "uuid": str(b_out.pk) if b_out else "00000000-0000-0000-0000-000000000002",
            "int": 2,
        },
    }


def fill(route: str, values: dict[str, object]) -> str:
    def one(m: re.Match) -> str:
        conv, name = m.group(1) or "str", m.group(2)
        if name == "uscc":
            return str(values["uscc"])
        if conv == "uuid":
            return str(values["uuid"])
        if conv == "int":
            return str(values["int"])
        if name == "kind":
            return "penalties"
        if name == "day":
            return "2025-06-01"
        if name == "filename":
            return "penalties.csv"
        return "x"

    return "/" + PARAM.sub(one, route)


def personas() -> dict[str, Client | None]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    out: dict[str, Client | None] = {"anonymous": Client(raise_request_exception=False)}
    for name in (
        "demo_enterprise",
        "demo_association",
        "demo_nanshan",
        "demo_inspector1",
        "demo_province",
        "demo_admin",
    ):
        user = users.filter(username=name).first()
        if user is None:
            continue
        c = Client(raise_request_exception=False)
        c.force_login(user)
        out[name] = c
    return out


def _association_members() -> set[str]:
    from xinjian.integrity.models import Membership

    return set(
        Membership.objects.filter(
            association__users__user__username="demo_association", ended_on__isnull=True
        ).values_list("enterprise__uscc", flat=True)
    )


def access_matrix(clients, sample) -> None:
    from xinjian.registry.models import Enterprise

    foreign = set(Enterprise.objects.exclude(region_code__startswith=COUNTY).values_list("uscc", flat=True))
    for route, _view in routes():
        for side in ("in", "out"):
            url = fill(route, sample[side])
            for who, c in clients.items():
                r = c.get(url)
                status = F.count(r, f"GET {url} as {who}")
                staff_page = url.startswith("/staff/")
                if (
                    staff_page
                    and status == 200
                    and who in ("anonymous", "demo_enterprise", "demo_association")
                ):
                    F.leaks.append(f"{who} read {url}")
                # The association role sees its members only (seed 十四).
                if (
                    who == "demo_association"
                    and url.startswith("/association/members/")
                    and status == 200
                    and sample[side]["uscc"] not in _association_members()
                ):
                    F.leaks.append(f"association read non-member {url}")
                if who == "demo_nanshan" and staff_page and status == 200 and not r.streaming:
                    shown = set(USCC.findall(r.content.decode(errors="replace"))) & foreign
                    if shown:
                        F.leaks.append(f"county officer sees {sorted(shown)[:3]} on {url}")


def api_matrix(sample) -> None:
    from config.api import api
    from xinjian.sharing.models import ApiClient

    schema = api.get_openapi_schema()
    scopes = ["ingest", "constraints", "risk", "changes", "share"]
    tokens = {}
    for scope in scopes:
        for region in ("", COUNTY):
            _client, token = ApiClient.issue(
                f"probe-{scope}-{region or 'all'}-{time.time_ns()}", [scope], region
            )
            tokens[(scope, region)] = token
    c = Client(raise_request_exception=False)
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method != "get":
                continue
            needs = set(op.get("security") and scopes or [])
            for side in ("in", "out"):
                url = (
                    "/api/v1" + path.replace("{uscc}", str(sample[side]["uscc"]))
                    if not path.startswith("/api")
                    else path
                )
                url = re.sub(r"\{[^}]+\}", "1", url.replace("{uscc}", str(sample[side]["uscc"])))
                for (scope, region), token in tokens.items():
                    r = c.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
                    status = F.count(r, f"GET {url} scope={scope} region={region or 'all'}")
                    if not needs or status >= 300:
                        continue
                    if region and side == "out" and "{uscc}" in path:
                        F.leaks.append(f"token of {region} read {url} (scope {scope})")


def form_fields() -> set[str]:
    """Every POST field the code reads: Django forms' fields and request.POST look-ups."""
    names: set[str] = set()
    pattern = re.compile(r"""POST(?:\.get|\.getlist|\[)\(?\s*["'](\w+)["']""")
    for path in (ROOT / "xinjian").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        names.update(pattern.findall(text))
    from django import forms

    def subclasses(cls):
        for s in cls.__subclasses__():
            yield s
            yield from subclasses(s)

    for form in subclasses(forms.BaseForm):
        if form.__module__.startswith("xinjian"):
            names.update(getattr(form, "base_fields", {}))
    return names


def form_fuzz(clients, sample) -> None:
    fields = sorted(form_fields())
    print(f"  form fields fuzzed: {len(fields)}")
    for route, _view in routes():
        url = fill(route, sample["in"])
        if url.startswith(("/accounts/logout", "/i18n")):
            continue
        for who in ("demo_province", "demo_nanshan"):
            c = clients[who]
            for name, value in BAD_VALUES.items():
                data = {f: value for f in fields}
                r = c.post(url, data)
                status = F.count(r, f"POST {url} as {who} with {name}")
                page = "" if r.streaming else r.content.decode(errors="replace")
                if 400 <= status < 500 or (status == 200 and "errorlist" in page):
                    F.rejects += 1
    # the upload bombs through the upload page
    from xinjian.registry.models import Enterprise

    uscc = Enterprise.objects.filter(region_code__startswith=COUNTY).first().uscc
    files = {
        "bomb.xlsx": crafted.zip_bomb(crafted.xlsx_file([]), 200),
        "strings.xlsx": crafted.shared_strings_bomb(40),
        "lying.xlsx": crafted.lying_dimension(crafted.xlsx_file(crafted.penalty_rows(uscc, 50))),
        "wide.xlsx": crafted.far_right_cells(2000),
        "cut.xlsx": crafted.truncated(crafted.xlsx_file(crafted.penalty_rows(uscc, 200))),
        "field.csv": crafted.oversize_field_csv(uscc),
        "dirty.csv": crafted.nul_and_bad_utf8_csv(uscc),
        "deep.jsonl": crafted.deep_json_line(),
    }
    for name, content in files.items():
        f = io.BytesIO(content)
        f.name = name
        r = clients["demo_nanshan"].post("/staff/collection/upload/", {"kind": "penalties", "file": f})
        status = F.count(r, f"upload {name}")
        if status == 200:
            F.rejects += 1  # refused with the reason on the form
        elif status == 302:
            preview = clients["demo_nanshan"].get(r["Location"])
            F.count(preview, f"preview of {name}")
    # JSON nested 100,000 deep into every API operation that takes a body
    from config.api import api

    c = Client(raise_request_exception=False)
    for path, ops in api.get_openapi_schema()["paths"].items():
        for method in ops:
            if method in ("post", "put", "patch"):
                url = re.sub(r"\{[^}]+\}", "1", path)
                r = getattr(c, method)(url, data=DEEP, content_type="application/json")
                if 400 <= F.count(r, f"{method.upper()} {url} deep JSON") < 500:
                    F.rejects += 1


def main() -> int:
    started = time.monotonic()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    clients = personas()
    sample = samples()
    print("security probe: access matrix …", flush=True)
    access_matrix(clients, sample)
    print(f"  {F.requests:,} requests, {len(F.leaks)} leaks, {len(F.errors)} 5xx", flush=True)
    print("security probe: API × token scope × region …", flush=True)
    api_matrix(sample)
    print(f"  {F.requests:,} requests, {len(F.leaks)} leaks, {len(F.errors)} 5xx", flush=True)
    print("security probe: form fuzzer and upload bombs …", flush=True)
    form_fuzz(clients, sample)
    elapsed = time.monotonic() - started
    print()
    print(
        f"requests {F.requests:,}   leaks {len(F.leaks)}   5xx {len(F.errors)}   rejects {F.rejects:,}   ({elapsed:.0f} s)"
    )
    print("statuses: " + ", ".join(f"{k}×{v:,}" for k, v in sorted(F.statuses.items())))
    for leak in F.leaks[:50]:
        print("LEAK", leak)
    for err in F.errors[:50]:
        print("5XX ", err)
    for exc in dict.fromkeys(_exceptions):
        print("     ", exc)
    return 1 if F.leaks or F.errors else 0


if __name__ == "__main__":
    sys.exit(main())
