"""The national list rules, grounds and measures (domain.md §9–§11).

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
 'note': 'domain.md §9–§11 默认值（《企业经营异常名录管理暂行办法》、总局令第44号）',
 'heavier_penalty_types': ['qualification_downgrade',
                           'licence_revocation',
                           'business_licence_revocation',
                           'business_restriction',
                           'suspension',
                           'closure',
                           'practice_restriction'],
 'repeat_domains': ['food_safety', 'special_equipment'],
 'assumed': ['serious_statement_working_days', 'serious_publication_working_days']}

GROUNDS = [('annual_report_missing', 'anomaly', '未按规定报送年度报告', '《企业经营异常名录管理暂行办法》第四条第（一）项', []),
 ('unpublished_info', 'anomaly', '未在责令期限内公示有关企业信息', '《企业经营异常名录管理暂行办法》第四条第（二）项', []),
 ('false_info', 'anomaly', '公示企业信息隐瞒真实情况、弄虚作假', '《企业经营异常名录管理暂行办法》第四条第（三）项', []),
 ('unreachable', 'anomaly', '通过登记的住所或者经营场所无法联系', '《企业经营异常名录管理暂行办法》第四条第（四）项', []),
 ('food_safety', 'serious', '食品安全领域严重违法失信行为', '总局令第44号第六条', ['food_safety']),
 ('drug', 'serious', '药品、医疗器械、化妆品领域严重违法失信行为', '总局令第44号第七条', ['drug']),
 ('quality_safety',
  'serious',
  '质量安全领域（含特种设备）严重违法失信行为',
  '总局令第44号第八条',
  ['special_equipment', 'product_quality']),
 ('consumer_rights', 'serious', '侵害消费者权益的严重违法失信行为', '总局令第44号第九条', ['consumer_rights']),
 ('competition', 'serious', '破坏公平竞争秩序和扰乱市场秩序的严重违法失信行为', '总局令第44号第十条', ['competition']),
 ('obstruction', 'serious', '拒绝、阻碍、干扰市场监管部门依法开展监督检查和事故调查', '总局令第44号第十一条', []),
 ('anomaly_three_years', 'serious', '被列入经营异常名录届满3年仍未履行相关义务', '总局令第44号第十三条', [])]

MEASURES = [('key_supervision', 'serious', '列为重点监管对象，提高检查频次', False),
 ('no_notification_commitment', 'serious', '不适用告知承诺制', True),
 ('no_honours', 'serious', '不予授予相关荣誉称号', False),
 ('prudent_licence_review', 'serious', '依法审慎审查行政许可申请', False),
 ('no_procurement', 'serious', '不得委托开展政府采购项目', False),
 ('no_simplified_deregistration', 'serious', '不适用简易注销', False),
 ('no_simplified_deregistration', 'anomaly', '不适用简易注销', False),
 ('prominent_mark', 'anomaly', '公示系统中显著标注', False)]


def forwards(apps, schema_editor):
    ListRuleSet = apps.get_model("lists", "ListRuleSet")
    ListGround = apps.get_model("lists", "ListGround")
    Measure = apps.get_model("lists", "Measure")
    if not ListRuleSet.objects.filter(province_code="").exists():
        ListRuleSet.objects.create(**RULES)
    for code, kind, name, basis, domains in GROUNDS:
        ListGround.objects.get_or_create(
            code=code,
            effective_from=RULES["effective_from"],
            defaults={"list": kind, "name": name, "basis": basis, "penalty_domains": domains},
        )
    for code, kind, name, blocks in MEASURES:
        Measure.objects.get_or_create(
            code=code,
            list=kind,
            effective_from=RULES["effective_from"],
            defaults={
                "name": name,
                "blocks_commitment": blocks,
                "basis": "总局令第44号第十四条" if kind == "serious" else "《企业经营异常名录管理暂行办法》",
            },
        )


class Migration(migrations.Migration):
    dependencies = [('lists', '0001_initial')]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
