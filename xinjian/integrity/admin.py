"""Associations and their logins are managed on the staff pages (audited actions); the
admin lists them read-only for operators."""

from django.contrib import admin

from .models import Article, AssociationUser, IndustryAssociation, Membership


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnly):
    list_display = ("title", "kind", "status", "written_by", "approved_by", "published_on")
    list_filter = ("kind", "status")


@admin.register(IndustryAssociation)
class IndustryAssociationAdmin(ReadOnly):
    list_display = ("name", "region_code", "contact", "active")


@admin.register(Membership)
class MembershipAdmin(ReadOnly):
    list_display = ("association", "enterprise", "since", "ended_on")


@admin.register(AssociationUser)
class AssociationUserAdmin(ReadOnly):
    list_display = ("user", "association")
