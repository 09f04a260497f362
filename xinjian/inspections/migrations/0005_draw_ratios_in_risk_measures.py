"""One table for the per-class draw ratio (issue 11 §3): the ratio_A … ratio_D rows of
the double-random rules move into the risk app's supervision measures (national rows,
province_code ""), which double random now reads; the rows here are then removed.

Frozen: everything it needs is written here. A moved version keeps its date, value,
basis and author; its measures text is the class's earliest measures row (the national
seed), since the measures table had none in force that early.
"""

from django.db import migrations, models

CLASSES = ("A", "B", "C", "D")


def move(apps, schema_editor):
    InspectionRule = apps.get_model("inspections", "InspectionRule")
    SupervisionMeasure = apps.get_model("risk", "SupervisionMeasure")
    for klass in CLASSES:
        template = (
            SupervisionMeasure.objects.filter(risk_class=klass, province_code="")
            .order_by("effective_from", "id")
            .first()
        )
        for rule in InspectionRule.objects.filter(code=f"ratio_{klass}").order_by("effective_from"):
            same = SupervisionMeasure.objects.filter(
                risk_class=klass, province_code="", effective_from=rule.effective_from
            ).first()
            if same is not None:
                # Two versions on one day: the double-random one set the task defaults.
                same.draw_ratio = rule.value
                same.save(update_fields=["draw_ratio"])
                continue
            SupervisionMeasure.objects.create(
                risk_class=klass,
                province_code="",
                effective_from=rule.effective_from,
                draw_ratio=rule.value,
                target_share=template.target_share if template else None,
                ratio_range=template.ratio_range if template else "",
                measures=template.measures if template else "",
                basis=rule.basis,
                entered_by=rule.entered_by,
            )
    InspectionRule.objects.filter(code__in=[f"ratio_{c}" for c in CLASSES]).delete()


def back(apps, schema_editor):
    InspectionRule = apps.get_model("inspections", "InspectionRule")
    SupervisionMeasure = apps.get_model("risk", "SupervisionMeasure")
    for m in SupervisionMeasure.objects.filter(province_code=""):
        InspectionRule.objects.update_or_create(
            code=f"ratio_{m.risk_class}",
            effective_from=m.effective_from,
            defaults={"value": m.draw_ratio, "basis": m.basis or "-", "entered_by": m.entered_by},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_draw_commitment_time"),
        ("risk", "0008_measure_province"),
    ]

    operations = [
        migrations.RunPython(move, back),
        migrations.AlterField(
            model_name="inspectionrule",
            name="code",
            field=models.CharField(
                choices=[
                    ("inspectors_per_target", "每户检查人员数（不少于）"),
                    ("publication_working_days", "结果公示期限（工作日）"),
                    ("food_full_cycle_years", "食品生产企业全覆盖周期（年）"),
                ],
                max_length=40,
                verbose_name="规则",
            ),
        ),
    ]
