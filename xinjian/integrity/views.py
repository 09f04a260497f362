"""Pages of the integrity section: the public 诚信建设 articles, the staff editor and
association management, and the association's own pages (its members' public records and
the list changes pushed to it). Thin views: the actions do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.core.access import association_user, public, staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import say_invalid
from xinjian.core.jurisdiction import get_visible_or_404
from xinjian.core.permissions import Perm
from xinjian.core.workdays import today
from xinjian.disclosure.queries import profile
from xinjian.lists.models import ListKind
from xinjian.registry.identifiers import IdentifierError, normalize_uscc
from xinjian.registry.models import Enterprise
from xinjian.sharing.models import DeliveryStatus

from . import actions, queries
from .models import Article, ArticleKind, IndustryAssociation, Membership


def _errors(request: HttpRequest, e: DomainError) -> None:
    messages.error(request, e.message)
    for d in e.details:
        if d.get("message") and d.get("message") != e.message:
            messages.error(request, str(d["message"]))


def _region(request: HttpRequest) -> str:
    dept = getattr(getattr(request.user, "staff_profile", None), "department", None)
    return dept.division_id if dept is not None else settings.XINJIAN_PROVINCE


# --- public ------------------------------------------------------------------------------


@public
def public_index(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    qs = queries.published_articles()
    if kind in ArticleKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/public_index.html",
        {"page": page, "kind": kind, "kinds": ArticleKind.choices},
    )


@public
def public_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(queries.published_articles(), pk=pk)
    return render(request, "integrity/public_article.html", {"article": article})


# --- staff: articles -------------------------------------------------------------------------


@staff(Perm.PUBLISH_INTEGRITY)
def articles(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "integrity/articles.html",
        {"articles": Article.objects.visible_to(request.user).order_by("-modified_at", "-id")},
    )


# The actions name every missing, unknown or too long entry together, in their own words
# (the limits the page shows); the forms bound what reaches them.


class ArticleForm(forms.Form):
    kind = forms.CharField(label=_("栏目"), required=False, max_length=20)
    title = forms.CharField(label=_("标题"), required=False, max_length=1000)
    summary = forms.CharField(label=_("摘要"), required=False, max_length=1000)
    body = forms.CharField(label=_("正文"), required=False, max_length=100_000)


@staff(Perm.PUBLISH_INTEGRITY)
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    article = get_visible_or_404(Article.objects, request.user, pk=pk) if pk else None
    form = ArticleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            say_invalid(request, form)
        else:
            try:
                article = actions.save_article(
                    article,
                    actor=request.user,
                    region_code=article.region_code if article else _region(request),
                    **form.cleaned_data,
                )
                messages.success(request, gettext("已保存为草稿"))
                return redirect("integrity:article", pk=article.pk)
            except DomainError as e:
                _errors(request, e)
    return render(
        request,
        "integrity/article_form.html",
        {
            "article": article,
            "kinds": ArticleKind.choices,
            "history": article.history.all() if article else [],
            "posted": form.data if form.is_bound else None,
        },
    )


# --- staff: associations ---------------------------------------------------------------------


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("名称"), required=False, max_length=1000)
    uscc = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=100)
    contact = forms.CharField(label=_("联系人"), required=False, max_length=1000)


@staff(Perm.MANAGE_SHARING)
def associations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AssociationForm(request.POST)
        if not form.is_valid():
            say_invalid(request, form)
        else:
            try:
                a = actions.save_association(
                    None, actor=request.user, region_code=_region(request), **form.cleaned_data
                )
                messages.success(request, gettext("已登记"))
                return redirect("integrity:association", pk=a.pk)
            except DomainError as e:
                _errors(request, e)
    return render(
        request,
        "integrity/associations.html",
        {"associations": IndustryAssociation.objects.visible_to(request.user)},
    )


class AssociationStepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[
            ("member", _("登记会员企业")),
            ("end", _("登记退出")),
            ("user", _("开通协会账号")),
            ("subscribe", _("创建推送订阅")),
        ]
    )


class MemberForm(forms.Form):
    uscc = forms.CharField(label=_("会员企业统一社会信用代码"), max_length=100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_uscc(self) -> Enterprise:
        """Only an enterprise the user may see (their jurisdiction)."""
        try:
            code = normalize_uscc(self.cleaned_data["uscc"])
        except IdentifierError:
            code = ""
        enterprise = Enterprise.objects.visible_to(self.user).filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(gettext("统一社会信用代码无效或企业不在辖区内"), code="not_found")
        return enterprise


class EndMemberForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("会员企业"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, association: IndustryAssociation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(association=association)


class AssociationUserForm(forms.Form):
    username = forms.CharField(label=_("用户名"), required=False, max_length=1000)
    # A password is taken as typed (never stripped); its rules are the action's.
    password = forms.CharField(label=_("初始密码"), required=False, max_length=4096, strip=False)
    full_name = forms.CharField(label=_("姓名"), required=False, max_length=1000)


class AssociationSubscriptionForm(forms.Form):
    endpoint = forms.CharField(label=_("接收地址"), required=False, max_length=2000)


@staff(Perm.MANAGE_SHARING)
def association(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_visible_or_404(IndustryAssociation.objects, request.user, pk=pk)
    secret = ""
    if request.method == "POST":
        which = AssociationStepForm(request.POST)
        if not which.is_valid():
            raise Http404
        step = which.cleaned_data["step"]
        form: forms.Form
        if step == "member":
            form = MemberForm(request.POST, user=request.user)
        elif step == "end":
            form = EndMemberForm(request.POST, association=a)
        elif step == "user":
            form = AssociationUserForm(request.POST)
        else:
            form = AssociationSubscriptionForm(request.POST)
        if not form.is_valid():
            say_invalid(request, form)
        else:
            d = form.cleaned_data
            try:
                if step == "member":
                    actions.add_member(a, d["uscc"], actor=request.user)
                    messages.success(request, gettext("已登记会员企业"))
                elif step == "end":
                    actions.end_member(d["membership"], actor=request.user)
                    messages.success(request, gettext("已登记退出"))
                elif step == "user":
                    actions.add_association_user(a, actor=request.user, **d)
                    messages.success(request, gettext("已开通协会账号"))
                else:
                    _sub, secret = actions.subscribe_association(
                        a, actor=request.user, endpoint=d["endpoint"]
                    )
                    messages.success(request, gettext("已创建推送订阅，请将签名密钥交给协会（只显示一次）"))
                if not secret:
                    return redirect("integrity:association", pk=a.pk)
            except DomainError as e:
                _errors(request, e)
    return render(
        request,
        "integrity/association.html",
        {
            "association": a,
            "members": queries.current_members(a),
            "users": a.users.select_related("user"),
            "subscriptions": queries.subscriptions_of(a),
            "secret": secret,
        },
    )


# --- the association's own pages -------------------------------------------------------------


@association_user
def association_home(request: HttpRequest) -> HttpResponse:
    a = request.association  # type: ignore[attr-defined]
    return render(
        request,
        "integrity/association_home.html",
        {"association": a, "rows": queries.member_rows(a), "today": today()},
    )


@association_user
def association_member(request: HttpRequest, uscc: str) -> HttpResponse:
    """A member's public record, exactly as the public profile shows it today — an
    enterprise that is not a member is a 404."""
    a = request.association  # type: ignore[attr-defined]
    membership = queries.current_members(a).filter(enterprise__uscc=uscc).first()
    if membership is None:
        raise Http404
    return render(
        request,
        "integrity/association_member.html",
        {
            "association": a,
            "enterprise": membership.enterprise,
            # Built fresh, not from the public pages' one-minute cache: the association
            # reads it when a push told it that something changed.
            "data": profile(membership.enterprise, today(), use_cache=False),
        },
    )


@association_user
def association_pushes(request: HttpRequest) -> HttpResponse:
    a = request.association  # type: ignore[attr-defined]
    names = dict(Enterprise.objects.filter(memberships__association=a).values_list("uscc", "name").distinct())
    lists = dict(ListKind.choices)
    rows: list[dict[str, Any]] = []
    for d in queries.received(a):
        data = d.event.data or {}
        rows.append(
            {
                "delivery": d,
                "name": names.get(d.uscc, ""),
                "added": d.event.type == "listing.added",
                "list": lists.get(data.get("list", ""), ""),
                "ground": data.get("ground_name", ""),
                "delivered": d.status == DeliveryStatus.DELIVERED,
            }
        )
    return render(
        request,
        "integrity/association_pushes.html",
        {"association": a, "rows": rows, "subscriptions": queries.subscriptions_of(a)},
    )
