"""May this record be repaired now, and why (domain.md §12)? One check for the three
kinds, explaining itself: every condition says met / not met / to be verified, with the
dates it rests on. The enterprise sees it before applying; staff see it when deciding.

The numbers come from the rule table (`rules.rules_on`); the penalty facts reuse the
disclosure policy (light penalties, publication) and the lists rules (heavier penalties,
the serious list's earliest repair date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinjian.collection.models import AnnualReport, Penalty, PenaltyDomain, PenaltyStatus, PenaltyType
from xinjian.commitments.models import ConsequenceKind, VerificationStatus
from xinjian.core.workdays import cn_date as _cn_date
from xinjian.disclosure import policy
from xinjian.lists import queries as list_queries
from xinjian.lists import rules as list_rules
from xinjian.lists.models import AnomalyListing, AnomalyStatus, SeriousListing, SeriousStatus

from . import rules
from .models import REPAIRED_STATUSES, RepairApplication, RepairKind, RepairRuleSet

MET, NOT_MET, TO_VERIFY = "met", "not_met", "to_verify"


def cn_date(d: dt.date | None) -> str:
    return _cn_date(d) if d else "—"


@dataclass
class Condition:
    code: str
    label: str
    state: str  # met | not_met | to_verify
    detail: str

    @property
    def state_label(self) -> str:
        return {MET: _("符合"), NOT_MET: _("不符合"), TO_VERIFY: _("待核实")}[self.state]


@dataclass
class Eligibility:
    kind: str
    target_id: int
    on: dt.date
    conditions: list[Condition] = field(default_factory=list)
    strict: bool = False
    strict_reasons: list[str] = field(default_factory=list)
    onsite_required: bool = False
    earliest: dt.date | None = None
    rules_version_id: int | None = None
    # A record that leaves public view by itself (a light penalty's 3 months): early stop
    # does not apply; `leaves_on` is its last day in public view.
    not_applicable: bool = False
    leaves_on: dt.date | None = None

    @property
    def eligible(self) -> bool:
        """No condition fails; those left to verify are checked by the department."""
        return all(c.state != NOT_MET for c in self.conditions)

    @property
    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if c.state == NOT_MET]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "target_id": self.target_id,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "strict": self.strict,
            "strict_reasons": self.strict_reasons,
            "onsite_required": self.onsite_required,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "not_applicable": self.not_applicable,
            "leaves_on": self.leaves_on.isoformat() if self.leaves_on else None,
            "conditions": [asdict(c) for c in self.conditions],
        }


def _in_force_penalties(enterprise: Any) -> QuerySet[Penalty]:
    return Penalty.objects.filter(
        enterprise=enterprise, status=PenaltyStatus.IN_FORCE, archived_at__isnull=True
    )


def _domain_name(code: str) -> str:
    return str(dict(PenaltyDomain.choices).get(code, code))


def _stricter(
    e: Eligibility,
    enterprise: Any,
    domain: str | None,
    anchor: dt.date | None,
    r: RepairRuleSet,
    exclude: int | None,
) -> None:
    """§12 (seed 十二): serious or repeated violators — `repeat_penalty_count` penalties of
    the same kind within `repeat_window_years`, or repaired within `recent_repair_years` —
    wait `strict_wait_factor` times as long and need an on-site verification.

    The penalty window runs from `repeat_window_years` before the decision being repaired
    (`anchor`) to the application day, so waiting does not make a repeat violator's
    history disappear; the recent repair counts back from the application day."""
    since = list_rules.add_years(anchor or e.on, -r.repeat_window_years)
    recent = _in_force_penalties(enterprise).filter(decided_on__gte=since, decided_on__lte=e.on)
    if domain:
        recent = recent.filter(domain=domain)
    counts: dict[str, int] = {}
    for d in recent.values_list("domain", flat=True):
        counts[d] = counts.get(d, 0) + 1
    for d, n in sorted(counts.items()):
        if n >= r.repeat_penalty_count:
            e.strict_reasons.append(
                _("%(since)s以来受到%(domain)s领域行政处罚%(n)d次（达到%(k)d次即从严）")
                % {"since": cn_date(since), "domain": _domain_name(d), "n": n, "k": r.repeat_penalty_count}
            )
    repaired_since = list_rules.add_years(e.on, -r.recent_repair_years)
    repairs = RepairApplication.objects.filter(
        enterprise=enterprise, status__in=REPAIRED_STATUSES, decided_on__gte=repaired_since
    )
    if exclude is not None:
        repairs = repairs.exclude(pk=exclude)
    repaired = repairs.order_by("-decided_on").first()
    if repaired is not None:
        e.strict_reasons.append(
            _("%(day)s已获信用修复（%(no)s），%(years)d年内再次申请从严")
            % {
                "day": cn_date(repaired.decided_on),
                "no": repaired.decision_no,
                "years": r.recent_repair_years,
            }
        )
    e.strict = bool(e.strict_reasons)
    e.onsite_required = e.strict and r.strict_requires_onsite


def _not_listed(e: Eligibility, enterprise: Any) -> None:
    anomaly = list_queries.on_anomaly_list(enterprise, e.on)
    serious = list_queries.on_serious_list(enterprise, e.on)
    names = [n for flag, n in ((anomaly, _("经营异常名录")), (serious, _("严重违法失信名单"))) if flag]
    e.conditions.append(
        Condition(
            "not_listed",
            _("未被列入经营异常名录或严重违法失信名单"),
            NOT_MET if names else MET,
            _("目前仍在%s中，须先移出") % "、".join(names) if names else _("目前不在任一名单中"),
        )
    )


def _fulfilled(e: Eligibility, penalty: Penalty | None) -> None:
    if penalty is not None and penalty.fulfilled_on and penalty.fulfilled_on <= e.on:
        state, detail = (
            MET,
            _("处罚决定%(no)s于%(day)s履行完毕")
            % {
                "no": penalty.decision_no,
                "day": cn_date(penalty.fulfilled_on),
            },
        )
    else:
        state = TO_VERIFY
        detail = _("办案系统未登记履行完毕日期：须提交缴纳罚没款等履行证明，由决定机关核实")
    e.conditions.append(Condition("obligations_fulfilled", _("已履行行政处罚决定规定的义务"), state, detail))


def _harm_eliminated(e: Eligibility) -> None:
    e.conditions.append(
        Condition(
            "harm_eliminated",
            _("已主动消除危害后果和不良社会影响"),
            TO_VERIFY,
            _("由申请人提交证明材料，决定机关审查核实（从严审查的须现场核查）"),
        )
    )


# --- penalty publication ------------------------------------------------------------------


def for_penalty(penalty: Penalty, on: dt.date, *, exclude: int | None = None) -> Eligibility:
    enterprise = penalty.enterprise
    region = enterprise.region_code if enterprise else ""
    r = rules.rules_on(on, region)
    e = Eligibility(RepairKind.PENALTY_PUBLICATION, penalty.pk, on, rules_version_id=r.pk)
    _stricter(e, enterprise, penalty.domain, penalty.decided_on, r, exclude)

    visible = policy.penalty_visible(penalty, on)
    e.conditions.append(
        Condition(
            "published",
            _("处罚信息正在公示"),
            MET if visible else NOT_MET,
            _("自%s起公示") % cn_date(penalty.published_on)
            if visible and penalty.published_on
            else _("该处罚信息未公示、已撤下、已停止公示或公示期已满"),
        )
    )
    # §12: warnings, criticism and lower fines expire after 3 months anyway.
    light = policy.is_warning_only(penalty) or policy.is_light(penalty)
    e.conditions.append(
        Condition(
            "not_light",
            _("不属于警告、通报批评或较低数额罚款"),
            NOT_MET if light else MET,
            _("仅受警告、通报批评或较低数额罚款的，公示期满3个月自动停止公示，无需申请修复")
            if light
            else _("处罚种类：%s") % "、".join(penalty.type_labels()),
        )
    )
    # §12: never for suspension, restriction of business or practice, qualification
    # downgrade or licence revocation.
    never = [t for t in penalty.penalty_types if t in set(r.never_penalty_types or [])]
    labels = dict(PenaltyType.choices)
    e.conditions.append(
        Condition(
            "repairable_type",
            _("不属于不得提前停止公示的处罚种类"),
            NOT_MET if never else MET,
            _("受到%s处罚的，不予提前停止公示") % "、".join(str(labels.get(t, t)) for t in never)
            if never
            else _("不含责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件"),
        )
    )
    # §12: 6 months of publication, 12 for food, drug and special-equipment penalties;
    # twice as long on the stricter path.
    long_domain = penalty.domain in set(r.strict_domains or [])
    months = r.penalty_min_months_strict_domains if long_domain else r.penalty_min_months
    factor = r.strict_wait_factor if e.strict else 1
    months *= factor
    if light:
        # Early stop does not apply: the record leaves public view by itself (issue 14),
        # so there is no earliest application day to show.
        e.not_applicable = True
        e.leaves_on = policy.penalty_disclosed_until(penalty)
        ok = False
        why = (
            _("不适用：公示期满自动停止公示，公示至%s（含当日）") % cn_date(e.leaves_on)
            if e.leaves_on
            else _("不适用：公示期满自动停止公示")
        )
    elif penalty.published_on:
        e.earliest = policy.add_months(penalty.published_on, months)
        ok = on >= e.earliest
        why = _(
            "%(domain)s领域处罚最短公示%(months)d个月%(strict)s：自%(start)s公示，%(earliest)s起可申请"
        ) % {
            "domain": _domain_name(penalty.domain),
            "months": months,
            "strict": (_("（从严审查，期限加倍）") if factor > 1 else ""),
            "start": cn_date(penalty.published_on),
            "earliest": cn_date(e.earliest),
        }
        if not ok:
            why += _("；申请日%s尚未届满") % cn_date(on)
    else:
        ok, why = False, _("尚未公示，不计算公示期")
    e.conditions.append(Condition("min_period", _("公示期已满最短期限"), MET if ok else NOT_MET, why))
    _fulfilled(e, penalty)
    _harm_eliminated(e)
    # §12: no new penalty for the same kind of violation (same domain) since.
    newer = list(
        _in_force_penalties(enterprise)
        .filter(domain=penalty.domain, decided_on__gt=penalty.decided_on, decided_on__lte=on)
        .exclude(pk=penalty.pk)
        .order_by("decided_on")
    )
    e.conditions.append(
        Condition(
            "no_new_same_kind",
            _("未再受到同类行政处罚"),
            NOT_MET if newer else MET,
            _("此后又受到同类（%(domain)s）处罚：%(list)s")
            % {
                "domain": _domain_name(penalty.domain),
                "list": "、".join(f"{p.decision_no}（{cn_date(p.decided_on)}）" for p in newer),
            }
            if newer
            else _("%(day)s以来未受到%(domain)s领域行政处罚")
            % {"day": cn_date(penalty.decided_on), "domain": _domain_name(penalty.domain)},
        )
    )
    _not_listed(e, enterprise)
    return e


# --- serious-violation list ----------------------------------------------------------------


def for_serious(listing: SeriousListing, on: dt.date, *, exclude: int | None = None) -> Eligibility:
    enterprise = listing.enterprise
    r = rules.rules_on(on, enterprise.region_code)
    e = Eligibility(RepairKind.SERIOUS, listing.pk, on, rules_version_id=r.pk)
    penalty = listing.penalty
    _stricter(
        e,
        enterprise,
        penalty.domain if penalty is not None else None,
        penalty.decided_on if penalty is not None else listing.decided_on,
        r,
        exclude,
    )
    published = listing.status == SeriousStatus.PUBLISHED
    e.conditions.append(
        Condition(
            "listed",
            _("正在严重违法失信名单公示期内"),
            MET if published else NOT_MET,
            _("%(day)s列入（%(no)s）") % {"day": cn_date(listing.decided_on), "no": listing.decision_no}
            if published
            else _("当前状态：%s") % listing.get_status_display(),
        )
    )
    # §10 / Order 44 art. 20: one year after the decision, never while a statutory
    # restriction still runs; twice as long on the stricter path (§12).
    base = listing.earliest_repair_date()
    if listing.decided_on and base:
        lr = list_rules.rules_on(listing.decided_on, enterprise.region_code)
        years = lr.serious_early_removal_min_years * (r.strict_wait_factor if e.strict else 1)
        earliest = max(base, list_rules.add_years(listing.decided_on, years))
        e.earliest = earliest
        ok = on >= earliest
        why = _("列入满%(years)d年%(strict)s且限制期届满后方可申请：%(earliest)s起") % {
            "years": years,
            "strict": _("（从严审查，期限加倍）") if e.strict else "",
            "earliest": cn_date(earliest),
        }
        if penalty is not None and penalty.restriction_until:
            why += _("；处罚限制期至%s") % cn_date(penalty.restriction_until)
        if not ok:
            why += _("；申请日%s尚未届满") % cn_date(on)
    else:
        ok, why = False, _("尚未作出列入决定")
    e.conditions.append(Condition("min_period", _("列入期已满最短期限"), MET if ok else NOT_MET, why))
    _fulfilled(e, penalty)
    _harm_eliminated(e)
    # §10: no further heavier penalty since the listing decision.
    heavier = []
    if listing.decided_on:
        for p in _in_force_penalties(enterprise).filter(
            decided_on__gt=listing.decided_on, decided_on__lte=on
        ):
            if list_rules.is_heavier_penalty(p, p.decided_on):
                heavier.append(p)
    e.conditions.append(
        Condition(
            "no_further_heavier",
            _("列入后未再受到较重行政处罚"),
            NOT_MET if heavier else MET,
            _("列入后又受到较重行政处罚：%s")
            % "、".join(f"{p.decision_no}（{cn_date(p.decided_on)}）" for p in heavier)
            if heavier
            else _("%s以来未受到较重行政处罚") % cn_date(listing.decided_on),
        )
    )
    return e


# --- anomaly list -------------------------------------------------------------------------


def _ground_ceased(listing: AnomalyListing) -> tuple[str, str]:
    """Anomaly Measures arts. 11–13: has the ground of listing ceased?"""
    if listing.ground_ceased_on:
        return MET, _("%(day)s已确认：%(why)s") % {
            "day": cn_date(listing.ground_ceased_on),
            "why": listing.get_ceased_reason_display(),
        }
    if listing.ground == "annual_report_missing" and listing.report_year:
        report = AnnualReport.objects.filter(enterprise=listing.enterprise, year=listing.report_year).first()
        if report is not None:
            return MET, _("已于%(day)s补报%(year)d年度报告") % {
                "day": cn_date(report.filed_on),
                "year": listing.report_year,
            }
        return NOT_MET, _("尚未补报%d年度报告") % listing.report_year
    if listing.ground == "unreachable":
        if listing.address_at_listing and listing.enterprise.address != listing.address_at_listing:
            return MET, _("登记住所已变更为“%s”") % listing.enterprise.address
        return TO_VERIFY, _("登记住所未变更：须证明可以通过登记住所联系，由决定机关核实")
    return TO_VERIFY, _("须提交已公示或已更正相关信息的证明，由决定机关核实")


def for_anomaly(listing: AnomalyListing, on: dt.date, *, exclude: int | None = None) -> Eligibility:
    enterprise = listing.enterprise
    r = rules.rules_on(on, enterprise.region_code)
    e = Eligibility(RepairKind.ANOMALY, listing.pk, on, rules_version_id=r.pk)
    _stricter(e, enterprise, None, listing.listed_on, r, exclude)
    listed = listing.status == AnomalyStatus.LISTED
    e.conditions.append(
        Condition(
            "listed",
            _("正在经营异常名录中"),
            MET if listed else NOT_MET,
            _("%(day)s因“%(ground)s”列入（%(no)s）")
            % {"day": cn_date(listing.listed_on), "ground": listing.ground_name(), "no": listing.decision_no}
            if listed
            else _("当前状态：%s") % listing.get_status_display(),
        )
    )
    state, why = _ground_ceased(listing)
    e.conditions.append(Condition("ground_ceased", _("列入事由已消除"), state, why))
    e.earliest = on if e.eligible else None
    return e


# --- untrue commitment (domain.md §6) ---------------------------------------------------


def for_commitment(verification: Any, on: dt.date, *, exclude: int | None = None) -> Eligibility:
    """An untrue-commitment finding (commitments.Verification): repairable once every
    rectification ordered has been completed and the harm is eliminated; it then no longer
    bars notification-and-commitment (§6). The stricter path applies as for the others."""

    enterprise = verification.enterprise
    r = rules.rules_on(on, enterprise.region_code)
    e = Eligibility(RepairKind.UNTRUE_COMMITMENT, verification.pk, on, rules_version_id=r.pk)
    _stricter(e, enterprise, None, verification.concluded_on, r, exclude)
    untrue = verification.status == VerificationStatus.UNTRUE and verification.repaired_on is None
    e.conditions.append(
        Condition(
            "untrue_unrepaired",
            _("存在未修复的承诺不实核查结论"),
            MET if untrue else NOT_MET,
            _("%(day)s核查认定承诺不实（%(no)s）")
            % {"day": cn_date(verification.concluded_on), "no": verification.finding_no}
            if untrue
            else _("当前状态：%s") % verification.get_status_display()
            + (_("，已于%s修复") % cn_date(verification.repaired_on) if verification.repaired_on else ""),
        )
    )
    open_orders = [
        c
        for c in verification.consequences.all()
        if c.kind == ConsequenceKind.RECTIFY and (c.rectified_on is None or c.rectified_on > on)
    ]
    e.conditions.append(
        Condition(
            "rectified",
            _("责令整改事项已整改完毕"),
            NOT_MET if open_orders else MET,
            _("尚未整改完毕：%s")
            % "、".join(
                f"{c.decision_no or c.get_kind_display()}（{_('期限')}{cn_date(c.due_on)}）"
                for c in open_orders
            )
            if open_orders
            else _("无未完成的责令整改事项"),
        )
    )
    _harm_eliminated(e)
    e.earliest = on if e.eligible else None
    return e


def check(kind: str, target: Any, on: dt.date, *, exclude: int | None = None) -> Eligibility:
    if kind == RepairKind.PENALTY_PUBLICATION:
        return for_penalty(target, on, exclude=exclude)
    if kind == RepairKind.SERIOUS:
        return for_serious(target, on, exclude=exclude)
    if kind == RepairKind.ANOMALY:
        return for_anomaly(target, on, exclude=exclude)
    if kind == RepairKind.UNTRUE_COMMITMENT:
        return for_commitment(target, on, exclude=exclude)
    raise ValueError(kind)


def candidates(enterprise: Any, on: dt.date) -> list[tuple[str, Any, Eligibility]]:
    """The enterprise's records that repair could concern today, each with its check:
    penalties being published, anomaly listings in force, serious listings published."""
    out: list[tuple[str, Any, Eligibility]] = []
    for a in enterprise.anomaly_listings.filter(status=AnomalyStatus.LISTED).order_by("-listed_on"):
        out.append((RepairKind.ANOMALY, a, for_anomaly(a, on)))
    for s in enterprise.serious_listings.filter(status=SeriousStatus.PUBLISHED).select_related("penalty"):
        out.append((RepairKind.SERIOUS, s, for_serious(s, on)))
    for p in policy.visible_penalties(Penalty.objects.filter(enterprise=enterprise), on).order_by(
        "-decided_on"
    ):
        out.append((RepairKind.PENALTY_PUBLICATION, p, for_penalty(p, on)))
    return out
