"""Bearer-token authentication for system clients: a missing or wrong token is 401,
a token without the scope is 403 (interfaces.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from ninja.security import HttpBearer

from xinjian.core.errors import NotAllowed

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
