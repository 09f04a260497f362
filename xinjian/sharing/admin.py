from django.contrib import admin
from django.http import HttpRequest

from .models import ApiClient, CreditReport


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "scopes", "region_code", "active", "created_at"]
    readonly_fields = ["token_hash"]


@admin.register(CreditReport)
class CreditReportAdmin(admin.ModelAdmin):
    """Issued reports are immutable snapshots: readable here, never added, edited or deleted."""

    list_display = ["number", "uscc", "name", "issued_at", "channel"]
    search_fields = ["number", "uscc", "name"]
    readonly_fields = [
        "number",
        "enterprise",
        "uscc",
        "name",
        "issued_at",
        "as_of",
        "sha256",
        "channel",
        "canonical",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
