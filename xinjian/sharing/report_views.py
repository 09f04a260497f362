"""Credit reports on the public portal (/public/reports/…) and the staff's count of
reports issued (/staff/sharing/reports/). Thin views: load, call reports/actions, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xinjian.core.access import public, staff
from xinjian.core.actors import Actor
from xinjian.core.errors import DomainError
from xinjian.core.pages import query_without_page
from xinjian.core.permissions import Perm
from xinjian.disclosure import ratelimit
from xinjian.disclosure.views import list_links
from xinjian.registry.identifiers import IdentifierError, normalize_uscc
from xinjian.registry.models import Enterprise

from . import actions, report_pdf, reports
from .models import CreditReport

ISSUE_BUCKET = "report-issue"
VERIFY_BUCKET = "report-verify"


def actor_for(request: HttpRequest, channel: str) -> Any:
    """Who asked for a report: the logged-in person, or the anonymous public (no address
    is kept: it would be personal data with no use here)."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else Actor(f"public:{channel}")


def links(request: HttpRequest, number: str, code: str) -> dict[str, str]:
    query = urlencode({"code": reports.display_code(code)})
    verify = urlencode({"number": number, "code": reports.display_code(code)})
    return {
        "url": request.build_absolute_uri(reverse("reports:report", args=[number]) + "?" + query),
        "pdf_url": request.build_absolute_uri(reverse("reports:pdf", args=[number]) + "?" + query),
        "verify_url": request.build_absolute_uri(reverse("reports:verify") + "?" + verify),
    }


def find_enterprise(uscc: str) -> Enterprise | None:
    try:
        code = normalize_uscc(uscc)
    except IdentifierError:
        return None
    return Enterprise.objects.filter(uscc=code).first()


@require_POST
@public
def issue(request: HttpRequest, uscc: str) -> HttpResponse:
    try:
        ratelimit.hit(request, ISSUE_BUCKET)
    except ratelimit.RateLimited as exc:
        return _verify_form(request, error=exc.message, status=429)
    enterprise = find_enterprise(uscc)
    if enterprise is None:
        raise Http404
    report, code = actions.issue_credit_report(enterprise, actor=actor_for(request, "web"), channel="web")
    return redirect(reverse("reports:report", args=[report.number]) + "?" + urlencode({"code": code}))


def _verify_form(
    request: HttpRequest, *, error: str = "", number: str = "", code: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "sharing/report_verify.html",
        {"error": error, "number": number, "code": code, "list_links": list_links()},
        status=status,
    )


def _checked(request: HttpRequest, number: str, code: str) -> reports.Verified | HttpResponse:
    """Verify (rate-limited like the public search) or answer with the form and why."""
    try:
        ratelimit.hit(request, VERIFY_BUCKET)
        return reports.verify(number, code)
    except DomainError as exc:
        return _verify_form(request, error=exc.message, number=number, code=code, status=exc.status)


def _context(request: HttpRequest, v: reports.Verified) -> dict[str, Any]:
    return {
        "r": v.report,
        "c": v.content,
        "p": v.content["profile"],
        "code": reports.display_code(v.code),
        "links": links(request, v.report.number, v.code),
        "list_links": list_links(),
    }


@public
def report_page(request: HttpRequest, number: str) -> HttpResponse:
    """The printable report (print CSS), reachable with its code."""
    v = _checked(request, number, request.GET.get("code", ""))
    if isinstance(v, HttpResponse):
        return v
    return render(request, "sharing/report.html", _context(request, v))


@public
def report_pdf_view(request: HttpRequest, number: str) -> HttpResponse:
    v = _checked(request, number, request.GET.get("code", ""))
    if isinstance(v, HttpResponse):
        return v
    body = report_pdf.render(
        v.content,
        code=reports.display_code(v.code),
        sha256=v.report.sha256,
        verify_url=links(request, v.report.number, v.code)["verify_url"],
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{v.report.number}.pdf"'
    return response


@public
def verify_page(request: HttpRequest) -> HttpResponse:
    """Enter number + code: genuine or not, when issued, the content as issued, and
    whether the enterprise's public data has changed since."""
    number = request.GET.get("number", "").strip()
    code = request.GET.get("code", "").strip()
    if not number and not code:
        return _verify_form(request)
    v = _checked(request, number, code)
    if isinstance(v, HttpResponse):
        return v
    context = _context(request, v)
    context.update(number=number, code=code, changed_since=v.changed_since, verified=True)
    return render(request, "sharing/report_verify.html", context)


@staff(Perm.MANAGE_SHARING)
def report_counts(request: HttpRequest) -> HttpResponse:
    """How many reports were issued on each enterprise of the officer's jurisdiction."""
    rows = (
        Enterprise.objects.visible_to(request.user)
        .annotate(n=Count("credit_reports"), last=Max("credit_reports__issued_at"))
        .filter(n__gt=0)
        .order_by("-n", "uscc")
        .values("uscc", "name", "region_code", "n", "last")
    )
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(uscc__startswith=q.upper()) if q[:1].isdigit() else rows.filter(name__contains=q)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    visible = Enterprise.objects.visible_to(request.user).values("pk")
    total = CreditReport.objects.filter(enterprise__in=visible).count()
    return render(
        request,
        "sharing/report_counts.html",
        {"page": page, "q": q, "total": total, "query": query_without_page(request)},
    )
