"""A national hub and two provinces (issue 15, interfaces.md v1.1 "Federation").

Guangdong (440000) and Jiangsu (320000) run as real servers (`manage.py runserver`), each
on its own database — SQLite files on the quick path, PostgreSQL databases when the suite
runs on PostgreSQL (CI) — and receive records through the ingest API. The hub (000000) is
this test's own database: it pulls both feeds over HTTP through the same code as
`manage.py pull`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from tests.factories import make_uscc
from xinjian.collection.federation import Puller
from xinjian.collection.feed import as_ingest
from xinjian.collection.ingest.kinds import KINDS
from xinjian.collection.models import Peer, Penalty, RecordVersion
from xinjian.collection.tests import helpers
from xinjian.registry.models import Enterprise

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.django_db, pytest.mark.slow]
RECORD_KINDS = [k for k in KINDS if k != "enterprises"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Instance:
    def __init__(self, name: str, province: str, database_url: str, port: int):
        self.name, self.province, self.database_url, self.port = name, province, database_url, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(DATABASE_URL=self.database_url, XINJIAN_PROVINCE=self.province, DEBUG="0")
        return env

    def start(self, log: Path) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--skip-checks",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/api/v1/openapi.json", timeout=5)
                return
            except requests.RequestException:
                if self.proc.poll() is not None:
                    raise RuntimeError(log.read_text())
                time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not start: {log.read_text()[-2000:]}")

    def manage(self, *args: str) -> str:
        """A management command of this instance (its database, its territory)."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(30)

    def issue(self, name: str, scopes: list[str], region: str = "") -> str:
        """An API client written straight into the instance's database (what
        `create_api_client` does, without starting Django once more)."""
        token = f"xj_test_{self.name}_{name}"
        row = (name, hashlib.sha256(token.encode()).hexdigest(), json.dumps(scopes), region, True)
        sql = (
            "INSERT INTO sharing_apiclient (name, token_hash, scopes, region_code, active, created_at) "
            "VALUES ({p}, {p}, {p}, {p}, {p}, CURRENT_TIMESTAMP)"
        )
        if self.database_url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as db:
                db.execute(sql.format(p="?"), row)
        else:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as db:
                db.execute(sql.format(p="%s"), row)
        return token

    def post(self, token: str, kind: str, records: list[dict[str, Any]]) -> dict[str, Any]:
        r = requests.post(
            f"{self.url}/api/v1/ingest/{kind}",
            json={"records": records},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

    def feed(self, token: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        after = "0"
        while True:
            r = requests.get(
                f"{self.url}/api/v1/records",
                params={"after": after, "limit": 1000},
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
            assert r.status_code == 200, r.text
            page = r.json()
            out += page["records"]
            if page["next"] == after or page["next"] == page["head"]:
                return out
            after = page["next"]


def _databases(tmp: Path) -> tuple[list[str], Any]:
    """Three migrated databases (Guangdong, Jiangsu, a hub served over HTTP): one
    `migrate`, then copies."""
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        names = [f"{db['NAME']}_fed_{n}"[-60:] for n in ("gd", "js", "hub")]
        with psycopg.connect(base + "/postgres", autocommit=True) as c:
            for n in names:
                c.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{names[0]}"')
        urls = [f"{base}/{n}" for n in names]
        _migrate(urls[0])
        with psycopg.connect(base + "/postgres", autocommit=True) as c:
            for n in names[1:]:
                c.execute(f'CREATE DATABASE "{n}" TEMPLATE "{names[0]}"')

        def drop() -> None:
            with psycopg.connect(base + "/postgres", autocommit=True) as c:
                for n in names:
                    c.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')

        return urls, drop
    files = [tmp / f"{n}.sqlite3" for n in ("gd", "js", "hub")]
    _migrate(f"sqlite:///{files[0]}")
    for f in files[1:]:
        shutil.copy(files[0], f)
    return [f"sqlite:///{f}" for f in files], lambda: None


def _migrate(url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=url, XINJIAN_PROVINCE="440000")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def provinces(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("federation")
    (gd_url, js_url, hub_url), drop = _databases(tmp)
    gd = Instance("gd", "440000", gd_url, _free_port())
    js = Instance("js", "320000", js_url, _free_port())
    hub = Instance("hub", "000000", hub_url, _free_port())
    try:
        gd.start(tmp / "gd.log")
        js.start(tmp / "js.log")
        data = _load(gd, js)
        data["hub_instance"] = hub
        data["log"] = tmp / "hub.log"
        yield gd, js, data
    finally:
        gd.stop()
        js.stop()
        hub.stop()
        drop()


def _load(gd: Instance, js: Instance) -> dict[str, Any]:
    """Every record kind into Guangdong; Jiangsu's enterprise, and a penalty decided in
    Guangdong about it (pending there: Guangdong does not hold Jiangsu's register)."""
    gd_token = gd.issue("gd-cases", ["ingest"])
    js_token = js.issue("js-cases", ["ingest"])
    e1, e2, j1 = make_uscc("440305"), make_uscc("440104"), make_uscc("320102")
    out = gd.post(gd_token, "enterprises", [helpers.enterprise(e1), helpers.enterprise(e2)])
    assert out["created"] == 2
    for uscc in (e1, e2):
        for kind, rec in helpers.one_of_each(uscc).items():
            assert gd.post(gd_token, kind, [rec])["created"] == 1
    # Decided today, so that Jiangsu's clocks publish it (an old warning would be past its
    # publication period).
    decided = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    cross = gd.post(
        gd_token,
        "penalties",
        [helpers.penalty(j1, decided_by="广州市市场监督管理局", decided_on=decided, fine_amount=50000)],
    )
    assert cross["pending"][0]["reason"] == "unknown_enterprise"
    # Territory: Jiangsu's instance refuses a Guangdong enterprise, record by record.
    out = js.post(
        js_token, "enterprises", [helpers.enterprise(j1, name="南京市测试有限公司"), helpers.enterprise(e1)]
    )
    assert out["created"] == 1
    assert out["rejected"][0]["errors"][0]["field"] == "region_code"
    assert out["rejected"][0]["errors"][0]["code"] == "outside_territory"
    assert (
        js.post(js_token, "penalties", [helpers.penalty(j1, decided_by="南京市市场监督管理局")])["created"]
        == 1
    )
    return {
        "e1": e1,
        "e2": e2,
        "j1": j1,
        "hub_on_gd": gd.issue("hub", ["share"]),
        "hub_on_js": js.issue("hub", ["share"]),
        "shenzhen_on_gd": gd.issue("shenzhen", ["share"], "440300"),
    }


@pytest.fixture
def hub(settings):
    settings.XINJIAN_PROVINCE = "000000"


def _peers(provinces: Any) -> tuple[Peer, Peer]:
    gd, js, data = provinces
    return (
        Peer.objects.create(name="gd", url=gd.url, token=data["hub_on_gd"]),
        Peer.objects.create(name="js", url=js.url, token=data["hub_on_js"]),
    )


def _stored(kind: str, entry: dict[str, Any]) -> Any:
    k = KINDS[kind]
    rec = entry["record"]
    if kind == "enterprises":
        return k.model.objects.filter(uscc=rec["uscc"]).first()  # type: ignore[attr-defined]
    if kind == "annual-reports":
        return k.model.objects.filter(uscc=rec["uscc"], year=rec["year"]).first()  # type: ignore[attr-defined]
    return k.model.objects.filter(  # type: ignore[attr-defined]
        source="gd" if rec["uscc"][2:4] == "44" or entry["source"].startswith("gd") else "js",
        source_id=f"{entry['source']}/{rec['source_id']}",
    ).first()


def _counts() -> dict[str, int]:
    return {name: k.model.objects.count() for name, k in KINDS.items()}  # type: ignore[attr-defined]


def test_the_hub_pulls_every_record_kind_from_both_provinces(provinces, hub):
    gd, js, data = provinces
    peer_gd, peer_js = _peers(provinces)
    s = Puller(peer_gd, page_size=5).run()
    assert s.rejected == 0 and s.created == s.received
    Puller(peer_js, page_size=5).run()
    # Every record Guangdong and Jiangsu hold is at the hub, field for field.
    expected = gd.feed(data["hub_on_gd"]) + js.feed(data["hub_on_js"])
    assert {e["kind"] for e in expected} == set(KINDS)
    for entry in expected:
        stored = _stored(entry["kind"], entry)
        assert stored is not None, entry
        got = as_ingest(KINDS[entry["kind"]], stored)
        want = dict(entry["record"])
        if "source_id" in want:
            want["source_id"] = f"{entry['source']}/{want['source_id']}"
        assert got == want
    assert _counts() == {
        "enterprises": 3,
        "licences": 2,
        "penalties": 4,
        "inspections": 2,
        "complaints": 2,
        "annual-reports": 2,
        "list-decisions": 2,
        "commitments": 2,
    }
    # The penalty Guangdong decided about Jiangsu's enterprise waited at the hub until
    # Jiangsu's register arrived, and now stands under its name.
    j1 = Enterprise.objects.get(uscc=data["j1"])
    assert set(Penalty.objects.filter(enterprise=j1).values_list("source", flat=True)) == {"gd", "js"}
    for peer in Peer.objects.all():
        assert peer.cursor == peer.head and peer.lag == 0 and peer.caught_up_at and not peer.last_error


def test_a_second_pull_reads_nothing_and_a_re_pull_from_zero_changes_nothing(provinces, hub, capsys):
    gd, _, data = provinces
    call_command("pull", "--from", gd.url, "--token", data["hub_on_gd"], "--source", "gd", "--no-progress")
    first = capsys.readouterr().out
    counts = _counts()
    assert "rejected 0" in first and counts["penalties"] == 3
    call_command("pull", "gd", "--no-progress")
    assert " 0 records in 1 pages" in capsys.readouterr().out
    Peer.objects.filter(name="gd").update(cursor=0)
    call_command("pull", "gd", "--no-progress")
    again = capsys.readouterr().out
    assert "created 0, updated 0" in again and "unchanged 0" not in again
    assert _counts() == counts and not RecordVersion.objects.exists()


def test_a_pull_killed_half_way_loses_and_duplicates_nothing(provinces, hub):
    gd, _, data = provinces
    peer, _ = _peers(provinces)
    expected = gd.feed(data["hub_on_gd"])
    puller = Puller(peer, page_size=4)
    calls = {"n": 0}

    def crash(items: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # inside a chunk of the second or third page, rows written
            raise RuntimeError("killed")

    puller.before_commit = crash
    with pytest.raises(RuntimeError, match="killed"):
        puller.run()
    peer.refresh_from_db()
    assert 0 < peer.cursor < peer.head and "killed" in peer.last_error
    # Exactly the pages before the cursor are stored, nothing of the page that failed.
    done = [e for e in expected if int(e["cursor"]) <= peer.cursor]
    assert 0 < len(done) < len(expected)
    assert all(_stored(e["kind"], e) is not None for e in done)
    assert all(_stored(e["kind"], e) is None for e in expected if e not in done)
    Puller(peer, page_size=4).run()
    assert all(_stored(e["kind"], e) is not None for e in expected)
    assert sum(_counts().values()) == len(expected) and not RecordVersion.objects.exists()


def test_a_region_limited_token_sees_only_its_region(provinces, hub, api_client_factory):
    gd, _, data = provinces
    shenzhen = gd.feed(data["shenzhen_on_gd"])
    assert {e["record"]["uscc"] for e in shenzhen} == {data["e1"]}  # not Guangzhou's, not pending
    assert {e["kind"] for e in shenzhen} == set(KINDS)
    # Down-link: the hub's feed to Jiangsu carries what others hold about Jiangsu's
    # enterprises (Guangdong's penalty) and nothing Jiangsu supplied itself.
    for peer in _peers(provinces):
        Puller(peer).run()
    _, token = api_client_factory(name="js", scopes=["share"], region_code="320000")
    from django.test import Client

    got = Client().get("/api/v1/records?limit=1000", headers={"Authorization": f"Bearer {token}"}).json()
    assert [(e["kind"], e["source"], e["record"]["uscc"]) for e in got["records"]] == [
        ("penalties", "gd", data["j1"])
    ]
    assert got["records"][0]["record"]["decided_by"] == "广州市市场监督管理局"
    assert connection.vendor in ("sqlite", "postgresql")


def test_records_flow_up_to_a_hub_server_and_down_to_the_registration_province(provinces):
    """The real commands end to end: the hub (its own server and database) pulls both
    provinces with `manage.py pull`; Jiangsu pulls the hub with a token limited to
    320000 and receives the penalty Guangdong decided about its enterprise — once, under
    the source `hub`, nothing of its own sent back."""
    gd, js, data = provinces
    hub = data["hub_instance"]
    hub.start(data["log"])
    out = hub.manage(
        "pull", "--from", gd.url, "--token", data["hub_on_gd"], "--source", "gd", "--no-progress"
    )
    assert "rejected 0" in out and "pending 1" in out  # Jiangsu's register is not there yet
    out = hub.manage("pull", "--from", js.url, "--token", data["hub_on_js"], "--source", "js")
    assert "rejected 0" in out
    down = hub.issue("js", ["share"], "320000")  # named as Jiangsu names the hub's records
    assert "rejected 0" in js.manage("pull", "--from", hub.url, "--token", down, "--source", "hub")
    assert " 0 records" in js.manage("pull", "hub", "--no-progress")  # caught up
    seen = js.feed(js.issue("checker", ["share"]))
    from_hub = [e for e in seen if e["source"] == "hub"]
    assert [(e["kind"], e["record"]["uscc"], e["record"]["decided_by"]) for e in from_hub] == [
        ("penalties", data["j1"], "广州市市场监督管理局")
    ]
    assert from_hub[0]["record"]["source_id"].startswith("gd/gd-cases/")
    # What Jiangsu holds about its enterprise: its own penalty and Guangdong's, each once.
    mine = [e for e in seen if e["kind"] == "penalties" and e["record"]["uscc"] == data["j1"]]
    assert sorted(e["source"] for e in mine) == ["hub", "js-cases"]
    # Nothing travels back: the hub's next pull of Jiangsu brings no record.
    assert ": 0 records" in hub.manage("pull", "js", "--no-progress")
    # --- Down-link of a national licence: SAMR licences an enterprise itself (seed 四);
    # the hub tags it, and Guangdong, pulling the hub with its region's token, receives
    # the licence and tags its enterprise the same way.
    samr = hub.issue("samr", ["ingest"])
    national = helpers.licence(
        data["e1"],
        licence_type="special_equipment_production",
        licence_no="TS2110001-2029",
        issued_by="国家市场监督管理总局",
    )
    assert hub.post(samr, "licences", [national])["created"] == 1
    assert "special_equipment_production" in _key_areas(hub, data["e1"])
    assert not _found(gd, data["e1"], key_area="special_equipment_production")
    to_gd = hub.issue("gd", ["share"], "440000")
    out = gd.manage("pull", "--from", hub.url, "--token", to_gd, "--source", "hub", "--no-progress")
    assert "hub: 1 records" in out and "licences 1" in out and "rejected 0" in out, out
    assert _found(gd, data["e1"], key_area="special_equipment_production")  # (the search is not cached)
    # --- The receipt: Jiangsu publishes Guangdong's penalty; the publication day travels
    # back to the hub (Jiangsu's feed) and on to Guangdong (the hub's), never as a record.
    js.manage("run_clocks")
    out = hub.manage("pull", "js", "--no-progress")
    assert ": 0 records" in out and "receipts 1" in out, out
    out = gd.manage("pull", "hub", "--no-progress")
    assert ": 0 records" in out and "receipts 1" in out, out
    show = (
        "from xinjian.collection import crossprovince\n"
        "for c in crossprovince.{}():\n"
        "    print(c.penalty.uscc, c.forward.state, c.forward.done_on, c.publish.state, c.publish.done_on)"
    )
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    # Forwarded and published on the day it was decided: both clocks kept, on both sides —
    # at Guangdong from the receipt that came back.
    want = [data["j1"], "on_time", today, "on_time", today]
    assert gd.manage("shell", "--no-imports", "-c", show.format("outgoing")).split() == want
    assert js.manage("shell", "--no-imports", "-c", show.format("incoming")).split() == want
    # Nothing echoes: each side's next pull of the other brings no record and no receipt.
    for who, peer in ((hub, "gd"), (hub, "js"), (gd, "hub"), (js, "hub")):
        out = who.manage("pull", peer, "--no-progress")
        assert ": 0 records" in out and "receipts 0" in out, (peer, out)
    # --- The hub's public portal searches the whole country; a province only its own.
    assert _found(hub, data["e1"]) and _found(hub, data["j1"])
    assert _found(gd, data["e1"]) and not _found(gd, data["j1"])
    assert _found(js, data["j1"]) and not _found(js, data["e1"])
    assert requests.get(f"{gd.url}/api/v1/public/enterprises/{data['j1']}", timeout=30).status_code == 404


def _key_areas(instance: Instance, uscc: str) -> list[str]:
    r = requests.get(f"{instance.url}/api/v1/public/enterprises/{uscc}", timeout=30)
    assert r.status_code == 200, r.text
    return list(r.json()["key_areas"])


def _found(instance: Instance, uscc: str, **filters: str) -> bool:
    r = requests.get(f"{instance.url}/api/v1/public/enterprises", params={"q": uscc, **filters}, timeout=30)
    assert r.status_code == 200, r.text
    return uscc in {e["uscc"] for e in r.json()["results"]}
