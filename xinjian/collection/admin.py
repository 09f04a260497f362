from django import forms
from django.contrib import admin

from .models import CollectionItem, CrossingReceipt, IngestBatch, Peer, RecordVersion, RejectedRecord


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


class PeerForm(forms.ModelForm):
    url = forms.URLField(label=Peer._meta.get_field("url").verbose_name, assume_scheme="http", max_length=300)

    class Meta:
        model = Peer
        fields = ("name", "url", "token", "active", "cursor")
        # The token is a secret of the peer's: typed in, never shown back.
        widgets = {"token": forms.PasswordInput(render_value=True)}


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    """Federation peers (interfaces.md v1.1): `manage.py federation_worker` pulls each
    active one; lowering `cursor` re-reads the feed from there (harmless: idempotent)."""

    form = PeerForm
    list_display = ("name", "url", "active", "cursor", "head", "pulled", "last_pull_at", "last_error_at")
    readonly_fields = ("head", "pulled", "last_pull_at", "caught_up_at", "last_error", "last_error_at")


@admin.register(CrossingReceipt)
class CrossingReceiptAdmin(ReadOnly):
    """What peers reported back about cross-province penalties supplied here (ADR 0098):
    written by `pull` only."""

    list_display = ("penalty", "peer", "received_on", "delivered_on", "published_on", "updated_at")
    list_filter = ("peer",)
    search_fields = ("penalty__uscc", "penalty__decision_no")
    raw_id_fields = ("penalty",)
