"""Staff page for administrators: who is locked out of logging in (password or API
token) and the audited unlock (issue 13 item 3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.core.access import staff
from xinjian.core.errors import DomainError
from xinjian.core.jurisdiction import user_region_prefix
from xinjian.core.permissions import Perm

from . import actions, lockout
from .models import StaffProfile


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, required=False)
    address = forms.GenericIPAddressField(label=_("地址"), required=False)
    reason = forms.CharField(label=_("原因"), max_length=500)


def _whole_province(user: Any) -> bool:
    prefix = user_region_prefix(user)
    return prefix is not None and len(prefix) <= 2


def _may_unlock(user: Any, username: str, address: str) -> bool:
    """Province administrators (and operators) lift any lockout; a city or county
    administrator only those of staff in their own jurisdiction, never an address."""
    if _whole_province(user):
        return True
    if address or not username:
        return False
    prefix = user_region_prefix(user) or "-"
    return StaffProfile.objects.filter(
        user__username=username, department__division__code__startswith=prefix
    ).exists()


@staff(Perm.MANAGE_ACCOUNTS)
def lockouts(request: HttpRequest) -> HttpResponse:
    logins = [
        row
        for row in lockout.locked_logins()
        if _may_unlock(request.user, row["username"], "")
        or (_whole_province(request.user) and row["address"])
    ]
    tokens = lockout.locked_tokens() if _whole_province(request.user) else []
    return render(
        request,
        "accounts/lockouts.html",
        {
            "logins": logins,
            "tokens": tokens,
            "limit": lockout.limit(),
            "cooloff_minutes": int(lockout.cooloff().total_seconds() // 60),
        },
    )


@require_POST
@staff(Perm.MANAGE_ACCOUNTS)
def unlock(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("解除锁定需要用户名或地址以及原因"))
        return redirect("accounts_staff:lockouts")
    username, address = form.cleaned_data["username"], form.cleaned_data["address"] or ""
    if not _may_unlock(request.user, username, address):
        messages.error(request, gettext("只能解除本辖区工作人员的锁定"))
        return redirect("accounts_staff:lockouts")
    try:
        n = actions.unlock(
            actor=request.user, username=username, address=address, reason=form.cleaned_data["reason"]
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, gettext("已解除锁定，清除%(n)s条记录") % {"n": n})
    return redirect("accounts_staff:lockouts")
