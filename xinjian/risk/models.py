"""Credit risk classification (domain.md §7, Risk Opinions): models, versions, rule data
for class bands and supervision measures, scoring runs and assessments.

Indicators are declared in `indicators.py` (code, names, dimension, the SQL that computes
them as of a date, default bins and points); a model version freezes the indicators it
uses with their learnt bins and points in `spec`, so an old version keeps scoring the way
it was validated even after the catalogue grows.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import EnterpriseScopedQuerySet
from xinjian.core.models import TransitionRecord
from xinjian.registry.models import Enterprise

from .indicators import BY_CODE


class RiskClass(models.TextChoices):
    A = "A", _("A 信用风险低")
    B = "B", _("B 信用风险一般")
    C = "C", _("C 信用风险较高")
    D = "D", _("D 信用风险高")


CLASSES = ("A", "B", "C", "D")


class RiskModel(models.Model):
    """A classification model: the general model (every enterprise) or a domain model
    (enterprises tagged with a key-area type of `key_area_domain`)."""

    code = models.CharField(_("代码"), max_length=40, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    # Empty for the general model; otherwise a KeyAreaType.domain ("food", "special_equipment").
    key_area_domain = models.CharField(_("适用重点领域"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("风险分类模型")
        verbose_name_plural = _("风险分类模型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_general(self) -> bool:
        return not self.key_area_domain

    def active_version(self) -> ModelVersion | None:
        return self.versions.filter(status=VersionStatus.ACTIVE).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("生效")
    RETIRED = "retired", _("已停用")
    DISCARDED = "discarded", _("已弃用")


# The moves of a model version are the workflow `risk.version` (risk.actions.VERSIONS).


class VersionMethod(models.TextChoices):
    EXPERT = "expert", _("专家初始赋分")
    WOE_LOGIT = "woe_logit", _("分箱证据权重逻辑回归（WOE 评分卡）")


class ModelVersion(models.Model):
    model = models.ForeignKey(RiskModel, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    method = models.CharField(_("方法"), max_length=20, choices=VersionMethod.choices)
    # Score = base_points + Σ points of each indicator's bin (higher = riskier). The
    # lowest-risk bin of every indicator has 0 points, so each reason is an increment.
    base_points = models.IntegerField(_("基础分"))
    # [{"code", "edges": [lower bounds, ascending; first is -inf implied], "points": [...],
    #   "woe": [...], "counts": [[n, bad], ...]}] in scoring order.
    spec: models.JSONField[Any] = models.JSONField(_("指标、分箱与分值"))
    trained_as_of = models.DateField(_("训练快照日"), null=True, blank=True)
    train_window_end = models.DateField(_("训练结果期止"), null=True, blank=True)
    validated_as_of = models.DateField(_("验证快照日"), null=True, blank=True)
    validation_window_end = models.DateField(_("验证结果期止"), null=True, blank=True)
    validation: models.JSONField[Any] = models.JSONField(_("验证报告"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.CharField(_("创建人"), max_length=150)
    activated_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    # Where an imported version came from (risk.artefact, ADR 0097): the exporting
    # instance, its version label, the artefact's SHA-256 and signing key, and the band
    # choice ("own" or "hub"); empty for a version learnt or drafted here.
    origin: models.JSONField[Any] = models.JSONField(_("来源"), default=dict, blank=True)

    class Meta:
        verbose_name = _("模型版本")
        verbose_name_plural = _("模型版本")
        ordering = ["model", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="risk_version_number"),
            models.UniqueConstraint(
                fields=["model"], condition=models.Q(status="active"), name="risk_one_active_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model.name} v{self.number}"

    @property
    def label(self) -> str:
        return f"{self.model_id}-v{self.number}"

    def indicator_codes(self) -> list[str]:
        return [item["code"] for item in self.spec]

    def max_score(self) -> int:
        return self.base_points + sum(max(item["points"]) for item in self.spec)


class ModelVersionTransition(TransitionRecord):
    """The history of the workflow `risk.version` (risk.actions.VERSIONS)."""

    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        ordering = ["-at", "-id"]


class ClassBandRule(models.Model):
    """Class bands by score (rule data with an effective date). A score below `b_from`
    is class A, below `c_from` B, below `d_from` C, otherwise D. Scores sit on a
    log-odds scale (see scoring.SCALE), so bands mean the same across versions."""

    model = models.ForeignKey(RiskModel, on_delete=models.PROTECT, related_name="band_rules")
    effective_from = models.DateField(_("生效日期"))
    b_from = models.IntegerField(_("B 类起始分"))
    c_from = models.IntegerField(_("C 类起始分"))
    d_from = models.IntegerField(_("D 类起始分"))
    basis = models.TextField(_("依据"), blank=True)
    entered_by = models.CharField(_("录入人"), max_length=150, default="system")
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("分类分值区间")
        verbose_name_plural = _("分类分值区间")
        ordering = ["model", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(b_from__lt=models.F("c_from")), name="risk_band_b_lt_c"
            ),
            models.CheckConstraint(
                condition=models.Q(c_from__lt=models.F("d_from")), name="risk_band_c_lt_d"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_id} {self.effective_from}: {self.b_from}/{self.c_from}/{self.d_from}"

    def classify(self, score: int) -> str:
        if score < self.b_from:
            return "A"
        if score < self.c_from:
            return "B"
        if score < self.d_from:
            return "C"
        return "D"

    @classmethod
    def in_force(cls, model: RiskModel | str, on: dt.date) -> ClassBandRule:
        code = model if isinstance(model, str) else model.code
        rule = (
            cls.objects.filter(model_id=code, effective_from__lte=on)
            .order_by("-effective_from", "-id")
            .first()
        )
        if rule is None:
            raise LookupError(f"no class bands in force for {code} on {on}")
        return rule


class SupervisionMeasure(models.Model):
    """What a class means for supervision (domain.md §7): the default share of a class
    drawn in a double-random task, and the measures that go with it (rule data). The one
    table of the per-class draw ratio (issue 11 §3): double random reads its defaults
    here, through `xinjian.risk.queries.draw_ratios`, for the task's province."""

    risk_class = models.CharField(_("风险类别"), max_length=1, choices=RiskClass.choices)
    # "" is the national default; a province enters its own rows (they win from their date).
    province_code = models.CharField(_("适用省份"), max_length=6, blank=True, help_text=_("空为全国默认"))
    effective_from = models.DateField(_("生效日期"))
    draw_ratio = models.DecimalField(_("默认抽查比例"), max_digits=5, decimal_places=4)
    # The province's choice of class bands (issue 17): when every class has a target share
    # in force, calibration sets the score bands so that the classes take these shares of
    # the enterprises in scope; otherwise the score bands in force (probability cut-offs,
    # ClassBandRule) stay.
    target_share = models.DecimalField(_("目标占比"), max_digits=5, decimal_places=4, null=True, blank=True)
    ratio_range = models.CharField(_("比例区间"), max_length=40, blank=True)
    measures = models.TextField(_("监管措施"))
    basis = models.TextField(_("依据"), blank=True)
    entered_by = models.CharField(_("录入人"), max_length=150, default="system")
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("分类监管措施")
        verbose_name_plural = _("分类监管措施")
        ordering = ["risk_class", "province_code", "-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.risk_class} {self.draw_ratio}"

    @classmethod
    def in_force(cls, on: dt.date, region_code: str) -> dict[str, SupervisionMeasure]:
        """Per class, the row in force on `on` for the province of `region_code`: the
        province's own newest version, else the national one. Provinces differ, so every
        lookup names the region."""
        province = region_code[:2] + "0000" if region_code else ""
        found: dict[str, SupervisionMeasure] = {}
        national: dict[str, SupervisionMeasure] = {}
        rows = cls.objects.filter(effective_from__lte=on, province_code__in={"", province})
        for m in rows.order_by("risk_class", "-effective_from", "-id"):
            if m.province_code and province:
                found.setdefault(m.risk_class, m)
            elif not m.province_code:
                national.setdefault(m.risk_class, m)
        return {**national, **found}

    @classmethod
    def target_shares(cls, on: dt.date, region_code: str) -> dict[str, float] | None:
        """Target share per class in force, or None when the province keeps score bands."""
        measures = cls.in_force(on, region_code)
        if set(measures) != set(CLASSES) or any(m.target_share is None for m in measures.values()):
            return None
        return {c: float(measures[c].target_share or 0) for c in CLASSES}


class RunKind(models.TextChoices):
    FULL = "full", _("全量评分")
    INCREMENTAL = "incremental", _("增量重评")


class ScoringRun(models.Model):
    """One scoring run of one model version: what it did and how long it took."""

    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="runs")
    kind = models.CharField(_("类型"), max_length=12, choices=RunKind.choices)
    as_of = models.DateField(_("评分基准日"))
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    assessed = models.PositiveIntegerField(_("评分主体数"), default=0)
    counts: models.JSONField[Any] = models.JSONField(_("各类数量"), default=dict)
    changes = models.PositiveIntegerField(_("类别变化数"), default=0)
    actor_label = models.CharField(_("操作人"), max_length=150)
    # A full run on PostgreSQL is written in slices of the register, each on its own
    # connection and transaction (ADR 0041); a slice that failed leaves its error here and
    # the run unfinished, while the slices that committed hold valid assessments.
    slices = models.PositiveSmallIntegerField(_("并行分片数"), default=1)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("评分批次")
        verbose_name_plural = _("评分批次")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version_id} {self.kind} {self.as_of}"


AssessmentQuerySet = EnterpriseScopedQuerySet


class Assessment(models.Model):
    """The latest assessment of one enterprise by one model (replaced on every run; the
    run keeps counts and changes). `values_json` is a JSON array aligned with the version's
    spec; the points follow from the spec's bins (`indicator_points`).

    Written only by scoring.write_assessments, one INSERT … SELECT per run. For that bulk
    path the references to model, version and run carry no database constraint or index
    of their own (ADR 0041): each costs a trigger or an index update per row on a million
    rows, and the scorer takes them from rows it has just read. The enterprise reference
    has none either: the scorer takes the ids from the register in the same statement,
    enterprises are never deleted (PROTECT still guards the ORM), and the deferred check
    cost a trigger per inserted row (~7 s of CPU on a first run of 1M). (enterprise,
    model) is unique."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="risk_assessments",
        db_index=False,
        db_constraint=False,
    )
    model = models.ForeignKey(
        RiskModel, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    version = models.ForeignKey(
        ModelVersion, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    run = models.ForeignKey(
        ScoringRun, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    as_of = models.DateField(_("评分基准日"))
    assessed_at = models.DateTimeField(_("评分时间"))
    score = models.IntegerField(_("分值"))
    risk_class = models.CharField(_("风险类别"), max_length=1, choices=RiskClass.choices)
    previous_class = models.CharField(_("上次类别"), max_length=1, blank=True, null=True)
    values_json = models.TextField(_("指标值"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("风险分类结果")
        verbose_name_plural = _("风险分类结果")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "model"], name="risk_one_assessment_per_model")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.model_id} {self.risk_class}"

    @property
    def indicator_values(self) -> list[float]:
        return json.loads(self.values_json)

    @property
    def indicator_points(self) -> list[int]:
        """Points per indicator: the bin of each value in the version's spec (the same
        lookup the scoring SQL made; score = base_points + their sum)."""

        out = []
        for item, value in zip(self.version.spec, self.indicator_values, strict=True):
            ind = BY_CODE[item["code"]]
            out.append(item["points"][ind.bin_of(value, item["edges"])])
        return out


class RescoreMark(models.Model):
    """An enterprise whose records changed since it was last scored (set by the worker
    from the event log, cleared when rescored)."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.enterprise_id)
