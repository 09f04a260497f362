"""Bearer-token authentication for system clients: a missing or wrong token is 401,
a token without the scope is 403 (interfaces.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from ninja.security import HttpBearer

from xinjian.core.errors import NotAllowed, NotFound

from .models import ApiClient, hash_token


class ScopedBearer(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: Any, token: str) -> ApiClient | None:
        client = ApiClient.objects.filter(token_hash=hash_token(token), active=True).first()
        if client is None:
            return None
        if not client.has_scope(self.scope):
            raise NotAllowed(
                gettext("该令牌没有“%(scope)s”权限") % {"scope": self.scope}, code="missing_scope"
            )
        request.api_client = client
        return client


def scope(name: str) -> ScopedBearer:
    return ScopedBearer(name)


def client_enterprise(request: Any, uscc: str) -> Any:
    """The enterprise a scoped client asks about, within the client's region if it has one.
    An invalid code, an unknown enterprise and one outside the region are the same 404, so
    a regional client cannot probe the rest of the register."""
    from xinjian.registry.identifiers import IdentifierError, normalize_uscc
    from xinjian.registry.models import Enterprise

    missing = NotFound(gettext("统一社会信用代码无效或不存在"), code="unknown_enterprise")
    try:
        code = normalize_uscc(uscc)
    except IdentifierError:
        raise missing from None
    qs = Enterprise.objects.filter(uscc=code)
    region = request.api_client.region_code
    if region:
        qs = qs.in_region(region)
    enterprise = qs.first()
    if enterprise is None:
        raise missing
    return enterprise
