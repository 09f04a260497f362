"""The national credit-repair rules (domain.md §12).

Frozen (issue 11 §6): the rows and the loader are copied here as they stood when this was
written, so a database migrated later gets the same rows as one migrated then. The live
code reads these tables as versioned data; a later change of a rule is a new version
(a row with a later effective date, entered by a later migration or by an office), never
an edit of this file.
"""

import datetime  # noqa: F401  (frozen values may hold dates)
from decimal import Decimal  # noqa: F401

from django.db import migrations

RULES = {'effective_from': datetime.date(2021, 9, 1),
 'note': 'domain.md §12 默认值（《市场监督管理信用修复管理办法》、国市监信发〔2021〕28号 十二）',
 'penalty_min_months': 6,
 'penalty_min_months_strict_domains': 12,
 'strict_domains': ['food_safety', 'drug', 'special_equipment'],
 'never_penalty_types': ['suspension',
                         'business_restriction',
                         'practice_restriction',
                         'qualification_downgrade',
                         'licence_revocation',
                         'business_licence_revocation'],
 'repeat_penalty_count': 2,
 'repeat_window_years': 3,
 'recent_repair_years': 1,
 'strict_wait_factor': 2,
 'strict_requires_onsite': True,
 'accept_working_days': 2,
 'decide_working_days': 15,
 'publication_working_days': 3,
 'max_document_mb': 10,
 'assumed': ['accept_working_days',
             'decide_working_days',
             'publication_working_days',
             'repeat_penalty_count',
             'repeat_window_years',
             'recent_repair_years',
             'strict_wait_factor']}


def forwards(apps, schema_editor):
    RepairRuleSet = apps.get_model("repair", "RepairRuleSet")
    if not RepairRuleSet.objects.filter(province_code="", effective_from=RULES["effective_from"]).exists():
        RepairRuleSet.objects.create(**RULES)


class Migration(migrations.Migration):
    dependencies = [('repair', '0001_initial')]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
