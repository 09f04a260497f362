"""Records collected from the systems that produce them (domain.md §4), each recorded
under its enterprise's name. Field names follow interfaces.md.

"Who produces it, provides it, and answers for it": every record carries its `source`
(the API client or upload that provided it) and `source_id`, and only that source may
change it — (source, source_id) is the key.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import EnterpriseScopedQuerySet, user_region_prefix
from xinjian.core.models import ArchivableModel, AuditedModel
from xinjian.registry.models import Enterprise

# A named class (not scoped_queryset()) so the mypy Django plugin can resolve the managers.
RecordQuerySet = EnterpriseScopedQuerySet


class CollectedRecord(AuditedModel, ArchivableModel):
    # Null while the enterprise is not in the register yet (pending); attached on arrival.
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="%(class)ss"
    )
    # Indexed only while pending (Meta.indexes): the one query by uscc is attach_pending's.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    source = models.CharField(_("提供方"), max_length=100)
    source_id = models.CharField(_("来源编号"), max_length=100)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    # The batch that last created or changed the record (its timeline shows it). Not
    # indexed: no query looks records up by batch, and batches are never deleted.
    batch = models.ForeignKey(
        "collection.IngestBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        # ADR 0067: every index here serves a query; each write of a million-row import
        # pays for each index.
        indexes = [
            models.Index(
                fields=["uscc"], name="%(class)s_pending_uscc", condition=models.Q(enterprise__isnull=True)
            )
        ]

    @property
    def is_pending(self) -> bool:
        return self.enterprise_id is None


class LicenceType(models.TextChoices):
    FOOD_PRODUCTION = "food_production", _("食品生产许可")
    FOOD_ADDITIVE_PRODUCTION = "food_additive_production", _("食品添加剂生产许可")
    FOOD_BUSINESS = "food_business", _("食品经营许可")
    SPECIAL_EQUIPMENT_PRODUCTION = "special_equipment_production", _("特种设备生产许可")
    SPECIAL_EQUIPMENT_FILLING = "special_equipment_filling", _("特种设备充装许可")
    INDUSTRIAL_PRODUCT = "industrial_product", _("工业产品生产许可")
    OTHER = "other", _("其他许可")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("撤销/吊销")
    EXPIRED = "expired", _("过期")


class Licence(CollectedRecord):
    licence_type = models.CharField(_("许可类别"), max_length=40, choices=LicenceType.choices)
    licence_no = models.CharField(_("许可证编号"), max_length=40, db_index=True)
    issued_by = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    scope = models.JSONField(_("许可范围"), default=list, blank=True)

    class Meta(CollectedRecord.Meta):
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="licence_source_key")]

    def __str__(self) -> str:
        return f"{self.get_licence_type_display()} {self.licence_no}"

    def is_valid_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        """Valid on `day`: status valid and not past its validity (the last day counts)."""
        if self.status != LicenceStatus.VALID:
            return False
        return self.valid_until is None or day <= self.valid_until


class PenaltyDomain(models.TextChoices):
    FOOD_SAFETY = "food_safety", _("食品安全")
    DRUG = "drug", _("药品医疗器械化妆品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备安全")
    PRODUCT_QUALITY = "product_quality", _("产品质量")
    CONSUMER_RIGHTS = "consumer_rights", _("消费者权益")
    COMPETITION = "competition", _("公平竞争与市场秩序")
    REGISTRATION = "registration", _("登记注册")
    OTHER = "other", _("其他")


class PenaltyType(models.TextChoices):
    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    QUALIFICATION_DOWNGRADE = "qualification_downgrade", _("降低资质等级")
    LICENCE_REVOCATION = "licence_revocation", _("吊销许可证件")
    BUSINESS_LICENCE_REVOCATION = "business_licence_revocation", _("吊销营业执照")
    BUSINESS_RESTRICTION = "business_restriction", _("限制开展生产经营活动")
    SUSPENSION = "suspension", _("责令停产停业")
    CLOSURE = "closure", _("责令关闭")
    PRACTICE_RESTRICTION = "practice_restriction", _("限制从业")
    OTHER = "other", _("其他")


class PenaltyStatus(models.TextChoices):
    IN_FORCE = "in_force", _("有效")
    REVOKED = "revoked", _("已撤销")


class PenaltyProcedure(models.TextChoices):
    ORDINARY = "ordinary", _("普通程序")
    # Penalty Law art. 51 (当场处罚); Order 45 art. 6: collected, never published.
    SIMPLIFIED = "simplified", _("简易程序")


class DisclosureException(models.TextChoices):
    PRIVACY = "privacy", _("涉及个人隐私")
    NATIONAL_SECURITY = "national_security", _("涉及国家安全")
    STATE_SECRET = "state_secret", _("涉及国家秘密")
    PUBLIC_INTEREST = "public_interest", _("涉及公共利益")


class Penalty(CollectedRecord):
    decision_no = models.CharField(_("决定书文号"), max_length=100)
    decided_on = models.DateField(_("处罚决定日期"), db_index=True)
    decided_by = models.CharField(_("处罚机关"), max_length=100)
    domain = models.CharField(_("领域"), max_length=30, choices=PenaltyDomain.choices)
    violation = models.TextField(_("违法行为类型"))
    penalty_types = models.JSONField(_("处罚种类"), default=list)
    fine_amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    aggravated = models.BooleanField(_("从重处罚"), default=False)
    restriction_until = models.DateField(_("限制期限至"), null=True, blank=True)
    legal_basis = models.TextField(_("处罚依据"), blank=True)
    fulfilled_on = models.DateField(_("履行完毕日期"), null=True, blank=True)
    procedure = models.CharField(
        _("处罚程序"), max_length=10, choices=PenaltyProcedure.choices, default=PenaltyProcedure.ORDINARY
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=PenaltyStatus.choices, default=PenaltyStatus.IN_FORCE
    )
    disclosure_exception = models.CharField(
        _("不予公示事由"), max_length=20, choices=DisclosureException.choices, blank=True
    )
    decision_text = models.TextField(_("决定书正文"), blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    # Set by disclosure: a revoked/void decision is withdrawn (Order 45: within 3 working
    # days); credit repair may stop publication early (Repair Measures).
    withdrawn_on = models.DateField(_("撤下公示日期"), null=True, blank=True)
    publication_stopped_on = models.DateField(_("提前停止公示日期"), null=True, blank=True)

    class Meta(CollectedRecord.Meta):
        verbose_name = _("行政处罚")
        verbose_name_plural = _("行政处罚")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="penalty_source_key")]

    def __str__(self) -> str:
        return self.decision_no

    def type_labels(self) -> list[str]:
        labels = dict(PenaltyType.choices)
        return [str(labels.get(t, t)) for t in self.penalty_types]


class InspectionKind(models.TextChoices):
    RANDOM = "random", _("双随机抽查")
    KEY = "key", _("重点检查")
    ROUTINE = "routine", _("日常监督检查")
    SAMPLING_TEST = "sampling_test", _("监督抽检")
    COMPLAINT = "complaint", _("投诉举报核查")
    # Periodic and supervisory tests of special equipment by an inspection-testing body
    # (特种设备安全法 art. 40, 52); results `test_qualified` / `test_unqualified`.
    EQUIPMENT_TEST = "equipment_test", _("特种设备检验检测")


class InspectionResult(models.TextChoices):
    NO_PROBLEM = "no_problem", _("未发现问题")
    CORRECTED = "corrected", _("发现问题已责令改正")
    FOLLOW_UP = "follow_up", _("发现问题待后续处理")
    UNPUBLISHED_INFO = "unpublished_info", _("未按规定公示应当公示的信息")
    FALSE_INFO = "false_info", _("公示信息隐瞒真实情况弄虚作假")
    UNREACHABLE = "unreachable", _("通过登记的住所（经营场所）无法联系")
    NO_ACTIVITY = "no_activity", _("未发现开展本次抽查涉及的经营活动")
    CLOSED = "closed", _("已关闭停业或正在组织清算")
    REFUSED = "refused", _("不配合检查情节严重")
    SAMPLE_QUALIFIED = "sample_qualified", _("抽检合格")
    SAMPLE_UNQUALIFIED = "sample_unqualified", _("抽检不合格")
    TEST_QUALIFIED = "test_qualified", _("检验检测合格")
    TEST_UNQUALIFIED = "test_unqualified", _("检验检测不合格")


# Results that count as "a problem was found" when a model is measured against inspections.
PROBLEM_RESULTS = frozenset(
    {
        InspectionResult.CORRECTED,
        InspectionResult.FOLLOW_UP,
        InspectionResult.UNPUBLISHED_INFO,
        InspectionResult.FALSE_INFO,
        InspectionResult.UNREACHABLE,
        InspectionResult.REFUSED,
        InspectionResult.SAMPLE_UNQUALIFIED,
        InspectionResult.TEST_UNQUALIFIED,
    }
)


class Inspection(CollectedRecord):
    inspected_on = models.DateField(_("检查日期"), db_index=True)
    inspected_by = models.CharField(_("检查机关"), max_length=100)
    kind = models.CharField(_("检查类别"), max_length=20, choices=InspectionKind.choices)
    result = models.CharField(_("检查结果"), max_length=20, choices=InspectionResult.choices)
    item_code = models.CharField(_("检查事项"), max_length=40, blank=True)
    findings = models.TextField(_("检查发现"), blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)

    class Meta(CollectedRecord.Meta):
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="inspection_source_key")]

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.get_result_display()}"

    @property
    def found_problem(self) -> bool:
        return self.result in PROBLEM_RESULTS


class Complaint(CollectedRecord):
    """Complaints and reports: used for risk only, never disclosed (domain.md §5)."""

    received_on = models.DateField(_("受理日期"), db_index=True)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    substantiated = models.BooleanField(_("查证属实"), null=True, blank=True)

    class Meta(CollectedRecord.Meta):
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="complaint_source_key")]

    def __str__(self) -> str:
        return f"{self.received_on} {self.category}"


class AnnualReport(AuditedModel):
    """Annual-report filing; keyed by (uscc, year) per interfaces.md."""

    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="annual_reports"
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    year = models.PositiveSmallIntegerField(_("年度"))
    filed_on = models.DateField(_("报送日期"))
    source = models.CharField(_("提供方"), max_length=100)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    batch = models.ForeignKey(
        "collection.IngestBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [models.UniqueConstraint(fields=["uscc", "year"], name="annual_report_key")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.year}"

    @property
    def on_time(self) -> bool:
        """Filed within 1 January–30 June of the following year (Anomaly Measures art. 4)."""
        import datetime as dt

        return self.filed_on <= dt.date(self.year + 1, 6, 30)


class ListKind(models.TextChoices):
    ANOMALY = "anomaly", _("经营异常名录")
    SERIOUS = "serious", _("严重违法失信名单")


class ListAction(models.TextChoices):
    ADD = "add", _("列入")
    REMOVE = "remove", _("移出")
    REVOKE = "revoke", _("撤销列入")


class ListDecision(CollectedRecord):
    """A list decision made in an enforcement or case system (interfaces.md
    `list-decisions`). What it sets in motion belongs to `lists`."""

    list = models.CharField(_("名单"), max_length=10, choices=ListKind.choices)
    action = models.CharField(_("动作"), max_length=10, choices=ListAction.choices)
    ground = models.CharField(_("事由"), max_length=60)
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.CharField(_("决定机关"), max_length=100)
    decision_no = models.CharField(_("决定书文号"), max_length=100)
    basis_decision_no = models.CharField(_("所依据的处罚决定书文号"), max_length=100, blank=True)

    class Meta(CollectedRecord.Meta):
        verbose_name = _("名单决定")
        verbose_name_plural = _("名单决定")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="list_decision_source_key")
        ]

    def __str__(self) -> str:
        return self.decision_no


class CommitmentKind(models.TextChoices):
    REGISTRATION = "registration", _("登记注册承诺")
    NOTIFICATION = "notification", _("告知承诺")
    PUBLIC = "public", _("主动公开承诺")


class CommitmentRecord(CollectedRecord):
    """A commitment made in a registration or approval system (interfaces.md
    `commitments`). Verification and its consequences belong to `commitments`."""

    kind = models.CharField(_("承诺类型"), max_length=20, choices=CommitmentKind.choices)
    matter = models.CharField(_("承诺事项"), max_length=200)
    committed_on = models.DateField(_("承诺日期"))
    content = models.TextField(_("承诺内容"), blank=True)
    template_code = models.CharField(_("格式文本编号"), max_length=40, blank=True)
    application_no = models.CharField(_("申请编号"), max_length=60, blank=True)

    class Meta(CollectedRecord.Meta):
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="commitment_source_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.matter}"


# --- ingest bookkeeping ---------------------------------------------------------------


class Channel(models.TextChoices):
    API = "api", _("接口")
    UPLOAD = "upload", _("文件上传")
    COMMAND = "command", _("批量导入命令")
    FEDERATION = "federation", _("联邦汇聚")


class BatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    RUNNING = "running", _("导入中")
    COMPLETED = "completed", _("已完成")
    FAILED = "failed", _("中断")
    DISCARDED = "discarded", _("已放弃")


class BatchQuerySet(models.QuerySet["IngestBatch"]):
    def visible_to(self, user) -> BatchQuerySet:  # type: ignore[no-untyped-def]
        """Uploads belong to the uploading department's division; batches of system
        clients without a region belong to the province (and operators)."""

        prefix = user_region_prefix(user)
        if prefix is None:
            return self.none()
        if prefix == "":
            return self
        q = models.Q(region_code__startswith=prefix)
        if len(prefix) <= 2:
            q |= models.Q(region_code="")
        return self.filter(q)


class IngestBatch(models.Model):
    """One delivery of records: an API call, an uploaded file or a command run. Counters
    are advanced in the same transaction as each chunk they count."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("数据类别"), max_length=20)
    source = models.CharField(_("提供方"), max_length=100, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.RUNNING
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Division of the uploading department ("" for system clients of the whole province).
    region_code = models.CharField(_("区划代码"), max_length=6, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    received = models.PositiveIntegerField(_("接收"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒收"), default=0)
    pending_count = models.PositiveIntegerField(_("待关联"), default=0)
    # [{index, source_id, reason}] — the first PENDING_KEPT entries (the count is exact).
    pending = models.JSONField(_("待关联记录"), default=list, blank=True)
    # Uploads: the parsed rows waiting for the officer's confirmation.
    payload = models.JSONField(_("待导入数据"), null=True, blank=True)
    notes = models.JSONField(_("说明"), default=list, blank=True)
    error = models.TextField(_("中断原因"), blank=True)
    started_at = models.DateTimeField(_("接收时间"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Who runs a running batch ("host:pid") and when its last chunk committed: a batch
    # whose process was killed is found and marked interrupted (actions.mark_interrupted).
    worker = models.CharField(_("导入进程"), max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    PENDING_KEPT = 10_000
    # No chunk takes this long: a running batch silent for longer has lost its process.
    STALE_AFTER = dt.timedelta(minutes=15)

    class Meta:
        verbose_name = _("归集批次")
        verbose_name_plural = _("归集批次")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M} {self.source}"

    def summary(self) -> dict:  # type: ignore[type-arg]
        """The interfaces.md ingest response (without the rejected list)."""
        return {
            "batch_id": str(self.id),
            "received": self.received,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "pending": list(self.pending),
        }


class RejectedRecord(models.Model):
    """A record that failed validation, kept exactly as sent with its errors."""

    batch = models.ForeignKey(IngestBatch, on_delete=models.PROTECT, related_name="rejects")
    index = models.PositiveIntegerField(_("序号"))
    source_id = models.CharField(_("来源编号"), max_length=200, blank=True)
    record = models.JSONField(_("原始记录"), null=True)
    errors = models.JSONField(_("错误"))

    class Meta:
        verbose_name = _("拒收记录")
        verbose_name_plural = _("拒收记录")
        ordering = ["batch", "index"]
        indexes = [models.Index(fields=["batch", "index"])]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.index}"


class RecordVersion(models.Model):
    """The previous values of a record that a later delivery changed."""

    model = models.CharField(_("记录类型"), max_length=40)
    record_id = models.BigIntegerField(_("记录编号"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    data = models.JSONField(_("变更前内容"))
    batch = models.ForeignKey(IngestBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(_("被替换时间"), default=timezone.now)

    class Meta:
        verbose_name = _("记录历史版本")
        verbose_name_plural = _("记录历史版本")
        ordering = ["-replaced_at", "-id"]
        indexes = [models.Index(fields=["model", "record_id"])]

    def __str__(self) -> str:
        return f"{self.model}#{self.record_id} @ {self.replaced_at:%Y-%m-%d %H:%M}"


class CollectionItem(models.Model):
    """A key collection item (附件2 of the seed, domain.md §4): configuration. Defaults
    are seeded; a province adds its own (`added_by_region`)."""

    code = models.CharField(_("代码"), max_length=40, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=40)
    # The ingest kind that carries the item ("" when it is collected otherwise).
    record_kind = models.CharField(_("归集接口类别"), max_length=20, blank=True)
    description = models.TextField(_("说明"), blank=True)
    disclosed = models.BooleanField(_("对外公示"), default=True)
    enabled = models.BooleanField(_("启用"), default=True)
    added_by_region = models.CharField(
        _("增设地区"), max_length=6, blank=True, help_text=_("空表示全国默认事项")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("归集事项")
        verbose_name_plural = _("归集事项")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Peer(models.Model):
    """Another instance whose record feed this one pulls (interfaces.md v1.1 "Federation"):
    the national hub pulls each province; a province pulls the hub with a token limited to
    its region. Records arrive under the source `name`; `cursor` is where the last pull
    stopped, advanced in the transaction that stores the records."""

    name = models.CharField(
        _("来源名称"),
        max_length=100,
        unique=True,
        help_text=_("汇聚来的记录以此名称作为提供方；应与对端为本平台签发的接口客户端同名"),
    )
    url = models.URLField(_("对端地址"), max_length=300, help_text=_("如 http://127.0.0.1:8001"))
    token = models.CharField(_("访问令牌"), max_length=200, help_text=_("对端签发的 share 权限令牌"))
    active = models.BooleanField(_("启用"), default=True)
    cursor = models.BigIntegerField(_("游标"), default=0)
    head = models.BigIntegerField(_("对端最新游标"), default=0)
    pulled = models.BigIntegerField(_("已汇聚记录数"), default=0)
    last_pull_at = models.DateTimeField(_("最近汇聚时间"), null=True, blank=True)
    caught_up_at = models.DateTimeField(_("最近追平时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_error_at = models.DateTimeField(_("最近错误时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联邦对端")
        verbose_name_plural = _("联邦对端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def lag(self) -> int:
        """Feed positions the last pull left unread (the peer's head when last asked)."""
        return max(0, self.head - self.cursor)


class FeedAck(models.Model):
    """A whole-territory reader of the record feed (the national hub's token) asked for
    the records after `cursor`: everything up to it is stored at the reader (a puller moves
    its cursor only after storing a page). The first acknowledgement past a record's
    cursor is the day the record was forwarded (Order 45: a penalty about a party
    registered in another province is forwarded within 10 working days)."""

    client = models.CharField(_("接口客户端"), max_length=100)
    cursor = models.BigIntegerField(_("游标"), db_index=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("记录接收确认")
        verbose_name_plural = _("记录接收确认")

    def __str__(self) -> str:
        return f"{self.client} ≥ {self.cursor}"


class CrossingReceipt(models.Model):
    """What a peer reported back about a cross-province penalty this instance supplied
    (interfaces.md v1.1 "Record feed", receipts; ADR 0098): the day it reached the peer,
    the day it reached the party's registration province and the day that province
    published it. The deciding province reads its publication clock from here; the hub
    keeps the registration province's receipt and passes it on to the deciding one."""

    penalty = models.ForeignKey(
        Penalty, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("行政处罚")
    )
    peer = models.CharField(_("对端"), max_length=100)
    received_on = models.DateField(_("对端收到日期"))
    delivered_on = models.DateField(_("登记地省份收到日期"), null=True, blank=True)
    published_on = models.DateField(_("登记地省份公示日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("跨省处罚回执")
        verbose_name_plural = _("跨省处罚回执")
        constraints = [models.UniqueConstraint(fields=["penalty", "peer"], name="crossing_receipt_key")]

    def __str__(self) -> str:
        return f"{self.peer}: {self.penalty_id}"
