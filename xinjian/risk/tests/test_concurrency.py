"""A double-submitted activation of a model version activates it once, retires the version
in force once and reports `risk.version_activated` once (PostgreSQL)."""

from __future__ import annotations

from xinjian.core.models import Event
from xinjian.core.tests.concurrency import concurrent, double_submit, one_success
from xinjian.risk import actions
from xinjian.risk.models import ModelVersion, RiskModel

pytestmark = concurrent


def test_a_double_submitted_activation_is_taken_once(province_officer):
    model = RiskModel.objects.get(code="general")
    before = model.active_version()
    draft = actions.create_expert_version(model, actor=province_officer, activate=False)
    assert draft.status == "draft"

    out = double_submit(
        lambda: ModelVersion.objects.get(pk=draft.pk),
        lambda v: actions.activate_version(v, actor=province_officer, reason="新版本"),
    )

    one_success(out)
    assert Event.objects.filter(type="risk.version_activated", data__version=draft.label).count() == 1
    assert [h.action for h in ModelVersion.objects.get(pk=draft.pk).transitions.order_by("id")] == [
        "draft",
        "activate",
    ]
    assert [h.action for h in ModelVersion.objects.get(pk=before.pk).transitions.order_by("id")][
        -1
    ] == "retire"
