from django.contrib import admin

from .models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "scopes", "region_code", "active", "created_at"]
    readonly_fields = ["token_hash"]
