from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import EnterpriseUser, StaffProfile, TokenFailures


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


@admin.action(description=_("解除锁定（记入审计）"))
def unlock_attempts(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    n = 0
    for attempt in queryset:
        n += actions.unlock(
            actor=request.user,
            username=attempt.username or "",
            address=attempt.ip_address or "",
            reason="admin",
        )
    modeladmin.message_user(request, gettext("已解除锁定，清除%(n)s条记录") % {"n": n})


@admin.action(description=_("解除锁定（记入审计）"))
def unlock_tokens(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    n = sum(actions.unlock(actor=request.user, address=row.address, reason="admin") for row in queryset)
    modeladmin.message_user(request, gettext("已解除锁定，清除%(n)s条记录") % {"n": n})


# django-axes' own admin for login attempts, with the audited unlock as an action.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAttemptAdmin(AccessAttemptAdmin):
    actions = [unlock_attempts]


@admin.register(TokenFailures)
class TokenFailuresAdmin(admin.ModelAdmin):
    list_display = ["address", "failures", "last_failed_at", "locked_until"]
    readonly_fields = ["address", "failures", "last_failed_at", "locked_until"]
    actions = [unlock_tokens]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
