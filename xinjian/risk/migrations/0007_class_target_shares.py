"""Class bands by the province's choice (issue 17): a target share per class, kept with the
per-class supervision measures. Seeded with a default (assumed; each province sets its
own): A 45 %, B 30 %, C 17 %, D 8 %, so calibration sets the bands by shares until a
province clears them to keep score (probability) cut-offs."""

from decimal import Decimal

from django.db import migrations, models

SHARES = {"A": "0.4500", "B": "0.3000", "C": "0.1700", "D": "0.0800"}


def seed(apps, schema_editor):
    SupervisionMeasure = apps.get_model("risk", "SupervisionMeasure")
    for klass, share in SHARES.items():
        SupervisionMeasure.objects.filter(risk_class=klass, target_share__isnull=True).update(
            target_share=Decimal(share)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0006_assessment_no_enterprise_constraint_run_slices"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisionmeasure",
            name="target_share",
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name="目标占比"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
