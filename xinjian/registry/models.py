"""Divisions, departments, enterprises, key-area types and tags (domain.md §1–3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import EnterpriseScopedQuerySet, JurisdictionQuerySet, territory_prefix
from xinjian.core.models import AuditedModel

from .identifiers import IdentifierError, normalize_uscc


class DivisionLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class DivisionQuerySet(models.QuerySet["Division"]):
    def current(self) -> DivisionQuerySet:
        """Divisions in force (an abolished code stays known: old enterprises keep it)."""
        return self.filter(valid_to__isnull=True)

    def of_territory(self) -> DivisionQuerySet:
        """This instance's territory (XINJIAN_PROVINCE; the whole country for the hub)."""
        return self.filter(code__startswith=territory_prefix()).exclude(level=DivisionLevel.NATIONAL)

    def for_prefix(self, prefix: str | None) -> DivisionQuerySet:
        """The divisions in force a user with this region prefix picks from (within the
        territory; "" — a superuser — means the whole territory)."""
        return self.current().of_territory().filter(code__startswith=prefix or "").order_by("code")


class Division(models.Model):
    """An administrative division (GB/T 2260). Codes change every year: `valid_from` and
    `valid_to` say when a code was listed (ADR 0095); an abolished code stays known, since
    enterprises registered under it keep it."""

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @staticmethod
    def level_of(code: str) -> str:
        if code == "000000":
            return DivisionLevel.NATIONAL
        if code.endswith("0000"):
            return DivisionLevel.PROVINCE
        if code.endswith("00"):
            return DivisionLevel.CITY
        return DivisionLevel.COUNTY

    def full_name(self) -> str:
        parts: list[str] = []
        node: Division | None = self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return "".join(reversed(parts))


class Department(models.Model):
    """A market regulation department at province, city or county level."""

    name = models.CharField(_("名称"), max_length=100)
    division = models.OneToOneField(Division, on_delete=models.PROTECT, related_name="department")

    class Meta:
        verbose_name = _("市场监管部门")
        verbose_name_plural = _("市场监管部门")
        ordering = ["division_id"]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.division.level

    def parent_department(self) -> Department | None:
        parent = self.division.parent
        return getattr(parent, "department", None) if parent else None


class OfficeKind(models.TextChoices):
    CREDIT = "credit", _("信用监管机构")
    FOOD = "food", _("食品生产监管机构")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备监管机构")
    ENFORCEMENT = "enforcement", _("执法办案机构")
    IT = "it", _("信息化管理机构")


class Office(models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="offices")
    kind = models.CharField(_("类别"), max_length=20, choices=OfficeKind.choices)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("内设机构")
        verbose_name_plural = _("内设机构")
        unique_together = [("department", "kind")]

    def __str__(self) -> str:
        return f"{self.department.name}{self.name}"


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("存续")
    REVOKED = "revoked", _("吊销")
    CANCELLED = "cancelled", _("注销")
    MOVED_OUT = "moved_out", _("迁出")


class EnterpriseQuerySet(JurisdictionQuerySet["Enterprise"]):
    region_field = "region_code"

    def search(self, q: str) -> EnterpriseQuerySet:
        """By USCC, old registration number or name fragment."""
        q = q.strip()
        if not q:
            return self.none()

        try:
            return self.filter(uscc=normalize_uscc(q))
        except IdentifierError:
            pass
        if q.isdigit() and len(q) == 15:
            return self.filter(registration_no=q)
        return self.filter(name__contains=q)


class Enterprise(AuditedModel):
    """A market entity (市场主体) in the register."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=60)
    established_on = models.DateField(_("成立日期"))
    region_code = models.CharField(_("区划代码"), max_length=6, db_index=True)
    entity_type = models.CharField(_("主体类型"), max_length=60, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    address = models.CharField(_("住所"), max_length=300, blank=True)
    business_scope = models.TextField(_("经营范围"), blank=True)
    status = models.CharField(
        _("登记状态"), max_length=12, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    # The old 15-digit registration number (注册号): an alias for matching older records.
    registration_no = models.CharField(_("注册号"), max_length=15, null=True, blank=True, unique=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["uscc"]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    def division(self) -> Division | None:
        return Division.objects.filter(code=self.region_code).first()


class KeyAreaType(models.Model):
    """A type of key-area enterprise (附件1 of the seed: configuration, domain.md §3).

    An enterprise has the type while it holds a valid licence of `licence_type` whose
    number starts with `licence_no_prefix` (empty: any number)."""

    code = models.CharField(_("代码"), max_length=40, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    domain = models.CharField(
        _("领域"), max_length=30, help_text=_("food / special_equipment / industrial_product")
    )
    licence_type = models.CharField(_("许可类别"), max_length=40)
    licence_no_prefix = models.CharField(_("许可证编号前缀"), max_length=10, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("重点领域企业类型")
        verbose_name_plural = _("重点领域企业类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def matches(self, licence_type: str, licence_no: str) -> bool:
        return licence_type == self.licence_type and licence_no.startswith(self.licence_no_prefix)


class TagSource(models.TextChoices):
    LICENCE = "licence", _("依许可自动标注")
    MANUAL = "manual", _("人工标注")


class KeyAreaTag(models.Model):
    """The current tag of one enterprise with one key-area type. Rows are kept when the
    tag ends (`active=False`) so that the list can be read as of any date via history."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="key_area_tags")
    type = models.ForeignKey(KeyAreaType, on_delete=models.PROTECT, related_name="tags")
    active = models.BooleanField(_("有效"), default=True)
    source = models.CharField(_("依据"), max_length=10, choices=TagSource.choices)
    licence = models.ForeignKey(
        "collection.Licence", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateTimeField(_("标注时间"))
    ended_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点领域标注")
        verbose_name_plural = _("重点领域标注")
        constraints = [models.UniqueConstraint(fields=["enterprise", "type"], name="one_tag_per_type")]
        indexes = [models.Index(fields=["type", "active"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.type_id}{'' if self.active else '（已取消）'}"


class TagAction(models.TextChoices):
    TAGGED = "tagged", _("标注")
    UNTAGGED = "untagged", _("取消标注")


class KeyAreaTagHistory(models.Model):
    """Every tag change: who or what, when, why."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="tag_history")
    type = models.ForeignKey(KeyAreaType, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=10, choices=TagAction.choices)
    source = models.CharField(_("依据"), max_length=10, choices=TagSource.choices)
    licence = models.ForeignKey(
        "collection.Licence", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    actor_label = models.CharField(_("操作人"), max_length=150)
    reason = models.TextField(_("原因"))

    class Meta:
        verbose_name = _("标注历史")
        verbose_name_plural = _("标注历史")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_action_display()} {self.type_id}"
