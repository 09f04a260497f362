"""The divisions of the whole country with validity dates (GB/T 2260; issue 15, ADR 0095),
the nation itself (000000, the national hub's territory), and the departments of the
deployment's territory when 0002 had none for it (another province, or the hub).

Frozen: it reads `registry/data/gbt2260_20251231.csv`, a file that is never edited (a newer
edition is a new file and a new migration) with its own copy of the loading rules."""

import csv
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt2260_20251231.csv"
OFFICES = [
    ("credit", "信用监管科"),
    ("food", "食品生产监管科"),
    ("special_equipment", "特种设备安全监察科"),
    ("enforcement", "执法稽查科"),
    ("it", "信息化管理科"),
]
ORDER = {"national": 0, "province": 1, "city": 2, "county": 3}


def _level(code):
    if code == "000000":
        return "national"
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _parent(code, known):
    level = _level(code)
    if level in ("national", "province"):
        return None
    province = code[:2] + "0000"
    if level == "city":
        return province if province in known else None
    city = code[:4] + "00"
    return city if city in known else province if province in known else None


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def forwards(apps, schema_editor):
    Division = apps.get_model("registry", "Division")
    Department = apps.get_model("registry", "Department")
    Office = apps.get_model("registry", "Office")
    with DATA.open(encoding="utf-8") as f:
        rows = [("000000", "中华人民共和国", None, None)] + [
            (r["code"], r["name"], _date(r["valid_from"]), _date(r["valid_to"])) for r in csv.DictReader(f)
        ]
    known = {r[0] for r in rows}
    have = {d.code: d for d in Division.objects.all()}
    new, changed = [], []
    for code, name, start, end in sorted(rows, key=lambda r: (ORDER[_level(r[0])], r[0])):
        d = have.get(code)
        if d is None:
            new.append(
                Division(
                    code=code, name=name, level=_level(code), parent_id=_parent(code, known),
                    valid_from=start, valid_to=end,
                )
            )
        elif (d.valid_from, d.valid_to) != (start, end):
            d.valid_from, d.valid_to = start, end
            changed.append(d)
    Division.objects.bulk_create(new, batch_size=1000)
    Division.objects.bulk_update(changed, ["valid_from", "valid_to"], batch_size=1000)
    if Department.objects.exists():
        return
    territory = settings.XINJIAN_PROVINCE
    if territory == "000000":
        divisions = Division.objects.filter(level__in=("national", "province"), valid_to__isnull=True)
    else:
        divisions = Division.objects.filter(code__startswith=territory[:2], valid_to__isnull=True)
    for division in divisions.order_by("code"):
        name = "国家市场监督管理总局" if division.code == "000000" else f"{division.name}市场监督管理局"
        dept, _ = Department.objects.get_or_create(division=division, defaults={"name": name})
        for kind, office_name in OFFICES:
            Office.objects.get_or_create(department=dept, kind=kind, defaults={"name": office_name})


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_reference_data'),
    ]

    operations = [
        migrations.AddField(
            model_name='division',
            name='valid_from',
            field=models.DateField(blank=True, null=True, verbose_name='启用日期'),
        ),
        migrations.AddField(
            model_name='division',
            name='valid_to',
            field=models.DateField(blank=True, null=True, verbose_name='停用日期'),
        ),
        migrations.AlterField(
            model_name='division',
            name='level',
            field=models.CharField(choices=[('national', '国家级'), ('province', '省级'), ('city', '市级'), ('county', '县级')], max_length=10, verbose_name='层级'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
