from django.contrib import admin

from .models import EnterpriseUser, StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "office", "roles", "active"]
    list_filter = ["active", "department__division__level"]
    search_fields = ["user__username", "user__first_name", "department__name"]
    autocomplete_fields = ["department"]


@admin.register(EnterpriseUser)
class EnterpriseUserAdmin(admin.ModelAdmin):
    list_display = ["user", "enterprise"]
    search_fields = ["user__username", "enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["enterprise"]
