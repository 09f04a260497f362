"""The national commitment rules and templates (domain.md §8).

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
 'note': 'domain.md §6 默认值（国市监信发〔2021〕28号 七）；整改期限与抽查比例为假定值',
 'rectification_working_days': 20,
 'default_sample_percent': Decimal('5'),
 'assumed': ['rectification_working_days', 'default_sample_percent']}

TEMPLATES = [('XYCN-SP-01',
  'public',
  '食品生产企业主动公开信用承诺书',
  '食品生产经营主体责任',
  '本企业郑重承诺：\n'
  '一、严格遵守《中华人民共和国食品安全法》等法律法规，落实食品安全主体责任；\n'
  '二、所提交和公示的信息真实、准确、完整，不隐瞒、不弄虚作假；\n'
  '三、按照食品生产许可条件组织生产，不超范围生产，不使用非食用物质；\n'
  '四、自愿接受市场监管部门和社会监督，如违背承诺，愿意依法承担相应责任，承诺不实情况记入信用记录并依法公示。'),
 ('XYCN-TZ-01',
  'public',
  '特种设备生产单位主动公开信用承诺书',
  '特种设备安全主体责任',
  '本单位郑重承诺：\n'
  '一、严格遵守《中华人民共和国特种设备安全法》，保持许可条件；\n'
  '二、所提交和公示的信息真实、准确、完整；\n'
  '三、建立并落实质量保证、安全管理和岗位责任制度；\n'
  '四、自愿接受监督，如违背承诺，愿意依法承担相应责任，承诺不实情况记入信用记录并依法公示。'),
 ('XYCN-GZ-01',
  'notification',
  '证明事项告知承诺书（通用）',
  '以告知承诺替代证明材料',
  '申请人已知晓行政机关告知的全部内容，承诺所填写的信息真实、准确，已经符合告知的条件、标准和要求，愿意承担不实承诺的法律责任：承诺不实的，行政机关可以终止办理、责令限期整改、撤销行政决定或者予以行政处罚，并记入信用记录。')]


def forwards(apps, schema_editor):
    CommitmentRuleSet = apps.get_model("commitments", "CommitmentRuleSet")
    CommitmentTemplate = apps.get_model("commitments", "CommitmentTemplate")
    if not CommitmentRuleSet.objects.filter(province_code="").exists():
        CommitmentRuleSet.objects.create(**RULES)
    for code, kind, title, matter, body in TEMPLATES:
        CommitmentTemplate.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "kind": kind,
                "title": title,
                "matter": matter,
                "body": body,
                "issued_by": "省级市场监督管理部门",
                "region_code": "",
                "effective_from": RULES["effective_from"],
                "created_by": "system:seed",
                "modified_by": "system:seed",
            },
        )


class Migration(migrations.Migration):
    dependencies = [('commitments', '0001_initial')]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
