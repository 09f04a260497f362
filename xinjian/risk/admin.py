"""Rule data an administrator maintains: class bands and per-class supervision measures
(new rows with a later effective date supersede older ones; history is kept)."""

from django.contrib import admin

from .models import ClassBandRule, SupervisionMeasure


@admin.register(ClassBandRule)
class ClassBandRuleAdmin(admin.ModelAdmin):
    list_display = ("model", "effective_from", "b_from", "c_from", "d_from", "entered_by", "entered_at")
    list_filter = ("model",)


@admin.register(SupervisionMeasure)
class SupervisionMeasureAdmin(admin.ModelAdmin):
    """The one table of the per-class draw ratio (double random reads its task defaults
    here) and the measures that go with a class; a province adds its own rows."""

    list_display = ("risk_class", "province_code", "effective_from", "draw_ratio", "ratio_range", "measures")
    list_filter = ("risk_class", "province_code")
