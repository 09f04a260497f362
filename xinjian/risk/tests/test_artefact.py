"""The general model as a signed artefact (issue 15 item 4, ADR 0097): the hub calibrates
on pooled data and exports; a province verifies, imports a draft, validates it on its own
data and adopts it through the version workflow; its domain models stay as they were."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from freezegun import freeze_time

from xinjian.collection.models import Inspection
from xinjian.core.actors import SYSTEM
from xinjian.core.models import AuditEntry, Event
from xinjian.risk import actions, artefact
from xinjian.risk.models import Assessment, ClassBandRule, ModelVersion, RiskModel
from xinjian.risk.tests.conftest import offending_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time("2026-10-01 08:00:00"):
        yield


@pytest.fixture
def history(enterprise_factory):
    """200 enterprises over five years (`conftest.offending_history`)."""
    return offending_history(enterprise_factory, 200, seed=11)


@pytest.fixture
def keys(tmp_path, settings):
    """The hub's key pair, configured as this instance's signing key and trusted key."""
    private, public, kid = artefact.generate_keypair(tmp_path / "keys" / "hub")
    settings.XINJIAN_MODEL_SIGNING_KEY = str(private)
    settings.XINJIAN_MODEL_TRUSTED_KEYS = [str(public)]
    return {"private": private, "public": public, "id": kid}


@pytest.fixture
def hub_version(history, keys, settings):
    """At the hub (000000): the general model calibrated on the pooled records, active."""
    settings.XINJIAN_PROVINCE = "000000"
    version = actions.draft_version(RiskModel.objects.get(code="general"), actor=SYSTEM)
    return actions.activate_version(version, actor=SYSTEM, reason="hub")


@pytest.fixture
def exported(hub_version, settings):
    name, data = actions.export_general_model(hub_version, actor=SYSTEM)
    settings.XINJIAN_PROVINCE = "440000"  # from here on, a province
    return data


def _scores(model: str = "general") -> dict[int, tuple[int, str]]:
    return {
        a.enterprise_id: (a.score, a.risk_class)
        for a in Assessment.objects.filter(model_id=model).only("enterprise_id", "score", "risk_class")
    }


def _refused(data: bytes, code: str, field: str | None = None) -> artefact.ArtefactError:
    before = ModelVersion.objects.count(), AuditEntry.objects.count(), Event.objects.count()
    with pytest.raises(artefact.ArtefactError) as caught:
        actions.import_general_model(data, actor=SYSTEM)
    assert caught.value.code == code, caught.value.details
    if field is not None:
        assert caught.value.details[0]["field"] == field
    assert all(d["message"] for d in caught.value.details)
    assert (ModelVersion.objects.count(), AuditEntry.objects.count(), Event.objects.count()) == before
    return caught.value


def _resign(body: dict, private: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    return artefact.sign(body, key)  # type: ignore[arg-type]


def test_the_hub_calibrates_on_pooled_data_and_the_artefact_carries_what_scoring_needs(hub_version, keys):
    assert hub_version.method == "woe_logit" and hub_version.status == "active"
    _name, data = actions.export_general_model(hub_version, actor=SYSTEM)
    assert data.endswith(b"\n") and data[:-1] == artefact.canonical(json.loads(data))
    envelope = json.loads(data)
    body = envelope["payload"]
    assert envelope["format"] == "xinjian.risk-model" and envelope["schema_version"] == 1
    assert envelope["sha256"] == artefact.sha256(artefact.canonical(body))
    assert envelope["signature"]["alg"] == "Ed25519" and envelope["signature"]["key_id"] == keys["id"]
    assert body["source"] == {"province": "000000", "hub": True}
    assert body["version"]["label"] == hub_version.label and body["version"]["created_at"]
    assert body["learner"]["family"] == "scorecard"
    assert body["learner"]["params"]["base_points"] == hub_version.base_points
    assert [i["code"] for i in body["indicators"]] == hub_version.indicator_codes()
    assert all(len(i["definition_sha256"]) == 64 for i in body["indicators"])
    assert body["bands"]["source"] == "shares" and body["bands"]["b_from"] < body["bands"]["c_from"]
    assert body["validation"]["auc"] == hub_version.validation["validation"]["auc"]
    entry = AuditEntry.objects.get(action="risk.model_exported")
    assert entry.after["sha256"] == envelope["sha256"]
    assert Event.objects.filter(type="risk.model_exported").count() == 1


def test_round_trip_scores_every_enterprise_exactly_as_the_hub_did(hub_version, exported):
    actions.score_all(actor=SYSTEM, models=["general"])
    at_hub = _scores()
    domain_before = {
        m.code: list(m.versions.values_list("pk", "status", "spec", "base_points"))
        for m in RiskModel.objects.exclude(code="general")
    }
    domain_bands = list(ClassBandRule.objects.exclude(model_id="general").values_list("pk", flat=True))

    # the province's own score bands, which adopting the hub's bands replaces
    ClassBandRule.objects.create(
        model_id="general",
        effective_from=dt.date(2026, 10, 1),
        b_from=430,
        c_from=460,
        d_from=490,
        basis="本省",
    )
    version = actions.import_general_model(exported, actor=SYSTEM, bands="hub")
    assert version.status == "draft" and version.model_id == "general"
    assert version.number == hub_version.number + 1
    assert version.spec == hub_version.spec and version.base_points == hub_version.base_points
    assert version.origin["version"] == hub_version.label and version.origin["source_province"] == "000000"
    assert version.origin["sha256"] == json.loads(exported)["sha256"]
    # validated on the province's own history, with the hub's bands as chosen
    assert version.validation["validation"]["auc"] > 0.6
    assert version.validation["bands"]["source"] == "hub"
    actions.activate_version(version, actor=SYSTEM, reason="adopt the hub's model")
    rule = ClassBandRule.in_force("general", dt.date(2026, 10, 1))
    assert (rule.b_from, rule.c_from, rule.d_from) == (
        version.origin["bands"]["b_from"],
        version.origin["bands"]["c_from"],
        version.origin["bands"]["d_from"],
    )
    assert "general-v" in rule.basis and "000000" in rule.basis
    actions.score_all(actor=SYSTEM, models=["general"])
    assert _scores() == at_hub and len(at_hub) == 200
    # the domain models are untouched
    assert {
        m.code: list(m.versions.values_list("pk", "status", "spec", "base_points"))
        for m in RiskModel.objects.exclude(code="general")
    } == domain_before
    assert (
        list(ClassBandRule.objects.exclude(model_id="general").values_list("pk", flat=True)) == domain_bands
    )
    # imported, then adopted: audited and evented
    assert AuditEntry.objects.filter(action="risk.model_imported").count() == 1
    adopted = Event.objects.get(type="risk.model_adopted")
    assert adopted.data["hub_version"] == hub_version.label and adopted.data["bands"] == "hub"


def test_own_bands_are_set_by_the_provinces_shares_at_activation(exported):
    version = actions.import_general_model(exported, actor=SYSTEM, bands="own")
    assert version.origin["bands"] == {"choice": "own"}
    assert version.validation["bands"]["source"] == "shares"  # the province's target shares
    actions.activate_version(version, actor=SYSTEM)
    rule = ClassBandRule.in_force("general", dt.date(2026, 10, 1))
    assert rule.b_from == version.validation["bands"]["b_from"] and "目标占比" in rule.basis


def test_the_same_artefact_is_imported_once(exported):
    first = actions.import_general_model(exported, actor=SYSTEM)
    from xinjian.core.errors import Conflict

    with pytest.raises(Conflict) as caught:
        actions.import_general_model(exported, actor=SYSTEM)
    assert caught.value.code == "already_imported" and first.label in caught.value.message


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ('"base_points":', "mismatch"),  # a digit of the content: its digest no longer matches
        ('"value":"', "invalid"),  # a byte of the signature
        ('"sha256":"', "mismatch"),  # a byte of the recorded digest
        ('"key_id":"', "unknown_key"),  # a byte of the key id
        ('"format":"', "unknown_format"),
    ],
)
def test_a_tampered_byte_is_refused_and_nothing_is_stored(exported, where, code):
    text = exported.decode()
    at = text.index(where) + len(where) + 1  # the second character: never a leading digit
    old = text[at]
    new = {"0": "1"}.get(old, "0") if old.isdigit() else ("B" if old != "B" else "C")
    data = (text[:at] + new + text[at + 1 :]).encode()
    assert data != exported and len(data) == len(exported)
    _refused(data, code)


def test_the_file_must_be_byte_for_byte_as_signed(exported):
    pretty = json.dumps(json.loads(exported), indent=1, ensure_ascii=False).encode()
    _refused(pretty, "tampered", "file")
    _refused(exported + b" ", "tampered", "file")


def test_a_changed_value_with_its_json_kept_canonical_is_refused_by_the_signature(exported):
    envelope = json.loads(exported)
    envelope["payload"]["learner"]["params"]["base_points"] += 1
    _refused(artefact.canonical(envelope) + b"\n", "mismatch", "sha256")
    envelope["sha256"] = artefact.sha256(artefact.canonical(envelope["payload"]))
    _refused(artefact.canonical(envelope) + b"\n", "invalid", "signature.value")


def test_unknown_key_unsigned_and_foreign_files_are_refused(exported, tmp_path):
    other, _pub, _kid = artefact.generate_keypair(tmp_path / "other")
    body = json.loads(exported)["payload"]
    _refused(_resign(body, other), "unknown_key", "signature.key_id")
    unsigned = {k: v for k, v in json.loads(exported).items() if k != "signature"}
    _refused(artefact.canonical(unsigned), "unsigned", "signature")
    _refused(b"\xff\xfe not json", "malformed", "file")
    _refused(b'{"format": "something-else"}', "unknown_format", "format")
    later = {**json.loads(exported), "schema_version": 2}
    _refused(artefact.canonical(later), "unsupported", "schema_version")


def test_incompatible_artefacts_are_refused_even_when_signed_by_the_hub(exported, keys):
    body = json.loads(exported)["payload"]
    unknown = json.loads(json.dumps(body))
    unknown["indicators"][0]["code"] = "no_such_indicator"
    _refused(_resign(unknown, keys["private"]), "unknown_indicator", "indicators")
    drifted = json.loads(json.dumps(body))
    drifted["indicators"][1]["definition_sha256"] = "0" * 64
    error = _refused(_resign(drifted, keys["private"]), "definition_changed", "indicators")
    assert body["indicators"][1]["code"] in error.details[0]["message"]
    family = json.loads(json.dumps(body))
    family["learner"]["family"] = "quantum"
    _refused(_resign(family, keys["private"]), "unknown_family", "learner.family")
    domain = json.loads(json.dumps(body))
    domain["model"]["code"] = "food"
    _refused(_resign(domain, keys["private"]), "not_general", "model.code")
    broken = json.loads(json.dumps(body))
    broken["learner"]["params"]["spec"][0]["points"].append(1)
    error = _refused(_resign(broken, keys["private"]), "invalid_params")
    assert error.details[0]["field"].startswith("learner.params.spec.0")


@pytest.mark.parametrize(
    ("part", "value", "field"),
    [("version", "v9", "version"), ("bands", [1, 2], "bands"), ("source", None, "source")],
)
def test_a_misshapen_payload_signed_by_the_hub_is_refused_not_a_server_error(
    exported, keys, part, value, field
):
    body = json.loads(exported)["payload"]
    body[part] = value
    if value is None:
        body[part] = "somewhere"
    _refused(_resign(body, keys["private"]), "invalid", field)
    label_missing = json.loads(exported)["payload"]
    del label_missing["version"]["label"]
    _refused(_resign(label_missing, keys["private"]), "invalid", "version.label")


def test_only_the_general_model_is_exported_and_only_with_a_key(hub_version, settings):
    from xinjian.core.errors import DomainError

    food = RiskModel.objects.get(code="food_production").active_version()
    with pytest.raises(DomainError) as caught:
        actions.export_general_model(food, actor=SYSTEM)
    assert caught.value.code == "not_general"
    settings.XINJIAN_MODEL_SIGNING_KEY = ""
    with pytest.raises(DomainError) as caught:
        actions.export_general_model(hub_version, actor=SYSTEM)
    assert caught.value.code == "no_signing_key"
    assert not AuditEntry.objects.filter(action="risk.model_exported").exists()


def test_a_province_without_history_imports_and_may_take_the_hubs_bands(exported):
    Inspection.objects.all().delete()
    version = actions.import_general_model(exported, actor=SYSTEM, bands="hub")
    assert version.validation == {} and version.origin["bands"]["choice"] == "hub"
    actions.activate_version(version, actor=SYSTEM)
    rule = ClassBandRule.in_force("general", dt.date(2026, 10, 1))
    assert rule.b_from == version.origin["bands"]["b_from"]


def test_commands_keygen_export_import(history, tmp_path, settings, capsys):
    call_command("model_keygen", str(tmp_path / "hub"))
    out = capsys.readouterr().out
    assert "XINJIAN_MODEL_SIGNING_KEY=" in out and (tmp_path / "hub.key").stat().st_mode & 0o077 == 0
    with pytest.raises(CommandError, match="已存在"):
        call_command("model_keygen", str(tmp_path / "hub"))
    settings.XINJIAN_MODEL_SIGNING_KEY = str(tmp_path / "hub.key")
    settings.XINJIAN_MODEL_TRUSTED_KEYS = [str(tmp_path)]  # a folder of trusted keys
    settings.XINJIAN_PROVINCE = "000000"
    call_command("calibrate", "--model", "general", "--activate")
    call_command("export_model", "--out", str(tmp_path))
    files = list(tmp_path.glob("general-v2-000000-*.xjmodel.json"))
    assert len(files) == 1
    settings.XINJIAN_PROVINCE = "440000"
    capsys.readouterr()
    call_command("import_model", str(files[0]))
    out = capsys.readouterr().out
    assert "已导入 000000 的 general-v2" in out and "草稿 general-v3" in out and "AUC" in out
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(files[0].read_bytes().replace(b'"base_points":', b'"base_points":1', 1))
    with pytest.raises(CommandError, match=r"\[mismatch\].*sha256"):
        call_command("import_model", str(tampered))
    with pytest.raises(CommandError, match="二选一"):
        call_command("import_model")


def test_staff_export_button_and_upload_page(exported, hub_version, client, staff_factory):
    admin = staff_factory("440000", ["administrator"])
    client.force_login(admin)
    page = client.get(reverse("risk:version", args=[hub_version.pk])).content.decode()
    assert 'id="export-form"' in page
    answer = client.post(reverse("risk:export_version", args=[hub_version.pk]))
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    assert json.loads(answer.content)["payload"]["version"]["label"] == hub_version.label
    model_page = client.get(reverse("risk:model", args=["general"])).content.decode()
    assert 'id="import-link"' in model_page
    form = client.get(reverse("risk:import_model")).content.decode()
    assert 'id="own-bands"' in form and "目标占比" in form and 'id="trusted-keys"' in form

    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = exported.replace(b'"base_points":', b'"base_points":9', 1)
    answer = client.post(
        reverse("risk:import_model"),
        {"file": SimpleUploadedFile("m.json", bad), "bands": "own"},
    )
    body = answer.content.decode()
    assert (
        answer.status_code == 400
        and 'id="import-error"' in body
        and "<code>sha256</code>" in body
        and "<code>mismatch</code>" in body
    )
    answer = client.post(
        reverse("risk:import_model"),
        {"file": SimpleUploadedFile("m.json", exported), "bands": "hub", "note": "全国中心 2026 版"},
    )
    version = ModelVersion.objects.get(origin__sha256=json.loads(exported)["sha256"])
    assert answer.status_code == 302 and answer["Location"] == reverse("risk:version", args=[version.pk])
    assert version.note == "全国中心 2026 版"
    page = client.get(answer["Location"]).content.decode()
    assert 'id="origin"' in page and "000000" in page and "采用全国中心的分值区间" in page
    assert "启用此版本" in page  # the existing workflow activates it
    history = client.get(reverse("risk:model", args=["general"])).content.decode()
    assert f"导入自 000000 的 {hub_version.label}" in history


def test_no_export_button_without_a_signing_key(hub_version, client, staff_factory, settings):
    settings.XINJIAN_MODEL_SIGNING_KEY = ""
    client.force_login(staff_factory("440000", ["administrator"]))
    page = client.get(reverse("risk:version", args=[hub_version.pk])).content.decode()
    assert 'id="export-form"' not in page and "启用" in page


def test_the_pages_are_for_model_managers_only(client, staff_factory, hub_version):
    client.force_login(staff_factory("440000", ["credit_officer"]))  # may view risk, not manage models
    assert client.get(reverse("risk:import_model")).status_code == 403
    assert client.post(reverse("risk:export_version", args=[hub_version.pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="risk.model_exported").exists()


def test_signature_value_is_base64_of_an_ed25519_signature(exported, keys):
    from cryptography.hazmat.primitives import serialization

    envelope = json.loads(exported)
    public = serialization.load_pem_public_key(keys["public"].read_bytes())
    public.verify(  # type: ignore[union-attr, call-arg]
        base64.b64decode(envelope["signature"]["value"]), artefact.canonical(envelope["payload"])
    )


def test_the_api_serves_the_signed_artefact_of_the_active_general_model(hub_version, client):
    from xinjian.sharing.models import ApiClient

    _client, token = ApiClient.issue("gd", ["share"])
    answer = client.get("/api/v1/models/general/latest", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    checked = artefact.read(answer.content)
    assert checked.label == hub_version.label and checked.source_province == "000000"
