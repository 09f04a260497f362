"""The public and auditor draw endpoints (interfaces.md) and the stand-alone verifier run
against a real draw."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from xinjian.inspections import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_draw(food_enterprises, inspector_factory, risk_classes, supervisor, food_task):
    es = food_enterprises(40)
    for i, e in enumerate(es):
        risk_classes[e.id] = "ABCD"[i % 4]
    for _ in range(4):
        inspector_factory()
    task = food_task(ratios={"A": "0.1", "B": "0.2", "C": "0.3", "D": "0.5"})
    actions.publish_task(task, actor=supervisor)
    return actions.draw_task(task, actor=supervisor)


def test_public_draw_list_and_detail_have_the_contract_fields(client, a_draw):
    listing = client.get("/api/v1/public/draws").json()
    assert listing["results"][0]["draw_id"] == a_draw.draw_id
    assert {"draw_id", "task", "drawn_at"} <= set(listing["results"][0])
    body = client.get(f"/api/v1/public/draws/{a_draw.draw_id}").json()
    assert {"draw_id", "task", "commitment", "seed", "algorithm", "strata"} <= set(body)
    assert body["algorithm"] == "hash-rank-v1" and body["seed"] == a_draw.seed
    assert [s["stratum"] for s in body["strata"]] == ["S1", "S2", "S3", "S4"]
    for s in body["strata"]:
        assert set(s) == {"stratum", "population", "population_digest", "ratio", "selected"}  # no class
    assert "risk_class" not in json.dumps(body) and '"class"' not in json.dumps(body)


def test_unknown_draw_is_a_404_in_the_error_shape(client):
    r = client.get("/api/v1/public/draws/NOPE")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_population_needs_the_risk_scope(client, a_draw, api_client_factory):
    url = f"/api/v1/draws/{a_draw.draw_id}/population"
    assert client.get(url).status_code == 401
    _c, ingest = api_client_factory(scopes=["ingest"])
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {ingest}").status_code == 403
    _c, other_region = api_client_factory(scopes=["risk"], region_code="440106")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_region}").status_code == 404
    _c, risk = api_client_factory(scopes=["risk"], region_code="440300")
    body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {risk}").json()
    assert {s["class"] for s in body["strata"]} == {"A", "B", "C", "D"}
    assert all(s["uscc"] == sorted(s["uscc"]) and len(s["uscc"]) == 10 for s in body["strata"])


def test_the_stand_alone_verifier_recomputes_a_real_draw(client, a_draw, api_client_factory, tmp_path: Path):
    _c, risk = api_client_factory(scopes=["risk"])
    draw_file = tmp_path / "draw.json"
    pop_file = tmp_path / "population.json"
    draw_file.write_bytes(client.get(f"/api/v1/public/draws/{a_draw.draw_id}").content)
    pop_file.write_bytes(
        client.get(f"/api/v1/draws/{a_draw.draw_id}/population", HTTP_AUTHORIZATION=f"Bearer {risk}").content
    )
    # Run as a separate program, as an outsider would, with the standard library only.
    run = subprocess.run(
        [sys.executable, "-m", "xinjian.inspections.verify", str(draw_file), "--population", str(pop_file)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[3],
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith(f"OK {a_draw.draw_id}") and "recomputed" in run.stdout

    # A tampered selection is caught.
    data = json.loads(draw_file.read_text())
    population = json.loads(pop_file.read_text())
    stratum = next(s for s in data["strata"] if s["selected"])
    pool = next(p["uscc"] for p in population["strata"] if p["stratum"] == stratum["stratum"])
    stratum["selected"][-1] = next(u for u in pool if u not in stratum["selected"])
    draw_file.write_text(json.dumps(data))
    run = subprocess.run(
        [sys.executable, "-m", "xinjian.inspections.verify", str(draw_file), "--population", str(pop_file)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[3],
    )
    assert run.returncode == 1 and "differs" in run.stdout


def test_verifier_catches_a_seed_that_does_not_match_the_commitment(client, a_draw):
    from xinjian.inspections.verify import verify

    data = client.get(f"/api/v1/public/draws/{a_draw.draw_id}").json()
    assert verify(data) == []
    data["seed"] = "0" * 64
    assert any("commitment" in p for p in verify(data))


def test_verifier_imports_nothing_but_the_standard_library():
    source = (Path(__file__).parents[1] / "verify.py").read_text()
    imports = {
        line.split()[1].split(".")[0] for line in source.splitlines() if line.startswith(("import ", "from "))
    }
    assert imports <= {
        "__future__",
        "argparse",
        "hashlib",
        "json",
        "math",
        "sys",
        "urllib",
        "decimal",
        "fractions",
        "typing",
    }


def test_openapi_describes_the_draw_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/public/draws",
        "/api/v1/public/draws/{draw_id}",
        "/api/v1/draws/{draw_id}/population",
    } <= set(paths)
    population = paths["/api/v1/draws/{draw_id}/population"]["get"]
    assert population.get("security"), "the auditor endpoint declares its bearer auth"


@pytest.mark.django_db(transaction=True)
def test_the_verifier_reads_a_draw_and_population_from_urls(
    live_server, food_enterprises, inspector_factory, supervisor, food_task, api_client_factory, capsys
):
    from xinjian.inspections.verify import main

    food_enterprises(12)
    inspector_factory(), inspector_factory()
    task = food_task(ratios={"A": "0.5", "B": "0.5", "C": "0.5", "D": "0.5"})
    actions.publish_task(task, actor=supervisor)
    draw = actions.draw_task(task, actor=supervisor)
    _c, token = api_client_factory(scopes=["risk"])
    code = main(
        [
            f"{live_server.url}/api/v1/public/draws/{draw.draw_id}",
            "--population",
            f"{live_server.url}/api/v1/draws/{draw.draw_id}/population",
            "--token",
            token,
        ]
    )
    assert code == 0, capsys.readouterr().out
    assert "recomputed" in capsys.readouterr().out


def test_a_superseded_draw_stays_public_beside_the_new_one(client, a_draw, supervisor):
    task = actions.redraw(a_draw.task, actor=supervisor, reason="名录库数据更正")
    second = actions.draw_task(task, actor=supervisor)
    listing = {d["draw_id"]: d for d in client.get("/api/v1/public/draws").json()["results"]}
    assert listing[a_draw.draw_id]["superseded"] is True and listing[second.draw_id]["superseded"] is False
    old = client.get(f"/api/v1/public/draws/{a_draw.draw_id}").json()
    assert old["superseded_reason"] == "名录库数据更正" and old["seed"] == a_draw.seed
