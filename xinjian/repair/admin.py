"""Administrators add rule versions here (a new version with its effective date, never
an edit of one in force, so past decisions can be re-read under their rules). The
applications themselves change only through `actions`: readable here, not editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from xinjian.core.admin import ReadOnlyAdmin

from .models import RepairApplication, RepairHistory, RepairRuleSet


@admin.register(RepairRuleSet)
class RepairRuleSetAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "province_code", "penalty_min_months", "accept_working_days", "note"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "enterprise", "kind", "status", "submitted_on", "decided_on"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "enterprise__uscc", "enterprise__name"]


@admin.register(RepairHistory)
class RepairHistoryAdmin(ReadOnlyAdmin):
    list_display = ["application", "action", "from_status", "to_status", "on", "actor_label"]
