"""Seed the models, the class bands, the per-class supervision measures (domain.md §7,
Risk Opinions) and an expert initial version of each model, so scoring works before any
history has been collected; `manage.py calibrate --activate` replaces them.

Frozen (issue 11 §6): the initial versions' indicator specs are copied here as the
indicator catalogue gave them when this was written, so a database migrated later starts
from the same version 1 (a new catalogue makes a new version, never an edit of this file)."""

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

SPECS = {'general': [{'code': 'age_years', 'edges': [0.0, 1.0, 3.0, 5.0, 10.0], 'points': [30, 20, 10, 5, 0]},
             {'code': 'registered_capital',
              'edges': [0.0, 50.0, 100.0, 500.0, 1000.0],
              'points': [20, 12, 8, 4, 0]},
             {'code': 'natural_person_invested', 'edges': [0.0, 1.0], 'points': [0, 5]},
             {'code': 'annual_reports_late_3y', 'edges': [0.0, 1.0, 2.0], 'points': [0, 25, 45]},
             {'code': 'licences_lapsed_24m', 'edges': [0.0, 1.0], 'points': [0, 10]},
             {'code': 'valid_licences', 'edges': [0.0, 1.0, 3.0], 'points': [5, 0, 0]},
             {'code': 'notification_commitments_24m', 'edges': [0.0, 1.0, 3.0], 'points': [0, 3, 6]},
             {'code': 'penalties_24m', 'edges': [0.0, 1.0, 2.0, 3.0], 'points': [0, 20, 35, 50]},
             {'code': 'heavy_penalties_36m', 'edges': [0.0, 1.0], 'points': [0, 40]},
             {'code': 'fines_36m', 'edges': [0.0, 1.0, 10000.0, 100000.0], 'points': [0, 5, 10, 20]},
             {'code': 'problem_inspections_24m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 25, 45]},
             {'code': 'clean_inspections_24m', 'edges': [0.0, 1.0, 2.0], 'points': [10, 5, 0]},
             {'code': 'problem_share_60m',
              'edges': [0.0, 1.0, 15.0, 30.0, 50.0],
              'points': [0, 10, 20, 35, 50]},
             {'code': 'penalties_60m', 'edges': [0.0, 1.0, 2.0, 3.0], 'points': [0, 10, 20, 30]},
             {'code': 'anomaly_listings_36m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 30, 45]},
             {'code': 'serious_listings_36m', 'edges': [0.0, 1.0], 'points': [0, 60]},
             {'code': 'untrue_commitments_36m', 'edges': [0.0, 1.0], 'points': [0, 30]},
             {'code': 'rep_other_listed', 'edges': [0.0, 1.0, 2.0], 'points': [0, 20, 30]},
             {'code': 'rep_other_penalised', 'edges': [0.0, 1.0, 2.0], 'points': [0, 10, 20]},
             {'code': 'enterprises_at_address', 'edges': [0.0, 1.0, 3.0, 10.0], 'points': [0, 3, 10, 25]},
             {'code': 'address_other_listed', 'edges': [0.0, 1.0], 'points': [0, 15]},
             {'code': 'complaints_12m', 'edges': [0.0, 1.0, 3.0], 'points': [0, 8, 15]},
             {'code': 'substantiated_complaints_24m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 20, 35]},
             {'code': 'substantiated_complaints_60m',
              'edges': [0.0, 1.0, 2.0, 4.0],
              'points': [0, 10, 20, 30]}],
 'food_production': [{'code': 'age_years', 'edges': [0.0, 1.0, 3.0, 5.0, 10.0], 'points': [30, 20, 10, 5, 0]},
                     {'code': 'registered_capital',
                      'edges': [0.0, 50.0, 100.0, 500.0, 1000.0],
                      'points': [20, 12, 8, 4, 0]},
                     {'code': 'natural_person_invested', 'edges': [0.0, 1.0], 'points': [0, 5]},
                     {'code': 'annual_reports_late_3y', 'edges': [0.0, 1.0, 2.0], 'points': [0, 25, 45]},
                     {'code': 'licences_lapsed_24m', 'edges': [0.0, 1.0], 'points': [0, 10]},
                     {'code': 'valid_licences', 'edges': [0.0, 1.0, 3.0], 'points': [5, 0, 0]},
                     {'code': 'notification_commitments_24m', 'edges': [0.0, 1.0, 3.0], 'points': [0, 3, 6]},
                     {'code': 'penalties_24m', 'edges': [0.0, 1.0, 2.0, 3.0], 'points': [0, 20, 35, 50]},
                     {'code': 'heavy_penalties_36m', 'edges': [0.0, 1.0], 'points': [0, 40]},
                     {'code': 'fines_36m', 'edges': [0.0, 1.0, 10000.0, 100000.0], 'points': [0, 5, 10, 20]},
                     {'code': 'problem_inspections_24m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 25, 45]},
                     {'code': 'clean_inspections_24m', 'edges': [0.0, 1.0, 2.0], 'points': [10, 5, 0]},
                     {'code': 'problem_share_60m',
                      'edges': [0.0, 1.0, 15.0, 30.0, 50.0],
                      'points': [0, 10, 20, 35, 50]},
                     {'code': 'penalties_60m', 'edges': [0.0, 1.0, 2.0, 3.0], 'points': [0, 10, 20, 30]},
                     {'code': 'anomaly_listings_36m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 30, 45]},
                     {'code': 'serious_listings_36m', 'edges': [0.0, 1.0], 'points': [0, 60]},
                     {'code': 'untrue_commitments_36m', 'edges': [0.0, 1.0], 'points': [0, 30]},
                     {'code': 'rep_other_listed', 'edges': [0.0, 1.0, 2.0], 'points': [0, 20, 30]},
                     {'code': 'rep_other_penalised', 'edges': [0.0, 1.0, 2.0], 'points': [0, 10, 20]},
                     {'code': 'enterprises_at_address',
                      'edges': [0.0, 1.0, 3.0, 10.0],
                      'points': [0, 3, 10, 25]},
                     {'code': 'address_other_listed', 'edges': [0.0, 1.0], 'points': [0, 15]},
                     {'code': 'complaints_12m', 'edges': [0.0, 1.0, 3.0], 'points': [0, 8, 15]},
                     {'code': 'substantiated_complaints_24m',
                      'edges': [0.0, 1.0, 2.0],
                      'points': [0, 20, 35]},
                     {'code': 'substantiated_complaints_60m',
                      'edges': [0.0, 1.0, 2.0, 4.0],
                      'points': [0, 10, 20, 30]},
                     {'code': 'food_sampling_failures_24m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 30, 50]},
                     {'code': 'food_penalties_36m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 30, 45]},
                     {'code': 'food_licence_expiring', 'edges': [0.0, 1.0], 'points': [0, 15]},
                     {'code': 'food_complaints_24m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 10, 20]}],
 'special_equipment': [{'code': 'age_years',
                        'edges': [0.0, 1.0, 3.0, 5.0, 10.0],
                        'points': [30, 20, 10, 5, 0]},
                       {'code': 'registered_capital',
                        'edges': [0.0, 50.0, 100.0, 500.0, 1000.0],
                        'points': [20, 12, 8, 4, 0]},
                       {'code': 'natural_person_invested', 'edges': [0.0, 1.0], 'points': [0, 5]},
                       {'code': 'annual_reports_late_3y', 'edges': [0.0, 1.0, 2.0], 'points': [0, 25, 45]},
                       {'code': 'licences_lapsed_24m', 'edges': [0.0, 1.0], 'points': [0, 10]},
                       {'code': 'valid_licences', 'edges': [0.0, 1.0, 3.0], 'points': [5, 0, 0]},
                       {'code': 'notification_commitments_24m',
                        'edges': [0.0, 1.0, 3.0],
                        'points': [0, 3, 6]},
                       {'code': 'penalties_24m', 'edges': [0.0, 1.0, 2.0, 3.0], 'points': [0, 20, 35, 50]},
                       {'code': 'heavy_penalties_36m', 'edges': [0.0, 1.0], 'points': [0, 40]},
                       {'code': 'fines_36m',
                        'edges': [0.0, 1.0, 10000.0, 100000.0],
                        'points': [0, 5, 10, 20]},
                       {'code': 'problem_inspections_24m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 25, 45]},
                       {'code': 'clean_inspections_24m', 'edges': [0.0, 1.0, 2.0], 'points': [10, 5, 0]},
                       {'code': 'problem_share_60m',
                        'edges': [0.0, 1.0, 15.0, 30.0, 50.0],
                        'points': [0, 10, 20, 35, 50]},
                       {'code': 'penalties_60m', 'edges': [0.0, 1.0, 2.0, 3.0], 'points': [0, 10, 20, 30]},
                       {'code': 'anomaly_listings_36m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 30, 45]},
                       {'code': 'serious_listings_36m', 'edges': [0.0, 1.0], 'points': [0, 60]},
                       {'code': 'untrue_commitments_36m', 'edges': [0.0, 1.0], 'points': [0, 30]},
                       {'code': 'rep_other_listed', 'edges': [0.0, 1.0, 2.0], 'points': [0, 20, 30]},
                       {'code': 'rep_other_penalised', 'edges': [0.0, 1.0, 2.0], 'points': [0, 10, 20]},
                       {'code': 'enterprises_at_address',
                        'edges': [0.0, 1.0, 3.0, 10.0],
                        'points': [0, 3, 10, 25]},
                       {'code': 'address_other_listed', 'edges': [0.0, 1.0], 'points': [0, 15]},
                       {'code': 'complaints_12m', 'edges': [0.0, 1.0, 3.0], 'points': [0, 8, 15]},
                       {'code': 'substantiated_complaints_24m',
                        'edges': [0.0, 1.0, 2.0],
                        'points': [0, 20, 35]},
                       {'code': 'substantiated_complaints_60m',
                        'edges': [0.0, 1.0, 2.0, 4.0],
                        'points': [0, 10, 20, 30]},
                       {'code': 'se_inspection_failures_24m',
                        'edges': [0.0, 1.0, 2.0],
                        'points': [0, 30, 50]},
                       {'code': 'se_penalties_36m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 30, 45]},
                       {'code': 'se_licence_expiring', 'edges': [0.0, 1.0], 'points': [0, 15]},
                       {'code': 'se_complaints_24m', 'edges': [0.0, 1.0, 2.0], 'points': [0, 10, 20]}]}


def seed(apps, schema_editor):
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
            spec = SPECS[code]
            version = ModelVersion.objects.create(
                model=model, number=1, status="active", method="expert", base_points=420, spec=spec,
                created_by="system", note="专家初始赋分：未经历史数据校准，待检查结果积累后校准替换。",
                activated_at=dt.datetime(2022, 1, 13, tzinfo=dt.UTC))
            row = {"version": version, "from_status": "draft", "to_status": "active", "actor_label": "system",
                   "reason": "初始版本", "at": dt.datetime(2022, 1, 13, tzinfo=dt.UTC)}
            # Fields added by 0009 (the workflow history), present when the test suite replays
            # this seed with the current models after a flush.
            later = {"action": "activate", "on": dt.date(2022, 1, 13)}
            names = {f.name for f in Transition._meta.get_fields()}
            Transition.objects.create(**row, **{k: v for k, v in later.items() if k in names})
    for klass, ratio, span, measures in MEASURES:
        if not SupervisionMeasure.objects.filter(risk_class=klass).exists():
            SupervisionMeasure.objects.create(risk_class=klass, effective_from=EFFECTIVE, draw_ratio=Decimal(ratio),
                                              ratio_range=span, measures=measures,
                                              basis="国市监信发〔2022〕6号；比例为某省示例（默认值，按任务设定）")


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
