"""The site's own error pages (issue 14): 400/403/404/500 and a refused form (CSRF) are
rendered in the site's layout, in the user's language, with the navigation and a way
back — on the public portal as on the staff side. The API keeps its one error shape
(`{"error": {"code", "message", "details"}}`, architecture rule 8)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .errors import error_body

log = logging.getLogger(__name__)


def _page(
    request: HttpRequest, status: int, code: str, title: str, message: str, reason: str = ""
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    context: dict[str, Any] = {"status": status, "title": title, "message": message, "reason": reason}
    try:
        return render(request, "error.html", context, status=status)
    except Exception:  # the layout itself failed (a database down): the bare page
        log.exception("error page %s could not be rendered with the layout", status)
        return HttpResponse(render_to_string("error_bare.html", context), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, "bad_request", _("请求无效"), _("无法处理此请求，请检查输入后重试。"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our own refusals say why in Chinese (core.access); anything else gets the generic text.
    reason = str(exception) if exception is not None and getattr(exception, "args", None) else ""
    return _page(
        request, 403, "forbidden", _("无权访问"), _("您没有访问此页面或执行此操作的权限。"), reason=reason
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 404, "not_found", _("页面不存在"), _("您访问的页面不存在，或者不在您的管辖范围内。")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, "server_error", _("系统出错"), _("处理请求时发生错误，已记录，请稍后重试。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (an expired page, a form from elsewhere)."""
    return _page(
        request,
        403,
        "csrf_failed",
        _("表单已失效"),
        _("页面已过期或表单来源无法验证。请返回上一页，刷新后重新提交。"),
    )
