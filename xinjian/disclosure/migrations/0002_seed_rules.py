"""The national disclosure rules (domain.md §5; Order 45 in force 2021-09-01).

Frozen (issue 11 §6): the rows and the loader are copied here as they stood when this was
written, so a database migrated later gets the same rows as one migrated then. The live
code reads these tables as versioned data; a later change of a rule is a new version
(a row with a later effective date, entered by a later migration or by an office), never
an edit of this file.
"""

import datetime  # noqa: F401  (frozen values may hold dates)
from decimal import Decimal  # noqa: F401

from django.db import migrations

ORDER_45 = datetime.date(2021, 9, 1)

DEFAULTS = [{'key': 'penalty.short_period_months', 'value': 3, 'assumed': False, 'basis': '《市场监督管理行政处罚信息公示规定》第十三条'},
 {'key': 'penalty.long_period_months', 'value': 36, 'assumed': False, 'basis': '《市场监督管理行政处罚信息公示规定》第十三条'},
 {'key': 'penalty.lower_fine_threshold',
  'value': 10000,
  'assumed': True,
  'basis': '《市场监督管理行政处罚信息公示规定》第十三条（较低数额由省级市场监管部门确定）',
  'note': '各省标准不一，默认按法人罚款1万元（含）以下推定，省级管理员应按本省规定调整'},
 {'key': 'penalty.publish_within_working_days',
  'value': 20,
  'assumed': False,
  'basis': '《市场监督管理行政处罚信息公示规定》第九条'},
 {'key': 'penalty.withdraw_within_working_days',
  'value': 3,
  'assumed': False,
  'basis': '《市场监督管理行政处罚信息公示规定》第十五条'},
 {'key': 'inspection.publish_within_working_days',
  'value': 20,
  'assumed': False,
  'basis': '双随机、一公开监管有关规定（检查结果20个工作日内公示）'}]


def seed(apps, schema_editor):
    Rule = apps.get_model("disclosure", "DisclosureRule")
    for row in DEFAULTS:
        Rule.objects.get_or_create(
            key=row["key"],
            province_code="",
            effective_from=ORDER_45,
            defaults={
                "value": Decimal(row["value"]),
                "assumed": row["assumed"],
                "basis": row["basis"],
                "note": row.get("note", ""),
                "created_by": "system:seed",
            },
        )


class Migration(migrations.Migration):
    dependencies = [('disclosure', '0001_initial')]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
