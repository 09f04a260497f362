"""Assessments: JSON arrays kept as text, no constraint/index on model, version and run
(ADR 0041: the bulk write path of a million rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_rule_data"), ("registry", "0002_reference_data")]

    operations = [
        migrations.RemoveField(model_name="assessment", name="indicator_values"),
        migrations.RemoveField(model_name="assessment", name="indicator_points"),
        migrations.AddField(model_name="assessment", name="values_json",
                            field=models.TextField(default="[]", verbose_name="指标值"), preserve_default=False),
        migrations.AddField(model_name="assessment", name="points_json",
                            field=models.TextField(default="[]", verbose_name="指标得分"), preserve_default=False),
        migrations.AlterField(model_name="assessment", name="enterprise",
                              field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                                      related_name="risk_assessments", to="registry.enterprise")),
        migrations.AlterField(model_name="assessment", name="model",
                              field=models.ForeignKey(db_constraint=False, db_index=False,
                                                      on_delete=django.db.models.deletion.DO_NOTHING,
                                                      related_name="+", to="risk.riskmodel")),
        migrations.AlterField(model_name="assessment", name="version",
                              field=models.ForeignKey(db_constraint=False, db_index=False,
                                                      on_delete=django.db.models.deletion.DO_NOTHING,
                                                      related_name="+", to="risk.modelversion")),
        migrations.AlterField(model_name="assessment", name="run",
                              field=models.ForeignKey(db_constraint=False, db_index=False,
                                                      on_delete=django.db.models.deletion.DO_NOTHING,
                                                      related_name="+", to="risk.scoringrun")),
    ]
