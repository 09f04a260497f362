"""Every page declares who may use it (the bar: security). The decorators also mark the
view with `access`, which a test checks for every URL in the project."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext

from xinjian.core.jurisdiction import user_region_prefix
from xinjian.core.roles import has_perm

from .permissions import Perm

View = Callable[..., HttpResponseBase]
V = TypeVar("V", bound=View)
F = TypeVar("F", bound=Callable[..., Any])


def public(view: V) -> V:
    """Anyone, anonymously."""
    view.access = "public"  # type: ignore[attr-defined]
    return view


def staff(perm: Perm | None = None) -> Callable[[View], View]:
    """Logged-in staff of a department (or a superuser), holding `perm` when given."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user_region_prefix(request.user) is None:
                raise PermissionDenied(gettext("仅限市场监管部门工作人员"))
            if perm is not None and not has_perm(request.user, perm):
                raise PermissionDenied(gettext("没有执行此操作的权限"))
            return view(request, *args, **kwargs)

        wrapper.access = f"staff:{perm or 'any'}"  # type: ignore[attr-defined]
        return wrapper

    return decorate


def enterprise_user(view: View) -> View:
    """A logged-in enterprise user; the view receives `request.enterprise`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        link = getattr(request.user, "enterprise_user", None)
        if link is None:
            raise PermissionDenied(gettext("仅限企业用户"))
        request.enterprise = link.enterprise  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    wrapper.access = "enterprise"  # type: ignore[attr-defined]
    return wrapper


def association_user(view: View) -> View:
    """A logged-in user of an industry association (the association role, seed 十四);
    the view receives `request.association`. It sees its members' public records only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        link = getattr(request.user, "association_user", None)
        if link is None or not link.association.active:
            raise PermissionDenied("仅限行业协会商会用户")
        request.association = link.association  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    wrapper.access = "association"  # type: ignore[attr-defined]
    return wrapper


def authenticated(view: View) -> View:
    """Any logged-in user (staff or enterprise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = "authenticated"  # type: ignore[attr-defined]
    return wrapper


def public_api(fn: F) -> F:
    """An API operation open to anyone without a token (interfaces.md: public)."""
    fn.public_endpoint = True  # type: ignore[attr-defined]
    return fn
