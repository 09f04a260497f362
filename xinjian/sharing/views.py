"""Staff pages for sharing: subscriptions, the delivery queue with dead letters and
replay, and feedback received."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.core.access import staff
from xinjian.core.errors import DomainError
from xinjian.core.events import EventType
from xinjian.core.forms import say_invalid
from xinjian.core.jurisdiction import get_visible_or_404
from xinjian.core.pages import query_without_page
from xinjian.core.permissions import Perm
from xinjian.registry.models import Enterprise

from . import actions
from .models import SHAREABLE_EVENT_TYPES, ApiClient, Delivery, DeliveryStatus, Feedback, Subscription

EVENT_LABELS = dict(EventType.choices)


@staff(Perm.MANAGE_SHARING)
def index(request: HttpRequest) -> HttpResponse:
    # Scoped like everything else (issue 13): own jurisdiction only.
    subs = Subscription.objects.visible_to(request.user).annotate(n=Count("deliveries")).order_by("name")
    counts = dict(
        Delivery.objects.visible_to(request.user)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return render(
        request,
        "sharing/index.html",
        {
            "subscriptions": subs,
            "counts": counts,
            "event_types": [(t, EVENT_LABELS.get(t, t)) for t in SHAREABLE_EVENT_TYPES],
            "clients": ApiClient.objects.filter(active=True),
            "new_secret": request.session.pop("new_secret", None),
            "feedback": Feedback.objects.filter(
                uscc__in=Enterprise.objects.visible_to(request.user).values("uscc")
            ).select_related("event")[:20],
        },
    )


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    department = forms.CharField(label=_("接收部门"), max_length=100, required=False)
    endpoint = forms.CharField(label=_("接收地址"), max_length=500)
    event_types = forms.MultipleChoiceField(
        label=_("事件类型"), choices=[(t, t) for t in SHAREABLE_EVENT_TYPES], required=False
    )
    region_code = forms.CharField(label=_("区划代码"), max_length=6, required=False)
    # A non-numeric id was a 500 (issue 13 item 7).
    client = forms.ModelChoiceField(label=_("接口客户端"), queryset=ApiClient.objects.all(), required=False)


@require_POST
@staff(Perm.MANAGE_SHARING)
def create_subscription(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("sharing:index")
    try:
        sub, secret = actions.create_subscription(actor=request.user, **form.cleaned_data)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("sharing:index")
    request.session["new_secret"] = {"name": sub.name, "secret": secret}
    messages.success(
        request, gettext("已创建订阅“%(name)s”，请将共享密钥告知接收方（仅显示一次）") % {"name": sub.name}
    )
    return redirect("sharing:index")


@require_POST
@staff(Perm.MANAGE_SHARING)
def toggle_subscription(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_visible_or_404(Subscription.objects, request.user, pk=pk)
    actions.set_subscription_active(sub, not sub.active, actor=request.user)
    return redirect("sharing:index")


@staff(Perm.MANAGE_SHARING)
def deliveries(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", DeliveryStatus.DEAD)
    qs = Delivery.objects.visible_to(request.user).select_related("subscription", "event").order_by("-id")
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("subscription", "").isdigit():
        qs = qs.filter(subscription_id=int(request.GET["subscription"]))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/deliveries.html",
        {
            "page": page,
            "status": status,
            "statuses": DeliveryStatus.choices,
            "query": query_without_page(request),
            "labels": EVENT_LABELS,
        },
    )


@require_POST
@staff(Perm.MANAGE_SHARING)
def replay(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_visible_or_404(Delivery.objects, request.user, pk=pk)
    try:
        actions.replay(delivery, actor=request.user)
        messages.success(request, gettext("投递 #%(pk)s 已重新排队") % {"pk": delivery.pk})
    except DomainError as e:
        messages.error(request, e.message)
    target = str(request.POST.get("next", ""))[:500]  # a path back, checked below; no other input
    # Only back to a sharing page: never an open redirect.
    return redirect(target if target.startswith("/staff/sharing/") else "sharing:deliveries")
