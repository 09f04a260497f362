"""Input no database can hold is refused at the door.

PostgreSQL text cannot contain NUL (0x00); a request carrying one in its path, query or
form would otherwise reach the ORM and fail with a server error. Form posts (urlencoded
or multipart fields) are checked here too; bodies parsed by the API are checked by
`NulSafeParser` (config/api.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers

from .errors import error_body


def find_nul(value: Any, path: str = "") -> str | None:
    """The path of the first string holding a NUL character inside `value`, or None."""
    if isinstance(value, str):
        return path or "body" if "\x00" in value else None
    if isinstance(value, dict):
        for k, v in value.items():
            key = str(k)
            if "\x00" in key:
                return f"{path}.{key!r}" if path else repr(key)
            found = find_nul(v, f"{path}.{key}" if path else key)
            if found:
                return found
    if isinstance(value, list):
        for i, v in enumerate(value):
            found = find_nul(v, f"{path}[{i}]")
            if found:
                return found
    return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = None
        if "\x00" in request.path:
            field = "path"
        else:
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in v for v in values):
                    field = name
                    break
            if field is None and request.method == "POST" and request.content_type in FORM_TYPES:
                try:
                    posted = request.POST
                except MultiPartParserError:
                    return HttpResponseBadRequest("无法解析的表单数据")
                for name, values in posted.lists():
                    if "\x00" in name or any("\x00" in v for v in values):
                        field = name
                        break
        if field is not None:
            message = "请求中含有不允许的空字符（0x00）"
            if request.path.startswith("/api/"):
                return JsonResponse(
                    error_body(
                        "invalid_character",
                        message,
                        [{"field": field, "code": "invalid_character", "message": message}],
                    ),
                    status=400,
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)


# Pages and files that carry non-public data: never kept by a browser or a proxy cache.
PRIVATE_PREFIXES = ("/staff/", "/admin/", "/public/my/", "/accounts/")


class NoStoreMiddleware:
    """`Cache-Control: no-store` (with Django's never-cache set) on staff pages and staff
    exports, the admin, an enterprise user's own pages, login, and any API answer to a
    token (issue 13 item 8): a shared computer's back button or a proxy must not keep a
    jurisdiction's register, risk classes or complaints."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if (
            path.startswith(PRIVATE_PREFIXES)
            or "HTTP_AUTHORIZATION" in request.META
            or getattr(getattr(request, "user", None), "is_authenticated", False)
        ):
            add_never_cache_headers(response)
        return response
