"""The register as an API client sees it: the enterprise a scoped client asks about."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from xinjian.core.errors import NotFound

from .identifiers import IdentifierError, normalize_uscc
from .models import Enterprise


def client_enterprise(request: Any, uscc: str) -> Any:
    """The enterprise a scoped client asks about, within the client's region if it has one.
    An invalid code, an unknown enterprise and one outside the region are the same 404, so
    a regional client cannot probe the rest of the register."""
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
