"""Seed the models, the class bands, the per-class supervision measures (domain.md §7,
Risk Opinions) and an expert initial version of each model, so scoring works before any
history has been collected; `manage.py calibrate --activate` replaces them."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

MODELS = [
    ("general", "通用型信用风险分类模型", "General model", "", 0),
    ("food_production", "食品生产专业模型", "Food production domain model", "food", 1),
    ("special_equipment", "特种设备专业模型", "Special equipment domain model", "special_equipment", 2),
]

# Scores sit on a log-odds scale (scoring.py: 500 = even odds of a problem, 20 points
# double the odds). Defaults (assumed, set per province): A below 440 (~12% of
# inspections find a problem), B below 470, C below 500, D from 500 (even odds or worse).
BANDS = (440, 470, 500)

# Risk Opinions / domain.md §7: example provincial ratios D 30%, C 10%, B 2%, A 1%;
# example city ranges A ≤5%, B 5–20%, C 21–60%, D 61–100%.
MEASURES = [
    ("A", "0.0100", "≤5%", "降低抽查比例和频次，无事不扰，不主动实施现场检查"),
    ("B", "0.0200", "5%–20%", "按常规比例和频次抽查"),
    ("C", "0.1000", "21%–60%", "适当提高抽查比例和频次"),
    ("D", "0.3000", "61%–100%", "大幅提高抽查比例和频次，必要时主动实施现场检查，采取针对性监管措施"),
]
EFFECTIVE = dt.date(2022, 1, 13)  # 国市监信发〔2022〕6号


def seed(apps, schema_editor):
    from xinjian.risk.indicators import indicators_for

    RiskModel = apps.get_model("risk", "RiskModel")
    ClassBandRule = apps.get_model("risk", "ClassBandRule")
    SupervisionMeasure = apps.get_model("risk", "SupervisionMeasure")
    ModelVersion = apps.get_model("risk", "ModelVersion")
    Transition = apps.get_model("risk", "ModelVersionTransition")
    for code, name, name_en, domain, order in MODELS:
        model, _ = RiskModel.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "key_area_domain": domain, "sort_order": order})
        if not ClassBandRule.objects.filter(model=model).exists():
            ClassBandRule.objects.create(model=model, effective_from=EFFECTIVE, b_from=BANDS[0], c_from=BANDS[1],
                                         d_from=BANDS[2], basis="国市监信发〔2022〕6号；默认值（假定），各省可调整")
        if not ModelVersion.objects.filter(model=model).exists():
            spec = [{"code": i.code, "edges": [float(e) for e in i.edges], "points": list(i.default_points)}
                    for i in indicators_for(code, domain)]
            version = ModelVersion.objects.create(
                model=model, number=1, status="active", method="expert", base_points=420, spec=spec,
                created_by="system", note="专家初始赋分：未经历史数据校准，待检查结果积累后校准替换。",
                activated_at=dt.datetime(2022, 1, 13, tzinfo=dt.UTC))
            Transition.objects.create(version=version, from_status="draft", to_status="active",
                                      actor_label="system", reason="初始版本",
                                      at=dt.datetime(2022, 1, 13, tzinfo=dt.UTC))
    for klass, ratio, span, measures in MEASURES:
        if not SupervisionMeasure.objects.filter(risk_class=klass).exists():
            SupervisionMeasure.objects.create(risk_class=klass, effective_from=EFFECTIVE, draw_ratio=Decimal(ratio),
                                              ratio_range=span, measures=measures,
                                              basis="国市监信发〔2022〕6号；比例为某省示例（默认值，按任务设定）")


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
