"""Navigation for the staff workbench: the entries a user's permissions open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import user_region_prefix
from xinjian.core.roles import permissions_of

from .permissions import Perm

# (url name, label, permission — or any one of several — or None for any staff)
STAFF_NAV: list[tuple[str, Any, Perm | tuple[Perm, ...] | None]] = [
    ("home", _("工作台"), None),
    ("registry:search", _("主体查询"), Perm.VIEW_REGISTER),
    ("registry:key_area_list", _("重点领域企业清单"), Perm.VIEW_REGISTER),
    ("collection:batches", _("数据归集"), Perm.INGEST),
    ("disclosure:backlog", _("信息公示"), Perm.MANAGE_DISCLOSURE),
    ("risk:models", _("风险分类"), Perm.VIEW_RISK),
    ("inspections:tasks", _("双随机抽查"), Perm.VIEW_REGISTER),
    ("lists:index", _("名单管理"), Perm.VIEW_REGISTER),
    ("commitments:index", _("信用承诺"), Perm.MANAGE_COMMITMENTS),
    # The approver decides repairs: the queue is theirs too.
    ("repair:index", _("信用修复"), (Perm.MANAGE_REPAIR, Perm.APPROVE)),
    ("sharing:index", _("共享与推送"), Perm.MANAGE_SHARING),
    ("integrity:articles", _("诚信建设"), (Perm.PUBLISH_INTEGRITY, Perm.MANAGE_SHARING)),
    ("calendar", _("工作日历"), None),
]


ASSOCIATION_NAV: list[tuple[str, Any]] = [
    ("association:home", _("会员企业")),
    ("association:pushes", _("名单变动推送")),
    ("integrity_public:index", _("诚信建设")),
]

ENTERPRISE_NAV: list[tuple[str, Any]] = [
    ("my_home", _("我的企业")),
    ("disclosure:my_records", _("公示信息与情况说明")),
    ("my_commitments:index", _("信用承诺")),
    ("repair_public:my_index", _("信用修复")),
]


def _enterprise_nav(
    request: HttpRequest, entries: list[tuple[str, Any]] | None = None
) -> list[dict[str, Any]]:
    nav = []
    for name, label in entries if entries is not None else ENTERPRISE_NAV:
        url = reverse(name)
        nav.append(
            {
                "url": url,
                "label": label,
                "active": request.path == url
                or (url not in ("/public/my/", "/association/") and request.path.startswith(url)),
            }
        )
    return nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"staff_nav": [], "enterprise_nav": [], "is_staff_user": False}

    if user_region_prefix(user) is None:
        if getattr(user, "enterprise_user", None) is not None:
            return {"staff_nav": [], "is_staff_user": False, "enterprise_nav": _enterprise_nav(request)}
        if getattr(user, "association_user", None) is not None:
            # The association role: its own side navigation (same slot as an enterprise's).
            return {
                "staff_nav": [],
                "is_staff_user": False,
                "enterprise_nav": _enterprise_nav(request, ASSOCIATION_NAV),
                "association_nav": True,
            }
        return {"staff_nav": [], "enterprise_nav": [], "is_staff_user": False}
    perms = permissions_of(user)
    nav = []
    for name, label, perm in STAFF_NAV:
        if perm is not None and not perms & set(perm if isinstance(perm, tuple) else (perm,)):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # that part of the platform is not built yet
        nav.append(
            {
                "url": url,
                "label": label,
                "active": request.path.startswith(url) and (url != "/staff/" or request.path == url),
            }
        )
    staff = getattr(user, "staff_profile", None)
    return {
        "staff_nav": nav,
        "enterprise_nav": [],
        "is_staff_user": True,
        "staff_profile": staff,
        "perms": {p.value for p in perms},
    }
