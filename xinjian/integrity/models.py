"""Integrity promotion (诚信建设, seed 十四): articles and policy explainers published
with four eyes; industry associations (行业协会商会), their member enterprises and their
logins. An association sees its members' public records and receives their list changes
by push (sharing subscriptions scoped to the members)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import JurisdictionQuerySet
from xinjian.core.models import AuditedModel, TransitionRecord
from xinjian.disclosure.redaction import redact
from xinjian.registry.models import Enterprise


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("诚信宣传")
    POLICY = "policy", _("政策解读")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Article(AuditedModel):
    """An article of the public 诚信建设 section. Written by one person, published by
    another (four eyes); any edit sends it back to draft."""

    kind = models.CharField(
        _("栏目"), max_length=10, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    region_code = models.CharField(_("区划代码"), max_length=6)
    status = models.CharField(
        _("状态"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    written_by = models.CharField(_("撰写人"), max_length=150)
    approved_by = models.CharField(_("审核发布人"), max_length=150, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("诚信建设文章")
        verbose_name_plural = _("诚信建设文章")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def public_title(self) -> str:
        """As published: personal data removed (domain.md §5), like every free text."""

        return redact(self.title)

    def public_summary(self) -> str:

        return redact(self.summary)

    def public_body(self) -> str:

        return redact(self.body)


class ArticleHistory(TransitionRecord):
    """One row per step of an article (`actions.ARTICLES`)."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="history")

    class Meta:
        verbose_name = _("文章流转记录")
        verbose_name_plural = _("文章流转记录")
        ordering = ["at", "id"]


class IndustryAssociation(AuditedModel):
    """An industry association or chamber (行业协会商会) working with the regulator on
    its members' credit (seed 十四)."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=6)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行业协会商会")
        verbose_name_plural = _("行业协会商会")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A member enterprise of an association, entered by staff. Ended, not deleted."""

    association = models.ForeignKey(IndustryAssociation, on_delete=models.PROTECT, related_name="memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="memberships")
    since = models.DateField(_("入会日期"))
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    added_by = models.CharField(_("登记人"), max_length=150)

    class Meta:
        verbose_name = _("会员企业")
        verbose_name_plural = _("会员企业")
        ordering = ["association_id", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "enterprise"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.association} ∋ {self.enterprise_id}"


class AssociationUser(models.Model):
    """A login of an association (the association role): it sees the association's
    members' public records and the pushes it received, nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="association_user"
    )
    association = models.ForeignKey(IndustryAssociation, on_delete=models.PROTECT, related_name="users")

    class Meta:
        verbose_name = _("协会用户")
        verbose_name_plural = _("协会用户")

    def __str__(self) -> str:
        return f"{self.user.get_username()} → {self.association}"
