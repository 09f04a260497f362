"""State changes of the integrity section (architecture rule 1: atomic, audited,
evented). Articles move on the one workflow engine (`core.workflow`) like typical cases:
written, submitted, published by someone other than the writer (four eyes), returned or
withdrawn; any edit sends an article back to draft. Associations, their members, logins
and push subscriptions are managed by staff (Perm.MANAGE_SHARING)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.permissions import Perm
from xinjian.core.workdays import today
from xinjian.core.workflow import Field, Transition, Workflow
from xinjian.registry.models import Enterprise
from xinjian.sharing import actions as sharing

from . import queries
from .models import (
    Article,
    ArticleHistory,
    ArticleKind,
    ArticleStatus,
    AssociationUser,
    IndustryAssociation,
    Membership,
)

S, T, P = ArticleStatus, Transition, Perm.PUBLISH_INTEGRITY

ARTICLES = Workflow(
    "integrity.article",
    Article,
    {
        "write": T({""}, S.DRAFT, _("撰写"), event=EventType.ARTICLE_SAVED),
        "edit": T({S.DRAFT, S.PENDING, S.WITHDRAWN}, S.DRAFT, _("修改"), event=EventType.ARTICLE_SAVED),
        "submit": T(
            {S.DRAFT},
            S.PENDING,
            _("提交审核"),
            perm=P,
            event=EventType.ARTICLE_SUBMITTED,
            handler="move_article",
            kwargs={"action": "submit"},
            done=_("已提交，待他人审核发布"),
        ),
        "publish": T(
            {S.PENDING},
            S.PUBLISHED,
            _("审核发布"),
            perm=P,
            event=EventType.ARTICLE_PUBLISHED,
            handler="move_article",
            kwargs={"action": "publish"},
            done=_("已发布"),
        ),
        "return": T(
            {S.PENDING},
            S.DRAFT,
            _("退回修改"),
            perm=P,
            event=EventType.ARTICLE_RETURNED,
            handler="move_article",
            fields=(Field("reason", _("退回理由")),),
            kwargs={"action": "return"},
            done=_("已退回撰写人修改"),
        ),
        "withdraw": T(
            {S.PUBLISHED},
            S.WITHDRAWN,
            _("撤回"),
            perm=P,
            event=EventType.ARTICLE_WITHDRAWN,
            handler="move_article",
            fields=(Field("reason", _("撤回理由")),),
            kwargs={"action": "withdraw"},
            done=_("已撤回，公众不再可见"),
        ),
    },
    history=ArticleHistory,
    link="article",
    audit_prefix="integrity.article",
    actions_module="xinjian.integrity.actions",
    detail_url="integrity:article",
    payload=lambda a: {"article_id": a.pk, "title": a.title, "kind": a.kind},
)


@transaction.atomic
def save_article(
    article: Article | None,
    *,
    actor: Any,
    kind: str,
    title: str,
    body: str,
    region_code: str,
    summary: str = "",
) -> Article:
    """Write or edit an article; it is (back) in draft and needs a new approval."""
    who = as_actor(actor)
    details = []
    if kind not in ArticleKind.values:
        details.append(field_error("kind", "invalid", kind))
    if not title.strip():
        details.append(field_error("title", "required", gettext("必填")))
    if not body.strip():
        details.append(field_error("body", "required", gettext("必填")))
    if len(title.strip()) > 200:
        details.append(field_error("title", "too_long", gettext("标题不超过200字")))
    if len(summary.strip()) > 300:
        details.append(field_error("summary", "too_long", gettext("摘要不超过300字")))
    if details:
        raise DomainError(gettext("文章信息不完整或不合法"), details=details)
    if article is None:
        article = Article(written_by=who.label)
    else:
        ARTICLES.lock(article)
        if article.status == ArticleStatus.PUBLISHED:
            raise InvalidTransition(gettext("已发布的文章需先撤回再修改"))
    article.kind, article.title, article.summary = kind, title.strip(), summary.strip()
    article.body, article.region_code = body.strip(), region_code
    article.approved_by = ""  # any edit needs a new approval
    ARTICLES.move(
        article,
        "edit" if article.pk else "write",
        actor=who,
        on=today(),
        audit_action="integrity.article.save",
    )
    return article


@transaction.atomic
def move_article(
    article: Article, action: str, *, actor: Any, reason: str = "", on: dt.date | None = None
) -> Article:
    """submit | publish | return | withdraw. Publishing needs a person other than the
    writer (four eyes); returning and withdrawing need a reason."""
    if action not in ("submit", "publish", "return", "withdraw"):
        raise KeyError(action)
    who = as_actor(actor)
    ARTICLES.lock(article)
    ARTICLES.check(article, action)
    if action == "publish" and who.label == article.written_by:
        raise NotAllowed(gettext("文章须由撰写人以外的人员审核发布"), code="four_eyes")
    if action in ("return", "withdraw") and not reason.strip():
        raise DomainError(gettext("须说明理由"), details=[field_error("reason", "required", gettext("必填"))])
    on = on or today()
    if action == "publish":
        article.approved_by = who.label
        article.published_on = on
    ARTICLES.move(article, action, actor=who, on=on, reason=reason.strip())
    return article


# --- associations ---------------------------------------------------------------------


@transaction.atomic
def save_association(
    association: IndustryAssociation | None,
    *,
    actor: Any,
    name: str,
    region_code: str,
    uscc: str = "",
    contact: str = "",
) -> IndustryAssociation:
    who = as_actor(actor)
    details = []
    if not name.strip():
        details.append(field_error("name", "required", gettext("必填")))
    for field, value, limit in (("name", name, 200), ("uscc", uscc, 18), ("contact", contact, 100)):
        if len(value.strip()) > limit:
            details.append(field_error(field, "too_long", gettext("不超过%(n)s字") % {"n": limit}))
    if not (len(region_code) == 6 and region_code.isdigit()):
        details.append(field_error("region_code", "invalid", region_code))
    duplicate = IndustryAssociation.objects.filter(name=name.strip())
    if association is not None:
        duplicate = duplicate.exclude(pk=association.pk)
    if name.strip() and duplicate.exists():
        details.append(field_error("name", "duplicate", gettext("该名称已登记")))
    if details:
        raise DomainError(gettext("协会信息不完整或不合法"), details=details)
    before = audit.snapshot(association) if association is not None else None
    association = association or IndustryAssociation()
    association.name, association.region_code = name.strip(), region_code
    association.uscc, association.contact = uscc.strip().upper(), contact.strip()
    association.touch(who.label)
    association.save()
    audit.record(
        "integrity.association.save", association, actor=who, before=before, after=audit.snapshot(association)
    )
    emit(
        EventType.ASSOCIATION_SAVED,
        region_code=association.region_code,
        data={"association_id": association.pk, "name": association.name},
    )
    return association


@transaction.atomic
def add_member(
    association: IndustryAssociation, enterprise: Enterprise, *, actor: Any, since: dt.date | None = None
) -> Membership:
    """Register a member enterprise (from `since`, default today). It must lie in the
    association's region: the association's pushes are limited to that region too."""
    who = as_actor(actor)
    if not enterprise.region_code.startswith(region_prefix(association.region_code)):
        raise DomainError(
            gettext("会员企业须在协会所在区划内"),
            details=[field_error("uscc", "outside_region", enterprise.uscc)],
        )
    if queries.current_members(association).filter(enterprise=enterprise).exists():
        raise DomainError(
            gettext("该企业已是会员"), details=[field_error("uscc", "duplicate", enterprise.uscc)]
        )
    m = Membership.objects.create(
        association=association, enterprise=enterprise, since=since or today(), added_by=who.label
    )
    audit.record("integrity.member.add", m, actor=who, after=audit.snapshot(m), uscc=enterprise.uscc)
    emit(
        EventType.ASSOCIATION_MEMBER_ADDED,
        uscc=enterprise.uscc,
        region_code=enterprise.region_code,
        data={"association_id": association.pk, "since": m.since.isoformat()},
    )
    return m


@transaction.atomic
def end_member(membership: Membership, *, actor: Any, on: dt.date | None = None) -> Membership:
    """The enterprise leaves the association: from `on` the association no longer sees it
    nor receives its changes."""
    who = as_actor(actor)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise InvalidTransition(gettext("该会员已退出"))
    membership.ended_on = on or today()
    membership.save(update_fields=["ended_on"])
    e = membership.enterprise
    audit.record("integrity.member.end", membership, actor=who, after=audit.snapshot(membership), uscc=e.uscc)
    emit(
        EventType.ASSOCIATION_MEMBER_ENDED,
        uscc=e.uscc,
        region_code=e.region_code,
        data={"association_id": membership.association_id, "ended_on": membership.ended_on.isoformat()},
    )
    return membership


@transaction.atomic
def add_association_user(
    association: IndustryAssociation, *, actor: Any, username: str, password: str, full_name: str = ""
) -> AssociationUser:
    """Open a login for the association (the association role). Staff hand the initial
    password over; it follows the password rules."""
    who = as_actor(actor)
    username = username.strip()
    details = []
    if not username:
        details.append(field_error("username", "required", gettext("必填")))
    elif len(username) > 150:
        details.append(field_error("username", "too_long", gettext("不超过%(n)s字") % {"n": 150}))
    if len(full_name.strip()) > 150:
        details.append(field_error("full_name", "too_long", gettext("不超过%(n)s字") % {"n": 150}))
    elif User.objects.filter(username=username).exists():
        details.append(field_error("username", "duplicate", gettext("用户名已存在")))
    try:
        validate_password(password, User(username=username))
    except ValidationError as e:
        details.append(field_error("password", "weak", "；".join(e.messages)))
    if details:
        raise DomainError(gettext("账号信息不合法"), details=details)
    user = User.objects.create_user(username, password=password, first_name=full_name.strip())
    link = AssociationUser.objects.create(user=user, association=association)
    audit.record(
        "integrity.association_user.add",
        link,
        actor=who,
        after={"username": username, "association_id": association.pk},
    )
    emit(
        EventType.ASSOCIATION_USER_ADDED,
        region_code=association.region_code,
        data={"association_id": association.pk, "username": username},
    )
    return link


# The list changes an association receives (public facts about its members).
LIST_EVENTS = ["listing.added", "listing.removed"]


@transaction.atomic
def subscribe_association(
    association: IndustryAssociation, *, actor: Any, endpoint: str, secret: str = ""
) -> tuple[Any, str]:
    """A push subscription for the association's system: its members' list changes only
    (sharing subscriptions with the association's members as audience). Returns the
    subscription and its shared secret (shown once)."""
    who = as_actor(actor)
    if len(endpoint.strip()) > 500:
        raise DomainError(
            gettext("接收地址过长"),
            details=[field_error("endpoint", "too_long", gettext("不超过%(n)s字") % {"n": 500})],
        )
    sub, secret = sharing.create_subscription(
        actor=actor,
        name=f"{association.name}·会员名单变动",
        department=association.name,
        endpoint=endpoint.strip(),
        event_types=LIST_EVENTS,
        region_code=association.region_code,
        secret=secret,
        audience=queries.audience_of(association),
    )
    emit(
        EventType.ASSOCIATION_SUBSCRIBED,
        region_code=association.region_code,
        data={"association_id": association.pk, "subscription_id": sub.pk, "by": who.label},
    )
    return sub, secret
