"""The optional read replica behind the public portal (DATABASE_REPLICA_URL, ADR 0099):
public GET/HEAD reads go to the `replica` alias, everything else to the primary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory

from xinjian.core.replica import PublicReplicaMiddleware, ReplicaRouter, is_public_read, read_connection
from xinjian.registry.identifiers import build_uscc
from xinjian.registry.models import Enterprise

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("get", "/public/", True),
        ("get", "/public/enterprises/91440300MA5F000000/", True),
        ("head", "/api/v1/public/enterprises", True),
        ("post", "/public/reports/", False),  # a write
        ("get", "/public/my/", False),  # an enterprise user's own pages read their own writes
        ("get", "/staff/", False),
        ("get", "/api/v1/records", False),
    ],
)
def test_only_public_reads_are_routed(method, path, public):
    request = getattr(RequestFactory(), method)(path)
    assert is_public_read(request) is public


def test_without_a_replica_everything_stays_on_the_primary():
    router, seen = ReplicaRouter(), []

    def view(request):
        seen.append((router.db_for_read(Enterprise), read_connection().alias))
        return None

    PublicReplicaMiddleware(view)(RequestFactory().get("/public/"))
    assert seen == [(None, "default")]
    assert router.db_for_write(Enterprise) == "default"
    assert router.allow_migrate("replica", "registry") is False and router.allow_migrate(
        "default", "registry"
    )


SCRIPT = """
import json, django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
out = {}
for label, path in [("profile", "/public/enterprises/USCC/"), ("search", "/public/?q=%E5%8D%8E%E6%96%B0"),
                    ("api", "/api/v1/public/enterprises?q=%E5%8D%8E%E6%96%B0"), ("my", "/public/my/")]:
    with CaptureQueriesContext(connections["default"]) as d, CaptureQueriesContext(connections["replica"]) as r:
        status = Client().get(path).status_code
    out[label] = [status, len(d), len(r)]
print(json.dumps(out))
"""


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica is a PostgreSQL feature")
def test_a_configured_replica_serves_the_public_reads_and_nothing_else():
    """A real process with DATABASE_REPLICA_URL (here the same database under a second
    alias): the profile, the search page and the public API read only through `replica`;
    an enterprise user's own page only through the primary."""
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=url, DATABASE_REPLICA_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
    uscc = build_uscc("440305", "12345678")  # valid, not registered: the lookup runs, then 404
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("USCC", uscc)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    for label in ("profile", "search", "api"):
        status, primary, replica = got[label]
        assert status in (200, 404) and primary == 0 and replica > 0, (label, got[label])
    status, primary, replica = got["my"]
    assert replica == 0, got["my"]


def test_the_replica_must_be_postgresql_like_the_primary():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        DATABASE_REPLICA_URL="sqlite:///replica.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0 and "DATABASE_REPLICA_URL" in out.stderr
