"""Read-only views for administrators: every change goes through `actions` (the staff
pages issue templates and move verifications), so the admin never writes these rows."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import CommitmentRuleSet, CommitmentTemplate, Verification, VerificationSample


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CommitmentTemplate)
class CommitmentTemplateAdmin(ReadOnly):
    list_display = ["code", "version", "title", "kind", "region_code", "effective_from", "effective_to"]
    search_fields = ["code", "title"]


@admin.register(Verification)
class VerificationAdmin(ReadOnly):
    list_display = ["enterprise", "kind", "status", "selected_on", "concluded_on", "repaired_on"]
    list_filter = ["status", "kind"]
    search_fields = ["enterprise__uscc", "enterprise__name", "finding_no"]


@admin.register(VerificationSample)
class VerificationSampleAdmin(ReadOnly):
    list_display = ["drawn_at", "region_prefix", "kind", "percent", "selected", "population", "seed"]


@admin.register(CommitmentRuleSet)
class CommitmentRuleSetAdmin(admin.ModelAdmin):
    """Rule versions are data an administrator adds (architecture rule 3)."""

    list_display = ["effective_from", "province_code", "rectification_working_days", "default_sample_percent"]
