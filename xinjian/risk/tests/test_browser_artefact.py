"""Browser journey (ADR 0097): a province's model administrator uploads the hub's signed
general model — a tampered copy is refused with its field and code, the genuine one
becomes a draft with its origin shown — and activates it through the version workflow."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_uploads_the_hubs_model_and_activates_it(page, staff_factory, tmp_path, settings):
    from xinjian.core.actors import SYSTEM
    from xinjian.risk import actions, artefact
    from xinjian.risk.models import ModelVersion, RiskModel

    private, public, kid = artefact.generate_keypair(tmp_path / "hub")
    settings.XINJIAN_MODEL_SIGNING_KEY = str(private)
    settings.XINJIAN_MODEL_TRUSTED_KEYS = [str(public)]
    hub = RiskModel.objects.get(code="general").active_version()
    name, data = actions.export_general_model(hub, actor=SYSTEM)
    genuine = tmp_path / name
    genuine.write_bytes(data)
    tampered = tmp_path / "tampered.xjmodel.json"
    tampered.write_bytes(data.replace(b'"base_points":4', b'"base_points":5', 1))
    staff_factory("440000", ["administrator"], "modeller")

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("modeller")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")
    page.goto("/staff/risk/models/general/")
    page.get_by_role("link", name="导入全国中心通用模型（签名模型文件）").click()
    expect(page.locator("#trusted-keys")).to_contain_text(kid)
    page.get_by_label("模型文件", exact=True).set_input_files(str(tampered))
    page.get_by_role("button", name="校验并导入为草稿").click()
    error = page.locator("#import-error")
    expect(error).to_contain_text("sha256")
    expect(error).to_contain_text("mismatch")
    expect(error).to_contain_text("未保存任何内容")
    assert ModelVersion.objects.filter(model_id="general").count() == 1

    page.get_by_label("模型文件", exact=True).set_input_files(str(genuine))
    page.get_by_label("沿用本省的分类区间", exact=True).check()
    page.get_by_role("button", name="校验并导入为草稿").click()
    page.wait_for_url("**/staff/risk/versions/*/")
    expect(page.locator("#origin")).to_contain_text(hub.label)
    expect(page.locator("#origin-bands")).to_contain_text("沿用本省的分类区间")
    page.get_by_role("button", name="启用此版本").click()
    expect(page.locator("hgroup")).to_contain_text("生效")
    version = ModelVersion.objects.get(model_id="general", status="active")
    assert version.origin["version"] == hub.label and version.spec == hub.spec
