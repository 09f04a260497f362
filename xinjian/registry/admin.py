from django.contrib import admin

from .models import Department, Division, Enterprise, KeyAreaTagHistory, KeyAreaType, Office


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "division"]
    search_fields = ["name", "division__code"]
    inlines = [OfficeInline]


@admin.register(KeyAreaType)
class KeyAreaTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "licence_type", "licence_no_prefix", "enabled", "sort_order"]
    list_editable = ["enabled"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Read-only: the register changes through ingest and actions, never by hand here."""

    list_display = ["uscc", "name", "region_code", "status"]
    search_fields = ["uscc", "name", "registration_no"]
    list_filter = ["status"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(KeyAreaTagHistory)
class KeyAreaTagHistoryAdmin(admin.ModelAdmin):
    list_display = ["at", "enterprise", "type", "action", "source", "actor_label"]
    list_filter = ["type", "action", "source"]
    raw_id_fields = ["enterprise", "licence"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
