"""Administrators add rule versions here (a new version with its effective date, never an
edit of one in force). Templates, verifications and samples change only through
`actions` (the staff pages): readable here, not editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from xinjian.core.admin import ReadOnlyAdmin

from .models import (
    CommitmentRuleSet,
    CommitmentTemplate,
    Verification,
    VerificationHistory,
    VerificationSample,
)


@admin.register(CommitmentRuleSet)
class CommitmentRuleSetAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "province_code",
        "rectification_working_days",
        "default_sample_percent",
        "note",
    ]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(CommitmentTemplate)
class CommitmentTemplateAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "title", "kind", "region_code", "effective_from", "effective_to"]
    search_fields = ["code", "title"]


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "kind", "status", "selected_on", "concluded_on", "repaired_on"]
    list_filter = ["status", "kind"]
    search_fields = ["enterprise__uscc", "enterprise__name", "finding_no"]


@admin.register(VerificationHistory)
class VerificationHistoryAdmin(ReadOnlyAdmin):
    list_display = ["verification", "action", "from_status", "to_status", "on", "actor_label"]


@admin.register(VerificationSample)
class VerificationSampleAdmin(ReadOnlyAdmin):
    list_display = ["drawn_at", "region_prefix", "kind", "percent", "selected", "population", "seed"]
