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


PUBLIC_STRATIFIED_KEYS = {
    "draw_id",
    "task",
    "commitment",
    "committed_at",
    "drawn_at",
    "algorithm",
    "population",
    "selected",
    # additions
    "task_title",
    "stratified",
    "superseded",
    "superseded_reason",
}


def _auditor(client, draw, api_client_factory):
    _c, risk = api_client_factory(scopes=["risk"])
    return client.get(f"/api/v1/draws/{draw.draw_id}/population", HTTP_AUTHORIZATION=f"Bearer {risk}").json()


def test_public_draw_list_and_detail_have_the_contract_fields(client, a_draw):
    listing = client.get("/api/v1/public/draws").json()
    assert listing["results"][0]["draw_id"] == a_draw.draw_id
    assert {"draw_id", "task", "drawn_at"} <= set(listing["results"][0])
    body = client.get(f"/api/v1/public/draws/{a_draw.draw_id}").json()
    assert set(body) == PUBLIC_STRATIFIED_KEYS
    assert body["algorithm"] == "hash-rank-v1" and body["stratified"] is True
    assert body["population"] == 40 and len(body["selected"]) == 1 + 2 + 3 + 5


def test_a_stratified_draw_publishes_nothing_that_ranks_or_classes_an_enterprise(client, a_draw):
    """interfaces.md v1.1: no seed (it ranks every USCC by hash), no strata, no per-stratum
    ratio or selection (a ratio tells the class), and the merged selection in USCC order,
    not in stratum or rank order."""
    body = client.get(f"/api/v1/public/draws/{a_draw.draw_id}").json()
    text = json.dumps(body)
    assert a_draw.seed not in text and "seed" not in body and "strata" not in body
    assert '"ratio"' not in text and '"class"' not in text and "risk_class" not in text
    strata = list(a_draw.strata.order_by("name"))
    rank_order = [u for s in strata for u in s.selected]
    assert body["selected"] == sorted(rank_order)
    assert body["selected"] != rank_order  # the stored order (stratum, hash rank) is not what is shown

    page = client.get(f"/public/inspections/draws/{a_draw.draw_id}/").content.decode()
    assert a_draw.seed not in page
    for s in strata:
        assert s.population_digest not in page
        assert f">{s.name}<" not in page and f"{s.name}：" not in page
    positions = [page.index(u) for u in body["selected"]]
    assert positions == sorted(positions), "the page lists the selection in USCC order"
    task_page = client.get(f"/public/inspections/tasks/{a_draw.task.code}/").content.decode()
    assert a_draw.seed not in task_page and a_draw.commitment in task_page


def test_the_commitment_is_public_before_the_draw_with_its_time(
    food_enterprises, inspector_factory, risk_classes, supervisor, food_task, client
):
    from freezegun import freeze_time

    es = food_enterprises(8)
    for i, e in enumerate(es):
        risk_classes[e.id] = "AD"[i % 2]
    inspector_factory(), inspector_factory()
    task = food_task(ratios={"A": "0.25", "B": "0.25", "C": "0.5", "D": "0.5"})
    with freeze_time("2026-03-02 09:00:00"):
        actions.publish_task(task, actor=supervisor)
    with freeze_time("2026-03-03 10:00:00"):
        draw = actions.draw_task(task, actor=supervisor)
    body = client.get(f"/api/v1/public/draws/{draw.draw_id}").json()
    assert body["committed_at"].startswith("2026-03-02T09:00:00")
    assert body["drawn_at"].startswith("2026-03-03T10:00:00")
    # A re-draw commits to a fresh seed at its own time, before the next draw.
    with freeze_time("2026-03-04 08:00:00"):
        task = actions.redraw(task, actor=supervisor, reason="名录库数据更正")
    with freeze_time("2026-03-04 08:00:01"):
        second = actions.draw_task(task, actor=supervisor)
    body = client.get(f"/api/v1/public/draws/{second.draw_id}").json()
    assert body["committed_at"].startswith("2026-03-04T08:00:00") and body["commitment"] != draw.commitment
    from xinjian.inspections.verify import verify

    assert verify(body) == []
    body["committed_at"] = "2026-03-04T08:00:02+00:00"  # a commitment after the draw is caught
    assert any("before the draw" in p for p in verify(body))


def test_the_auditor_endpoint_carries_everything_needed_to_recompute(client, a_draw, api_client_factory):
    from xinjian.inspections.verify import verify

    pop = _auditor(client, a_draw, api_client_factory)
    assert set(pop) == {"draw_id", "commitment", "seed", "algorithm", "strata"}
    assert pop["seed"] == a_draw.seed and pop["commitment"] == a_draw.commitment
    for s in pop["strata"]:
        assert set(s) == {"stratum", "class", "ratio", "population", "population_digest", "uscc", "selected"}
        assert s["selected"] == sorted(s["selected"]) and s["uscc"] == sorted(s["uscc"])
    assert {s["class"]: s["ratio"] for s in pop["strata"]} == {"A": 0.1, "B": 0.2, "C": 0.3, "D": 0.5}
    public = client.get(f"/api/v1/public/draws/{a_draw.draw_id}").json()
    assert verify(public) == [] and verify(public, pop) == []
    # Recomputation catches a seed that is not the committed one, and a swapped selection.
    bad = json.loads(json.dumps(pop))
    bad["seed"] = "0" * 64
    assert any("commitment" in p for p in verify(public, bad))
    bad = json.loads(json.dumps(pop))
    stratum = next(s for s in bad["strata"] if s["selected"])
    stratum["selected"][0] = next(u for u in stratum["uscc"] if u not in stratum["selected"])
    assert any("recomputed selection differs" in p for p in verify(public, bad))


def test_a_single_stratum_draw_stays_fully_public(
    client, food_enterprises, inspector_factory, risk_classes, supervisor, food_task, api_client_factory
):
    from xinjian.inspections.verify import verify

    es = food_enterprises(20)
    for i, e in enumerate(es):
        risk_classes[e.id] = "ABCD"[i % 4]
    inspector_factory(), inspector_factory()
    task = food_task(ratios={"A": "0.3", "B": "0.3", "C": "0.3", "D": "0.3"})
    actions.publish_task(task, actor=supervisor)
    draw = actions.draw_task(task, actor=supervisor)
    body = client.get(f"/api/v1/public/draws/{draw.draw_id}").json()
    assert body["stratified"] is False and body["seed"] == draw.seed
    assert len(body["strata"]) == 1 and body["population"] == 20 and len(body["selected"]) == 6
    (stratum,) = body["strata"]
    assert set(stratum) == {"stratum", "ratio", "population", "population_digest", "selected"}
    assert stratum["selected"] == body["selected"] == sorted(body["selected"])
    assert verify(body) == []
    pop = _auditor(client, draw, api_client_factory)
    assert "class" not in pop["strata"][0] and len(pop["strata"][0]["uscc"]) == 20
    assert verify(body, pop) == []
    page = client.get(f"/public/inspections/draws/{draw.draw_id}/").content.decode()
    assert draw.seed in page
    body["strata"][0]["selected"] = body["strata"][0]["selected"][:-1]
    assert any("ceil" in p for p in verify(body))


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
    assert client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
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

    # A tampered merged selection is caught.
    data = json.loads(draw_file.read_text())
    population = json.loads(pop_file.read_text())
    pool = [u for p in population["strata"] for u in p["uscc"]]
    data["selected"][-1] = next(u for u in reversed(pool) if u not in data["selected"])
    data["selected"].sort()
    draw_file.write_text(json.dumps(data))
    run = subprocess.run(
        [sys.executable, "-m", "xinjian.inspections.verify", str(draw_file), "--population", str(pop_file)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[3],
    )
    assert run.returncode == 1 and "merge" in run.stdout
    # The public file alone still verifies what it can, and says the rest is for auditors.
    draw_file.write_bytes(client.get(f"/api/v1/public/draws/{a_draw.draw_id}").content)
    run = subprocess.run(
        [sys.executable, "-m", "xinjian.inspections.verify", str(draw_file)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[3],
    )
    assert run.returncode == 0 and "auditors" in run.stdout


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
        "datetime",
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
    assert old["superseded_reason"] == "名录库数据更正" and "seed" not in old
