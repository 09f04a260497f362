"""A province fetches the hub's active general model over HTTP (`GET
/api/v1/models/general/latest`, scope share) with `import_model --from-peer NAME`, using
the federation peer table (ADR 0097)."""

from __future__ import annotations

import pytest
import requests
from django.core.management import CommandError, call_command

from xinjian.collection.models import Peer
from xinjian.core.models import AuditEntry
from xinjian.risk import artefact
from xinjian.risk.models import ModelVersion
from xinjian.sharing.models import ApiClient


@pytest.fixture
def keys(tmp_path, settings):
    private, public, kid = artefact.generate_keypair(tmp_path / "hub")
    settings.XINJIAN_MODEL_SIGNING_KEY = str(private)
    settings.XINJIAN_MODEL_TRUSTED_KEYS = [str(public)]
    return kid


@pytest.mark.django_db(transaction=True)
def test_import_from_peer_fetches_the_hubs_active_general_model(live_server, keys, capsys):
    _client, token = ApiClient.issue("gd", ["share"])
    _other, risk_only = ApiClient.issue("auditor", ["risk"])
    url = f"{live_server.url}/api/v1/models/general/latest"
    assert requests.get(url, timeout=30).status_code == 401
    refused = requests.get(url, headers={"Authorization": f"Bearer {risk_only}"}, timeout=30)
    assert refused.status_code == 403 and refused.json()["error"]["code"]
    Peer.objects.create(name="hub", url=live_server.url, token=token)
    call_command("import_model", "--from-peer", "hub")
    assert "已导入" in capsys.readouterr().out
    version = ModelVersion.objects.get(model_id="general", origin__version="general-v1")
    assert version.status == "draft" and version.origin["key_id"] == keys
    exported = AuditEntry.objects.get(action="risk.model_exported")
    assert "gd" in exported.actor_label
    with pytest.raises(CommandError, match="没有名为 nowhere"):
        call_command("import_model", "--from-peer", "nowhere")
