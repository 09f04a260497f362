"""Seed the key collection items (附件2 of the seed; domain.md §4 defaults)."""

from django.db import migrations

# (code, name, category, ingest kind, disclosed, description)
DEFAULT_ITEMS = [
    ("licence_grant", "行政许可准予", "行政许可", "licences", True, "许可准予、变更、延续"),
    ("licence_change", "行政许可变更、延续", "行政许可", "licences", True, ""),
    ("licence_cancellation", "行政许可注销", "行政许可", "licences", True, ""),
    ("licence_revocation", "行政许可撤销、吊销", "行政许可", "licences", True, ""),
    ("penalty", "行政处罚", "行政处罚", "penalties", True, "《市场监督管理行政处罚信息公示规定》"),
    ("inspection_random", "双随机抽查结果", "检查结果", "inspections", True, ""),
    ("inspection_supervision", "日常及专项监督检查结果", "检查结果", "inspections", True, ""),
    ("sampling_test", "产品质量监督抽检结果", "检查结果", "inspections", True, ""),
    ("complaint", "投诉举报", "投诉举报", "complaints", False, "仅用于风险分类，不对外公示"),
    ("annual_report", "年度报告报送", "年度报告", "annual-reports", True, ""),
    ("commitment", "信用承诺", "信用承诺", "commitments", True, "登记注册承诺、告知承诺、主动公开承诺"),
    ("list_decision", "列入、移出经营异常名录和严重违法失信名单决定", "名单决定", "list-decisions", True, ""),
]


def seed(apps, schema_editor):
    Item = apps.get_model("collection", "CollectionItem")
    for n, (code, name, category, kind, disclosed, description) in enumerate(DEFAULT_ITEMS):
        Item.objects.update_or_create(code=code, defaults={
            "name": name, "category": category, "record_kind": kind, "disclosed": disclosed,
            "description": description, "sort_order": (n + 1) * 10,
        })


class Migration(migrations.Migration):
    dependencies = [("collection", "0003_ingest_batches")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
