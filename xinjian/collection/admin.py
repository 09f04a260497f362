from django.contrib import admin

from .models import CollectionItem, IngestBatch, RecordVersion, RejectedRecord


@admin.register(CollectionItem)
class CollectionItemAdmin(admin.ModelAdmin):
    """附件2 is configuration: a province adds its own items here (added_by_region)."""

    list_display = (
        "code",
        "name",
        "category",
        "record_kind",
        "disclosed",
        "enabled",
        "added_by_region",
        "sort_order",
    )
    list_filter = ("category", "enabled", "added_by_region")
    search_fields = ("code", "name")


@admin.register(IngestBatch)
class IngestBatchAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "kind",
        "source",
        "channel",
        "status",
        "received",
        "created",
        "updated",
        "unchanged",
        "rejected_count",
        "pending_count",
    )
    list_filter = ("kind", "channel", "status")
    search_fields = ("source", "file_name")
    exclude = ("payload",)

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RejectedRecord, RecordVersion)
class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
