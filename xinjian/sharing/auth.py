"""Bearer-token authentication for system clients: a missing or wrong token is 401,
a token without the scope is 403 (interfaces.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from ninja.security import HttpBearer

from xinjian.accounts import lockout
from xinjian.core.errors import DomainError, NotAllowed, NotFound, field_error
from xinjian.core.jurisdiction import region_prefix

from .models import ApiClient, hash_token


class TokenLocked(DomainError):
    status = 429
    code = "too_many_failures"


class ScopedBearer(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: Any, token: str) -> ApiClient | None:
        # Repeated wrong tokens from one address lock it for the login cool-off (issue 13),
        # whatever token it sends next.
        address = lockout.client_address(request)
        if lockout.token_locked(address):
            raise TokenLocked(gettext("该地址多次使用无效令牌，已暂时锁定，请稍后再试"))
        client = ApiClient.objects.filter(token_hash=hash_token(token), active=True).first()
        if client is None:
            lockout.token_failed(address)
            return None
        if not client.has_scope(self.scope):
            raise NotAllowed(
                gettext("该令牌没有“%(scope)s”权限") % {"scope": self.scope}, code="missing_scope"
            )
        request.api_client = client
        return client


def scope(name: str) -> ScopedBearer:
    return ScopedBearer(name)


def client_region_prefix(client: Any) -> str | None:
    """The division prefix a client is bound to, or None for a client of the whole
    instance (issue 13: every record a regional token reads or writes lies inside it)."""
    return region_prefix(client.region_code) if client.region_code else None


def record_region(uscc: str, enterprise: Any = None) -> str:
    """The division a record about `uscc` belongs to: the enterprise's when the register
    holds it, otherwise the registration authority's division embedded in the USCC
    (GB 32100-2015 characters 3–8), so a record about an enterprise not registered yet is
    judged too."""
    if enterprise is not None:
        return str(enterprise.region_code)
    return uscc[2:8] if len(uscc) == 18 else ""


def outside_region_error(uscc: str) -> DomainError:
    message = gettext("该记录所属主体不在本令牌的区域内")
    return DomainError(
        message,
        code="outside_region",
        details=[field_error("uscc", "outside_region", message)],
    )


def check_record_region(client: Any, uscc: str, enterprise: Any = None) -> None:
    """A regional client writes only records about enterprises of its region: otherwise
    `400 outside_region` naming `uscc`."""
    prefix = client_region_prefix(client)
    if prefix is not None and not record_region(uscc, enterprise).startswith(prefix):
        raise outside_region_error(uscc)


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
