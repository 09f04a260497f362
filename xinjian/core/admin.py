from django.contrib import admin

from .models import AuditEntry, CalendarDay, CalendarYear, ConsumerCursor, Event


class ReadOnlyAdmin(admin.ModelAdmin):
    """Trails are written by actions only: readable here, never editable."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "uscc"]
    list_filter = ["action", "object_type"]
    search_fields = ["uscc", "actor_label", "object_id"]
    date_hierarchy = "at"


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "uscc", "region_code", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["uscc"]


@admin.register(ConsumerCursor)
class ConsumerCursorAdmin(ReadOnlyAdmin):
    list_display = ["name", "position", "updated_at"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "entered_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working", "name"]
    list_filter = ["is_working"]
    date_hierarchy = "day"
