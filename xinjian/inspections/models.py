"""Double random, one public (双随机、一公开) and key supervision (domain.md §8, seed 九).

"One list, two directories": the inspection item list (`InspectionItem`), the target
directory (the enterprise register, stratified by risk class at draw time) and the
inspector directory (`Inspector`). Departments make annual plans (`Plan`) and tasks
(`Task`); a task's draw (`Draw`) selects targets per stratum by `hash-rank-v1`
(interfaces.md) and assigns inspectors; inspectors enter results (`TargetResult`),
which become collection `Inspection` records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import EnterpriseScopedQuerySet, JurisdictionQuerySet
from xinjian.core.models import AuditedModel, TransitionRecord
from xinjian.registry.models import Department, Enterprise, OfficeKind

RISK_CLASSES = ("A", "B", "C", "D")
# Enterprises without a risk assessment are stratified as ordinary ("B", Risk Opinions:
# B is the normal level of supervision). ADR 0050.
DEFAULT_CLASS = "B"


class Qualification(models.TextChoices):
    """What an inspector is qualified to inspect (执法检查人员名录库)."""

    GENERAL = "general", _("企业公示信息检查")
    FOOD = "food", _("食品生产")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    INDUSTRIAL_PRODUCT = "industrial_product", _("工业产品")


class InspectionMethod(models.TextChoices):
    ONSITE = "onsite", _("现场检查")
    DOCUMENTS = "documents", _("书面检查")
    SAMPLING = "sampling", _("抽样检测")
    ONLINE = "online", _("网络监测")


class InspectionItem(models.Model):
    """An entry of the inspection item list (抽查事项清单)."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("抽查事项"), max_length=200)
    legal_basis = models.TextField(_("法律依据"))
    office = models.CharField(_("实施机构"), max_length=20, choices=OfficeKind.choices)
    target_population = models.CharField(_("抽查对象"), max_length=200)
    # Key-area types (registry.KeyAreaType codes) the item applies to; empty: all enterprises.
    key_area_types = models.JSONField(_("适用重点领域类型"), default=list, blank=True)
    method = models.CharField(_("检查方式"), max_length=20, choices=InspectionMethod.choices)
    qualification = models.CharField(_("所需资格"), max_length=20, choices=Qualification.choices)
    # Key items (重点检查事项) have no upper limit on the sampling ratio (domain.md §8).
    is_key = models.BooleanField(_("重点检查事项"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class KeySupervisionItem(models.Model):
    """An entry of the key supervision item list (重点监管事项清单): applied by law,
    outside random sampling. Who supervises, whom, how."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("监管事项"), max_length=200)
    supervisor = models.CharField(_("监管主体"), max_length=200)
    target = models.CharField(_("监管对象"), max_length=200)
    measures = models.TextField(_("监管措施"))
    legal_basis = models.TextField(_("法律依据"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("重点监管事项")
        verbose_name_plural = _("重点监管事项清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InspectorQuerySet(JurisdictionQuerySet["Inspector"]):
    region_field = "department__division__code"


class Inspector(AuditedModel):
    """An entry of the inspector directory (执法检查人员名录库)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="inspectors")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="inspector"
    )
    name = models.CharField(_("姓名"), max_length=60)
    badge_no = models.CharField(_("执法证号"), max_length=40, unique=True)
    qualifications = models.JSONField(_("检查资格"), default=list)
    active = models.BooleanField(_("在岗"), default=True)

    objects = InspectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员名录库")
        ordering = ["department_id", "badge_no"]

    def __str__(self) -> str:
        return f"{self.name}（{self.badge_no}）"

    def qualification_labels(self) -> list[str]:
        labels = dict(Qualification.choices)
        return [str(labels.get(q, q)) for q in self.qualifications]


class ConflictOfInterest(models.Model):
    """A declared conflict of interest (回避, Penalty Law art. 43): the inspector is never
    assigned to this enterprise while the declaration stands."""

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="conflicts")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("回避事由"), max_length=200)
    declared_on = models.DateField(_("申报日期"))
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        constraints = [
            models.UniqueConstraint(fields=["inspector", "enterprise"], name="one_conflict_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.inspector} ↔ {self.enterprise_id}"


class RuleCode(models.TextChoices):
    # The per-class draw ratios are not here: their one table is the risk app's
    # SupervisionMeasure, read through `xinjian.risk.queries.draw_ratios` (issue 11 §3).
    INSPECTORS_PER_TARGET = "inspectors_per_target", _("每户检查人员数（不少于）")
    PUBLICATION_WORKING_DAYS = "publication_working_days", _("结果公示期限（工作日）")
    FOOD_FULL_CYCLE_YEARS = "food_full_cycle_years", _("食品生产企业全覆盖周期（年）")


class InspectionRule(models.Model):
    """A versioned rule value (rules are data, architecture rule 3): the row in force on a
    date is the one with the latest `effective_from` on or before it."""

    code = models.CharField(_("规则"), max_length=40, choices=RuleCode.choices)
    value = models.DecimalField(_("取值"), max_digits=10, decimal_places=4)
    effective_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=300)
    assumed = models.BooleanField(_("假定值（规则原文未能确认）"), default=False)
    entered_by = models.CharField(_("录入人"), max_length=150, default="system")

    class Meta:
        verbose_name = _("双随机规则")
        verbose_name_plural = _("双随机规则")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="one_rule_version_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.value} @{self.effective_from}"


PlanQuerySet = JurisdictionQuerySet


class Plan(AuditedModel):
    """An annual random inspection plan (年度抽查计划) of one department."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="inspection_plans")
    region_code = models.CharField(_("区划代码"), max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度抽查计划")
        verbose_name_plural = _("年度抽查计划")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class TaskState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公布（待抽取）")
    DRAWN = "drawn", _("已抽取")
    IN_PROGRESS = "in_progress", _("检查中")
    RESULTS = "results", _("结果已汇总")
    CLOSED = "closed", _("已办结")


# The task workflow (architecture rule 2) is `actions.TASKS`. drawn → published is the
# re-draw: it needs a reason, supersedes the draw and commits to a fresh seed.
TaskQuerySet = JurisdictionQuerySet


class Task(AuditedModel):
    """A random inspection task (抽查任务)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="inspection_tasks")
    code = models.CharField(_("任务编号"), max_length=40, unique=True)
    title = models.CharField(_("任务名称"), max_length=200)
    # Scope: enterprises whose division code starts with this region's prefix ...
    region_code = models.CharField(_("抽查区域"), max_length=6, db_index=True)
    # ... holding one of these key-area tags (empty: every operating enterprise).
    key_area_types = models.JSONField(_("重点领域类型"), default=list, blank=True)
    items = models.ManyToManyField(InspectionItem, related_name="tasks", verbose_name=_("抽查事项"))
    # {"A": "0.01", "B": "0.02", ...}: decimal strings, exact (ceil needs exactness).
    ratios = models.JSONField(_("分类抽查比例"), default=dict)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # Joint tasks (部门联合抽查): the other departments taking part, by name.
    joint_departments = models.JSONField(_("联合抽查部门"), default=list, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=TaskState.choices, default=TaskState.DRAFT)
    # The seed stays secret until the draw; only its commitment is public before.
    seed = models.CharField(max_length=64, blank=True, editable=False)
    commitment = models.CharField(_("种子承诺值"), max_length=64, blank=True)
    # When the current commitment was published (publication, or the re-draw that
    # replaced the seed): a verifier checks it precedes the draw (interfaces.md v1.1).
    committed_at = models.DateTimeField(_("承诺值公布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽查任务")
        verbose_name_plural = _("抽查任务")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def ratio(self, risk_class: str) -> Decimal:
        return Decimal(str(self.ratios.get(risk_class, "0")))

    def is_stratified(self) -> bool:
        """A task whose ratio is the same for every class treats the classes alike:
        it is drawn as one stratum, fully public. Otherwise it is drawn per risk class,
        and the seed and strata go to auditors only (ADR 0052)."""
        return len({self.ratio(c) for c in RISK_CLASSES}) > 1

    def is_public(self) -> bool:
        return self.state != TaskState.DRAFT

    def current_draw(self) -> Draw | None:
        return self.draws.filter(superseded_at__isnull=True).order_by("-number").first()

    def required_qualifications(self) -> set[str]:
        return {item.qualification for item in self.items.all()}

    def has_key_item(self) -> bool:
        return any(item.is_key for item in self.items.all())


class TaskTransition(TransitionRecord):
    """History of the task workflow (`actions.TASKS`): who, when, from → to, why."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="history")

    class Meta:
        verbose_name = _("任务流转记录")
        verbose_name_plural = _("任务流转记录")
        ordering = ["at", "id"]


class Draw(models.Model):
    """One draw of a task. A re-draw supersedes it (with a reason) but it stays visible."""

    ALGORITHM = "hash-rank-v1"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="draws")
    number = models.PositiveSmallIntegerField(_("抽取序号"))
    draw_id = models.CharField(_("抽取编号"), max_length=60, unique=True)
    algorithm = models.CharField(_("算法"), max_length=30, default=ALGORITHM)
    seed = models.CharField(_("随机种子"), max_length=64)
    commitment = models.CharField(_("种子承诺值"), max_length=64)
    committed_at = models.DateTimeField(_("承诺值公布时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.CharField(_("抽取人"), max_length=150)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    superseded_reason = models.TextField(_("重新抽取原因"), blank=True)

    class Meta:
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        ordering = ["-drawn_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="one_draw_number_per_task")]

    def __str__(self) -> str:
        return self.draw_id

    def is_stratified(self) -> bool:
        """Drawn per risk class (several strata): the seed and strata are for auditors."""
        return self.strata.count() > 1


class Stratum(models.Model):
    """One stratum (one risk class) of a draw, named S1, S2, …; its class is "" for the
    one stratum of an unstratified draw. Only auditors see the strata of a stratified
    draw (interfaces.md v1.1)."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="strata")
    name = models.CharField(_("层"), max_length=4)
    risk_class = models.CharField(_("风险分类"), max_length=1, blank=True)
    ratio = models.DecimalField(_("抽查比例"), max_digits=6, decimal_places=4)
    population_size = models.PositiveIntegerField(_("总体数量"))
    population_digest = models.CharField(_("总体摘要"), max_length=64)
    # The sorted USCCs of the population joined by "\n" (what the digest is taken of):
    # auditors receive it (interfaces.md /draws/{id}/population).
    population = models.TextField(_("总体"), blank=True)
    selected = models.JSONField(_("抽中名单（按排序）"), default=list)

    class Meta:
        verbose_name = _("抽取分层")
        verbose_name_plural = _("抽取分层")
        ordering = ["draw_id", "name"]
        constraints = [models.UniqueConstraint(fields=["draw", "name"], name="one_stratum_name_per_draw")]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.name}"

    def population_list(self) -> list[str]:
        return self.population.split("\n") if self.population else []


TargetQuerySet = EnterpriseScopedQuerySet


class Target(models.Model):
    """A selected enterprise of a draw, with its rank in its stratum."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="targets")
    stratum = models.ForeignKey(Stratum, on_delete=models.PROTECT, related_name="targets")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspection_targets")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    rank = models.PositiveIntegerField(_("排序"))
    # The enterprise's risk class at the draw (staff with view_risk only): the discovery
    # rate per class is measured on it, whether or not the draw was stratified.
    risk_class = models.CharField(_("风险分类"), max_length=1, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        ordering = ["draw_id", "stratum__name", "rank"]
        constraints = [models.UniqueConstraint(fields=["draw", "enterprise"], name="one_target_per_draw")]

    def __str__(self) -> str:
        return self.uscc


class Assignment(models.Model):
    """An inspector assigned to a target (at least two, Penalty Law art. 42)."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="assignments")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="assignments")
    position = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        verbose_name = _("检查人员分派")
        verbose_name_plural = _("检查人员分派")
        ordering = ["target_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["target", "inspector"], name="one_assignment_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.target_id} ← {self.inspector_id}"


class FollowUp(models.TextChoices):
    """Follow-up measures after a result (后续处置)."""

    NONE = "none", _("无需后续处置")
    RECTIFICATION = "rectification", _("责令限期改正")
    CASE_FILED = "case_filed", _("立案调查")
    TRANSFERRED = "transferred", _("移送有关部门")
    ANOMALY_PROPOSED = "anomaly_proposed", _("提请列入经营异常名录")


class TargetResult(AuditedModel):
    """The result of one item at one target, as an inspector entered it. It becomes a
    collection `Inspection` record (`inspection`)."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="results")
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("检查结果"), max_length=20)
    follow_up = models.CharField(
        _("后续处置"), max_length=20, choices=FollowUp.choices, default=FollowUp.NONE
    )
    findings = models.TextField(_("检查发现"), blank=True)
    inspected_on = models.DateField(_("检查日期"))
    inspection = models.OneToOneField(
        "collection.Inspection", on_delete=models.PROTECT, related_name="task_result"
    )

    class Meta:
        verbose_name = _("抽查结果")
        verbose_name_plural = _("抽查结果")
        constraints = [models.UniqueConstraint(fields=["target", "item"], name="one_result_per_target_item")]

    def publication_due(self) -> dt.date:
        from .queries import publication_deadline

        return publication_deadline(self.inspected_on).due
