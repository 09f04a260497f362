"""The lower-amount fine threshold by party type (Order 45 art. 13; issue 12 item 7).

Frozen (issue 11 §6): the rows are copied here as they stood when this was written. The
legal-person threshold keeps its key (`penalty.lower_fine_threshold`, 10,000 yuan,
0002); other organisations and individual businesses get their own keys, national
defaults effective from Order 45's entry into force, both *assumed* until a province
enters its own figure (the threshold is set by the provincial market regulator).
"""

import datetime
from decimal import Decimal

from django.db import migrations

ORDER_45 = datetime.date(2021, 9, 1)
BASIS = "《市场监督管理行政处罚信息公示规定》第十三条（较低数额由省级市场监管部门确定）"

ROWS = [
    {
        "key": "penalty.lower_fine_threshold.other_organisation",
        "value": 10000,
        "basis": BASIS,
        "note": "推定值：《行政处罚法》将法人和其他组织适用同一罚款数额标准，默认与法人相同；省级管理员应按本省规定调整",
    },
    {
        "key": "penalty.lower_fine_threshold.individual_business",
        "value": 1000,
        "basis": BASIS + "；《民法典》第五十四条",
        "note": "推定值：个体工商户按自然人适用罚款数额标准（《行政处罚法》第五十一条区分公民与法人、其他组织），"
        "各地一般按法人、其他组织标准的十分之一确定，默认1000元；省级管理员应按本省规定调整",
    },
]


def seed(apps, schema_editor):
    Rule = apps.get_model("disclosure", "DisclosureRule")
    for row in ROWS:
        Rule.objects.get_or_create(
            key=row["key"],
            province_code="",
            effective_from=ORDER_45,
            defaults={
                "value": Decimal(row["value"]),
                "assumed": True,
                "basis": row["basis"],
                "note": row["note"],
                "created_by": "system:seed",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0004_reply_history_on_the_workflow_engine")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
