"""Public progress lookup of a credit-repair application (issue 14, as 信用中国 offers):
anyone holding the application number *and* the enterprise's USCC sees the status and
its dates — nothing else (no names, reasons, documents or decision text). Both must
match, a miss says the same whatever was wrong, and lookups count against the public
search rate limit: the page cannot be used to find which numbers or enterprises exist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.core.access import public
from xinjian.disclosure import ratelimit
from xinjian.registry.identifiers import IdentifierError, normalize_uscc

from .models import RepairApplication


class LookupForm(forms.Form):
    number = forms.CharField(label=_("申请编号"), max_length=40, strip=True)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30, strip=True)

    def clean_uscc(self) -> str:
        try:
            return normalize_uscc(self.cleaned_data["uscc"])
        except IdentifierError as e:
            raise forms.ValidationError(str(e), code="invalid_uscc") from e


def progress(app: RepairApplication) -> list[dict[str, Any]]:
    """The steps with their dates; only steps the application has reached."""
    steps = [
        (_("提交申请"), app.submitted_on),
        (_("受理"), app.accepted_on),
        (_("现场核查"), app.verified_on),
        (_("作出决定"), app.decided_on),
        (_("更新公示"), app.publication_updated_on),
        (_("撤销修复"), app.revoked_on),
    ]
    return [{"label": label, "on": on} for label, on in steps if on]


@public
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    found, error = None, ""
    if form.is_bound:
        try:
            ratelimit.hit(request, bucket="repair-lookup")
        except ratelimit.RateLimited as exc:
            return render(
                request, "repair/lookup.html", {"form": LookupForm(), "error": exc.message}, status=429
            )
        if form.is_valid():
            found = (
                RepairApplication.objects.filter(
                    number=form.cleaned_data["number"], enterprise__uscc=form.cleaned_data["uscc"]
                )
                .only(
                    "number",
                    "status",
                    "submitted_on",
                    "accepted_on",
                    "verified_on",
                    "decided_on",
                    "publication_updated_on",
                    "revoked_on",
                )
                .first()
            )
        if found is None:
            # one answer for a wrong number, a wrong USCC or both (no oracle)
            error = gettext("未找到申请编号与统一社会信用代码均相符的信用修复申请，请核对后重试。")
    return render(
        request,
        "repair/lookup.html",
        {
            "form": form,
            "app": found,
            "status_label": found.get_status_display() if found else "",
            "steps": progress(found) if found else [],
            "error": error,
        },
    )
