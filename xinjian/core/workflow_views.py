"""The one view that takes a workflow step by hand: the buttons rendered by
`{% workflow_actions obj %}` post here. The step must be in the workflow's table, allowed
from the object's state, held by the person (the table's permission) and the object
inside their jurisdiction; the action function does the rest (and the engine locks the
row, so a double submit changes nothing the second time)."""

from __future__ import annotations

import importlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .access import staff
from .errors import DomainError, describe
from .jurisdiction import get_visible_or_404
from .workflow import REGISTRY, may_take


@require_POST
@staff()
def take(request: HttpRequest, workflow: str, pk: int, action: str = "") -> HttpResponse:
    """`action` comes from the URL, or from the form (`action=…`) for the older routes."""
    action = action or request.POST.get("action", "")
    wf = REGISTRY.get(workflow)
    if wf is None or action not in wf.transitions:
        raise Http404
    t = wf.transitions[action]
    if not t.perm or not t.handler:
        raise Http404
    if not may_take(request.user, t):
        raise PermissionDenied(gettext("没有执行此操作的权限"))
    obj = get_visible_or_404(wf.model.objects.all(), request.user, pk=pk)  # type: ignore[attr-defined]
    handler = getattr(importlib.import_module(wf.actions_module), t.handler)
    form = t.form_class(obj)(request.POST)
    if not form.is_valid():
        # Nothing is changed; each input that is wrong is named with its label.
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else str(error))
    else:
        data = {f.name: form.cleaned_data[f.name] for f in t.fields}
        try:
            handler(obj, actor=request.user, **dict(t.kwargs), **data)
            messages.success(request, str(t.done) if t.done else gettext("已办理"))
        except DomainError as e:
            # each detail under its field's label, never the field's key (issue 14)
            messages.error(request, describe(e, type(obj)))
    target = form.cleaned_data.get("next", "") if form.is_valid() else request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    try:
        return redirect(wf.detail_url, pk=obj.pk)
    except NoReverseMatch:  # a workflow whose objects are handled on a list page
        return redirect(wf.detail_url)
