"""The serious list's documents to the party, built once and rendered twice (printable
HTML and PDF): the listing decision (列入决定书, domain.md §10) and the hearing notice
(听证通知书). A document is legal text, so it is written in Chinese whatever the reader's
UI language; every deadline in it is derived (core.deadlines), says that its last day is
included, and is marked provisional while the calendar lacks a year it runs through.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation

from xinjian.core import deadlines

from . import rules
from .models import HearingOutcome, ListKind, SeriousListing


def cn(d: Any) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Document:
    title: str
    issuer: str
    number: str
    addressee: str
    sections: list[Section]
    signed_on: str
    provisional: bool = False
    filename: str = "document"


def _party(s: SeriousListing) -> str:
    e = s.enterprise
    return f"{e.name}（统一社会信用代码：{e.uscc}）"


def _statement_part(s: SeriousListing) -> list[str]:
    out: list[str] = []
    statement = deadlines.compute(s, "statement_due")
    if s.notified_on:
        text = f"本机关于{cn(s.notified_on)}向你单位送达了列入严重违法失信名单告知书（告知-{s.pk}）"
        if statement is not None:
            text += f"，告知你单位可于{cn(statement.due)}（含当日）之前进行陈述、申辩或者要求听证"
            if statement.provisional:
                text += "（该期限所跨年度的节假日安排尚未公布，为临时期限）"
        out.append(text + "。")
    if s.statement:
        out.append(f"你单位提出的陈述、申辩意见：{s.statement}")
    if s.hearing_requested:
        text = f"你单位于{cn(s.hearing_requested_on)}要求听证。"
        if s.hearing_outcome == HearingOutcome.WITHDRAWN:
            text += "你单位撤回听证申请或者无正当理由未参加听证，视为放弃听证权利。"
        elif s.hearing_held_on:
            text += f"本机关于{cn(s.hearing_held_on)}在{s.hearing_place}举行听证，主持人{s.hearing_host}。"
            if s.hearing_record:
                text += f"听证笔录要点：{s.hearing_record}"
        out.append(text)
    if not s.statement and not s.hearing_requested and s.notified_on:
        out.append("你单位在规定期限内未提出陈述、申辩意见，也未要求听证。")
    if s.reply_to_party:
        out.append(f"本机关对你单位意见的采纳情况及理由：{s.reply_to_party}")
    return out


def _served(s: SeriousListing) -> list[str]:
    """Once service is recorded: the remedies' last days, derived, with the day included
    and marked provisional while the calendar lacks the year."""
    if s.decision_served_on is None:
        return []
    parts = []
    for name, what in (("reconsideration_due", "申请行政复议"), ("lawsuit_due", "提起行政诉讼")):
        d = deadlines.compute(s, name)
        if d is not None:
            parts.append(
                f"{what}的期限至{cn(d.due)}（含当日）"
                + ("（该年度节假日安排尚未公布，为临时期限）" if d.provisional else "")
            )
    return [f"本决定书于{cn(s.decision_served_on)}送达：" + "；".join(parts) + "。"]


def decision(s: SeriousListing) -> Document:
    """列入严重违法失信名单决定书 (Order 44 arts. 15–17, 19–20; domain.md §10)."""
    with translation.override("zh-hans"):
        g = rules.ground(s.ground, s.decided_on or s.proposed_on)
        ground_name = g.name if g else s.ground_name()
        measures = rules.measures(ListKind.SERIOUS, s.decided_on or s.proposed_on)
        earliest = s.earliest_repair_date()
        statement = deadlines.compute(s, "statement_due")
        reason = f"你单位的上述行为属于{ground_name}"
        if s.basis_decision_no:
            reason += f"，并已受到较重行政处罚（{s.basis_decision_no}）"
        reason += "，符合列入严重违法失信名单的情形。"
        sections = [
            Section("一、违法事实", [s.facts or "—"]),
            Section("二、列入理由", [reason]),
            Section("三、法律依据", [s.legal_basis or (g.basis if g else "—")]),
            Section("四、陈述、申辩和听证", _statement_part(s)),
            Section(
                "五、决定内容",
                [
                    "依据上述事实、理由和依据，本机关决定将你单位列入严重违法失信名单，"
                    "并依法通过国家企业信用信息公示系统向社会公示。"
                ],
            ),
            Section(
                "六、管理措施",
                ["列入严重违法失信名单期间，依法对你单位实施以下管理措施："],
                [m.name for m in measures],
            ),
            Section(
                "七、移出条件和方式",
                [
                    f"列入期限至{cn(s.expires_on)}（含当日）：列入满三年，法律、行政法规规定的限制期限更长的，"
                    "至限制期限届满。期满次日起自动移出，不再公示。",
                    f"列入满一年后（自{cn(earliest)}起），同时符合下列条件的，可以向本机关申请提前移出："
                    "（一）已经自觉履行行政处罚决定中规定的义务；（二）已经主动消除危害后果和不良影响；"
                    "（三）未再受到市场监督管理部门较重行政处罚。依照法律、行政法规规定实施职业禁入或者"
                    "从业限制的，限制期届满前不得提前移出。",
                    "列入所依据的行政处罚决定被依法撤销、变更或者确认无效的，本机关将撤销列入决定，"
                    "并在三个工作日内停止公示。",
                ],
            ),
            Section(
                "八、救济途径",
                [
                    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
                    "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
                    "行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。",
                    *_served(s),
                ],
            ),
        ]
        return Document(
            title="列入严重违法失信名单决定书",
            issuer=s.decided_by or (s.department.name if s.department else ""),
            number=s.decision_no,
            addressee=_party(s),
            sections=sections,
            signed_on=cn(s.decided_on),
            provisional=bool(statement and statement.provisional),
            filename=f"decision-{s.pk}",
        )


def hearing_notice(s: SeriousListing) -> Document:
    """听证通知书 (Administrative Penalty Law art. 64 (2): at least 7 days ahead)."""
    with translation.override("zh-hans"):
        when = f"{cn(s.hearing_on)}{(' ' + s.hearing_time) if s.hearing_time else ''}"
        sections = [
            Section(
                "",
                [
                    f"你单位于{cn(s.hearing_requested_on)}就本机关拟将你单位列入严重违法失信名单一事"
                    f"（告知-{s.pk}）提出听证申请。本机关决定于{when}在{s.hearing_place}举行听证，"
                    f"主持人：{s.hearing_host}。",
                    "请你单位法定代表人（负责人）或者委托代理人准时参加，委托代理人参加的，应当提交授权委托书。"
                    "你单位认为主持人与本案有直接利害关系的，有权申请回避。",
                    "你单位无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。",
                ],
            )
        ]
        return Document(
            title="听证通知书",
            issuer=s.department.name if s.department else "",
            number=f"听通-{s.pk}",
            addressee=_party(s),
            sections=sections,
            signed_on=cn(s.hearing_notified_on),
            filename=f"hearing-notice-{s.pk}",
        )


# --- PDF (reportlab, as the credit report: the CID font STSong-Light, nothing embedded) --


def pdf(doc: Document) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=19, wordWrap="CJK", firstLineIndent=22)
    flat = ParagraphStyle("flat", parent=base, firstLineIndent=0)
    title = ParagraphStyle("title", parent=flat, fontSize=17, leading=26, alignment=1)
    centre = ParagraphStyle("centre", parent=flat, alignment=1)
    head = ParagraphStyle("head", parent=flat, fontSize=12, spaceBefore=3 * mm, spaceAfter=1 * mm)
    right = ParagraphStyle("right", parent=flat, alignment=2)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    out = io.BytesIO()
    sheet = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        title=f"{doc.title} {doc.number}",
        author=doc.issuer,
    )
    story: list[Any] = [p(doc.issuer, title), p(doc.title, title), p(doc.number, centre), Spacer(1, 5 * mm)]
    story.append(p(f"{doc.addressee}：", flat))
    for section in doc.sections:
        if section.heading:
            story.append(p(section.heading, head))
        story += [p(t) for t in section.paragraphs]
        story += [p(f"{i}. {t}") for i, t in enumerate(section.items, 1)]
    story += [Spacer(1, 10 * mm), p(doc.issuer, right), p("（印章）", right), p(doc.signed_on, right)]
    sheet.build(story)
    return out.getvalue()
