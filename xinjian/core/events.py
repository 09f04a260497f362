"""The event log (outbox) and its readers.

Writers call `emit` inside the transaction that makes the change. Readers keep their own
cursor (`ConsumerCursor`) and read `Event.id > cursor` in id order; `emit` takes a
transaction-scoped advisory lock on PostgreSQL so that event ids become visible in commit
order and a reader that has passed id N never sees an id below N appear later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .auditchain import LOG_LOCK
from .models import ConsumerCursor, Event

# Any constant will do; it only has to be the same for every writer of the event log, and
# the audit trail shares it (core.auditchain: both are written in commit order).
_EVENT_LOG_LOCK = LOG_LOCK


class EventType(models.TextChoices):
    # registry
    ENTERPRISE_REGISTERED = "enterprise.registered", _("主体登记")
    ENTERPRISE_CHANGED = "enterprise.changed", _("主体信息变更")
    KEY_AREA_TAGGED = "key_area.tagged", _("重点领域标注")
    KEY_AREA_UNTAGGED = "key_area.untagged", _("重点领域取消标注")
    KEY_AREA_TYPE_CHANGED = "key_area_type.changed", _("重点领域类型变更")
    # collection
    LICENCE_GRANTED = "licence.granted", _("许可准予")
    LICENCE_CHANGED = "licence.changed", _("许可变更")
    LICENCE_CANCELLED = "licence.cancelled", _("许可注销")
    LICENCE_REVOKED = "licence.revoked", _("许可撤销")
    LICENCE_EXPIRED = "licence.expired", _("许可到期")
    PENALTY_RECORDED = "penalty.recorded", _("处罚归集")
    PENALTY_CHANGED = "penalty.changed", _("处罚变更")
    PENALTY_PUBLISHED = "penalty.published", _("处罚公示")
    PENALTY_WITHDRAWN = "penalty.withdrawn", _("处罚撤下")
    PENALTY_RECEIPT_RECORDED = "penalty.receipt_recorded", _("跨省处罚回执")
    # disclosure
    PENALTY_PUBLICATION_STOPPED = "penalty.publication_stopped", _("处罚信息提前停止公示")
    PENALTY_PUBLICATION_RESUMED = "penalty.publication_resumed", _("处罚信息恢复公示")
    REPLY_SUBMITTED = "reply.submitted", _("企业情况说明提交")
    REPLY_HIDDEN = "reply.hidden", _("企业情况说明屏蔽")
    REPLY_SHOWN = "reply.shown", _("企业情况说明恢复显示")
    DISCLOSURE_RULE_ADDED = "disclosure.rule_added", _("公示规则新版本")
    INSPECTION_RECORDED = "inspection.recorded", _("检查结果归集")
    INSPECTION_PUBLISHED = "inspection.published", _("检查结果公示")
    # inspections (double random)
    INSPECTION_TASK_PUBLISHED = "inspection.task_published", _("抽查任务公布")
    INSPECTION_DRAWN = "inspection.drawn", _("抽查对象抽取")
    INSPECTION_REDRAW = "inspection.redraw", _("抽查重新抽取")
    INSPECTION_ANOMALY_PROPOSED = "inspection.anomaly_proposed", _("检查结果提请列入经营异常名录")
    INSPECTION_PLAN_CREATED = "inspections.plan_created", _("抽查计划制定")
    INSPECTION_TASK_CREATED = "inspections.task_created", _("抽查任务创建")
    INSPECTION_TASK_STARTED = "inspections.task_started", _("抽查任务开始实施")
    INSPECTION_RESULTS_COMPLETED = "inspections.results_completed", _("抽查结果汇总")
    INSPECTION_TASK_CLOSED = "inspections.task_closed", _("抽查任务办结")
    INSPECTOR_CHANGED = "inspections.inspector_changed", _("检查人员变更")
    INSPECTION_CONFLICT_DECLARED = "inspections.conflict_declared", _("检查人员回避声明")
    INSPECTION_RULE_CHANGED = "inspections.rule_changed", _("抽查规则变更")
    INSPECTION_ITEM_CHANGED = "inspections.item_changed", _("抽查事项变更")
    KEY_SUPERVISION_ITEM_CHANGED = "inspections.key_item_changed", _("重点监管事项变更")
    COMPLAINT_RECORDED = "complaint.recorded", _("投诉举报归集")
    ANNUAL_REPORT_FILED = "annual_report.filed", _("年报报送")
    LIST_DECISION_RECORDED = "list_decision.recorded", _("名单决定归集")
    COMMITMENT_RECORDED = "commitment.recorded", _("承诺归集")
    RECORD_ARCHIVED = "record.archived", _("归集记录归档")
    RECORD_BACKFILLED = "record.backfilled", _("历史记录补入记录变更接口")
    # commitments
    COMMITMENT_UNTRUE = "commitment.untrue", _("承诺不实")
    COMMITMENT_TEMPLATE_ISSUED = "commitment_template.issued", _("承诺格式文本发布")
    VERIFICATION_SAMPLE_DRAWN = "verification.sample_drawn", _("承诺核查随机抽取")
    VERIFICATION_SELECTED = "verification.selected", _("承诺选定核查")
    VERIFICATION_ASSIGNED = "verification.assigned", _("承诺核查分派")
    VERIFICATION_KEPT = "verification.kept", _("承诺核查属实")
    VERIFICATION_CANCELLED = "verification.cancelled", _("承诺核查撤销")
    VERIFICATION_RECTIFIED = "verification.rectified", _("承诺不实整改完成")
    VERIFICATION_OVERDUE = "verification.overdue", _("承诺不实逾期未整改")
    VERIFICATION_REPAIRED = "verification.repaired", _("承诺不实信用修复")
    VERIFICATION_REPAIR_REVOKED = "verification.repair_revoked", _("承诺不实信用修复撤销")
    # lists
    LISTING_ADDED = "listing.added", _("列入名单")
    LISTING_REMOVED = "listing.removed", _("移出名单")
    LISTING_DRAFTED = "listing.drafted", _("拟列入经营异常名录")
    LISTING_DROPPED = "listing.dropped", _("不予列入")
    LISTING_GROUND_CEASED = "listing.ground_ceased", _("列入事由消除")
    LISTING_REMINDER_PUBLISHED = "listing.reminder_published", _("届满前公告提醒")
    LISTING_ESCALATED = "listing.escalated", _("经营异常届满3年提请严重违法失信")
    LISTING_PROPOSED = "listing.proposed", _("提出列入严重违法失信名单")
    LISTING_NOTIFIED = "listing.notified", _("送达列入告知书")
    LISTING_STATEMENT_RECORDED = "listing.statement_recorded", _("登记陈述申辩")
    LISTING_SUBMITTED = "listing.submitted", _("列入报请审批")
    LISTING_APPROVED = "listing.approved", _("列入审批通过")
    LISTING_RETURNED = "listing.returned", _("列入审批退回")
    LISTING_DECIDED = "listing.decided", _("作出列入决定")
    PUBLICATION_ORDERED = "publication_order.issued", _("责令限期公示")
    PUBLICATION_ORDER_FULFILLED = "publication_order.fulfilled", _("责令限期公示已履行")
    LISTING_HEARING_REQUESTED = "listing.hearing_requested", _("当事人申请听证")
    LISTING_HEARING_SCHEDULED = "listing.hearing_scheduled", _("安排听证并通知当事人")
    LISTING_HEARING_CONCLUDED = "listing.hearing_concluded", _("听证结束（笔录和结论）")
    LISTING_LAPSED = "listing.lapsed", _("列入程序终止（复核不再符合条件）")
    LISTING_DECISION_SERVED = "listing.decision_served", _("列入决定书送达")
    CASE_SAVED = "case.saved", _("典型案例保存")
    CASE_REVIEWED = "case.reviewed", _("典型案例审核")
    CASE_PUBLISHED = "case.published", _("典型案例发布")
    CASE_WITHDRAWN = "case.withdrawn", _("典型案例撤回")
    # repair
    REPAIR_SUBMITTED = "repair.submitted", _("信用修复申请")
    REPAIR_DOCUMENT_ADDED = "repair.document_added", _("信用修复补充材料")
    REPAIR_ACCEPTED = "repair.accepted", _("信用修复受理")
    REPAIR_REJECTED = "repair.rejected", _("信用修复不予受理")
    REPAIR_VERIFIED = "repair.verified", _("信用修复现场核查")
    REPAIR_APPROVED = "repair.approved", _("信用修复通过")
    REPAIR_REFUSED = "repair.refused", _("信用修复不予修复")
    REPAIR_DONE = "repair.done", _("信用修复公示更新")
    REPAIR_REVOKED = "repair.revoked", _("信用修复撤销")
    REPAIR_OVERDUE = "repair.overdue", _("信用修复办理逾期")
    # sharing
    FEEDBACK_RECEIVED = "feedback.received", _("惩戒措施反馈")
    SUBSCRIPTION_CREATED = "subscription.created", _("数据订阅创建")
    SUBSCRIPTION_CHANGED = "subscription.changed", _("数据订阅启停")
    DELIVERY_REPLAYED = "delivery.replayed", _("推送死信重放")
    CREDIT_REPORT_ISSUED = "credit_report.issued", _("信用报告出具")
    # risk
    RISK_VERSION_DRAFTED = "risk.version_drafted", _("风险模型版本草拟")
    RISK_VERSION_ACTIVATED = "risk.version_activated", _("风险模型版本生效")
    RISK_VERSION_DISCARDED = "risk.version_discarded", _("风险模型版本废弃")
    RISK_RUN_COMPLETED = "risk.run_completed", _("风险分类评分完成")
    RISK_DRAW_RATIO_CHANGED = "risk.draw_ratio_changed", _("分类抽查比例变更")
    RISK_MODEL_EXPORTED = "risk.model_exported", _("通用模型导出为签名模型文件")
    RISK_MODEL_IMPORTED = "risk.model_imported", _("导入签名模型文件为草稿版本")
    RISK_MODEL_ADOPTED = "risk.model_adopted", _("采用导入的通用模型")
    # integrity promotion and industry associations (seed 十四)
    ARTICLE_SAVED = "integrity.article_saved", _("诚信建设文章保存")
    ARTICLE_SUBMITTED = "integrity.article_submitted", _("诚信建设文章提交审核")
    ARTICLE_PUBLISHED = "integrity.article_published", _("诚信建设文章发布")
    ARTICLE_RETURNED = "integrity.article_returned", _("诚信建设文章退回修改")
    ARTICLE_WITHDRAWN = "integrity.article_withdrawn", _("诚信建设文章撤回")
    ASSOCIATION_SAVED = "integrity.association_saved", _("行业协会商会登记")
    ASSOCIATION_MEMBER_ADDED = "integrity.member_added", _("协会会员登记")
    ASSOCIATION_MEMBER_ENDED = "integrity.member_ended", _("协会会员退出")
    ASSOCIATION_USER_ADDED = "integrity.association_user_added", _("协会账号开通")
    ASSOCIATION_SUBSCRIBED = "integrity.association_subscribed", _("协会订阅会员名单变动推送")


def _serialise_writers() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_EVENT_LOG_LOCK])
    # SQLite: one writer at a time already (BEGIN IMMEDIATE).


def emit(type: str, *, uscc: str = "", region_code: str = "", data: dict[str, Any] | None = None) -> Event:
    if not connection.in_atomic_block:
        raise RuntimeError("events are written inside the transaction of the change they report")
    _serialise_writers()
    return Event.objects.create(
        type=str(type), uscc=uscc, region_code=region_code, data=data or {}, occurred_at=timezone.now()
    )


def emit_many(events: Iterable[tuple[str, str, str, dict[str, Any]]]) -> int:
    """Bulk form of `emit` for ingest chunks: (type, uscc, region_code, data) tuples."""
    if not connection.in_atomic_block:
        raise RuntimeError("events are written inside the transaction of the change they report")
    now = timezone.now()
    rows = [Event(type=str(t), uscc=u, region_code=r, data=d, occurred_at=now) for t, u, r, d in events]
    if not rows:
        return 0
    _serialise_writers()
    Event.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def read_after(cursor: int, limit: int = 100, types: Sequence[str] | None = None) -> list[Event]:
    qs = Event.objects.filter(id__gt=cursor).order_by("id")
    if types:
        qs = qs.filter(type__in=list(types))
    return list(qs[:limit])


def consume(name: str, handler: Callable[[list[Event]], object], *, batch: int = 500) -> int:
    """Feed the next batch of events to `handler` and advance the consumer's cursor in the
    same transaction, so a crash re-delivers the batch instead of losing it. Several
    workers may call this side by side: the cursor row lock makes them take turns."""
    ConsumerCursor.objects.get_or_create(name=name)
    with transaction.atomic():
        cur = ConsumerCursor.objects.select_for_update().get(name=name)
        events = read_after(cur.position, batch)
        if not events:
            return 0
        handler(events)
        cur.position = events[-1].id
        cur.updated_at = timezone.now()
        cur.save(update_fields=["position", "updated_at"])
        return len(events)
