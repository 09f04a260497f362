"""The credit report as PDF (reportlab, docs/adr/0066). Chinese text is set in
WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, Apache-2.0, installed by `make fonts`),
embedded as a subset so every reader shows the same glyphs (issue 14: naming a CID font
the reader must supply left some readers with boxes). Without the font file the report
falls back to the built-in CID font STSong-Light and the system check xinjian.W004 says
so. The QR code (reportlab.graphics.barcode.qr) carries the verification URL."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Where Debian's fonts-wqy-microhei puts its TrueType collection (override with
# XINJIAN_PDF_FONT for another TrueType CJK font).
FONT_PATHS = (
    os.environ.get("XINJIAN_PDF_FONT", ""),
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
EMBEDDED = "WenQuanYiMicroHei"
FALLBACK = "STSong-Light"


def _register_font() -> str:
    for path in FONT_PATHS:
        if path and Path(path).is_file():
            pdfmetrics.registerFont(TTFont(EMBEDDED, path, subfontIndex=0))
            return EMBEDDED
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


FONT = _register_font()

_BASE = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
_TITLE = ParagraphStyle("title", parent=_BASE, fontSize=18, leading=24, alignment=1, spaceAfter=4 * mm)
_H = ParagraphStyle("h", parent=_BASE, fontSize=12, leading=17, spaceBefore=4 * mm, spaceAfter=2 * mm)
_SMALL = ParagraphStyle("small", parent=_BASE, fontSize=8, leading=11, textColor=colors.HexColor("#555555"))


def _p(text: Any, style: ParagraphStyle = _BASE) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)


def _qr(url: str, size: float = 32 * mm) -> Drawing:
    widget = QrCodeWidget(url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    t = Table([[_p(c) for c in row] for row in rows], colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def _dates(item: dict[str, Any]) -> str:
    return f"公示日期：{item.get('published_on') or '—'}；公示至：{item.get('disclosed_until') or '依法持续公示'}"


def render(content: dict[str, Any], *, code: str, sha256: str, verify_url: str) -> bytes:
    """The PDF of a report as issued (`content` is the stored snapshot)."""
    p = content["profile"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"企业信用报告 {content['number']}",
        author="信监 重点领域信用监管平台",
        subject=p["name"],
    )
    story: list[Any] = [_p("企业信用报告", _TITLE)]
    head = Table(
        [
            [
                [
                    _p(f"报告编号：{content['number']}"),
                    _p(f"验证码：{code}"),
                    _p(f"出具时间：{content['issued_at'][:19].replace('T', ' ')}（北京时间）"),
                    _p(f"信息截至：{content['as_of']}"),
                    _p(f"核验地址：{verify_url}", _SMALL),
                ],
                _qr(verify_url),
            ]
        ],
        colWidths=[138 * mm, 36 * mm],
    )
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [head, _p("一、登记基本信息", _H)]
    basics = [
        ["企业名称", p["name"]],
        ["统一社会信用代码", p["uscc"]],
        ["法定代表人", p["legal_representative"]],
        ["成立日期", p["established_on"]],
        ["登记状态", p.get("status_label") or p["status"]],
        ["所在地区", p.get("division_name") or p["region_code"]],
    ]
    if p.get("address"):
        basics.append(["住所", p["address"]])
    basics.append(["重点领域", "、".join(p.get("key_area_labels") or []) or "—"])
    story.append(_table([["项目", "内容"], *basics], [40 * mm, 134 * mm]))

    story.append(_p(f"二、行政许可（{len(p['licences'])}）", _H))
    if p["licences"]:
        rows = [["许可类别", "许可证编号", "发证机关", "发证日期 / 有效期至", "状态"]]
        for x in p["licences"]:
            rows.append(
                [
                    x.get("type_label"),
                    x["licence_no"],
                    x["issued_by"],
                    f"{x['issued_on']} / {x.get('valid_until') or '—'}",
                    x.get("status_label"),
                ]
            )
        story.append(_table(rows, [32 * mm, 38 * mm, 42 * mm, 38 * mm, 24 * mm]))
    else:
        story.append(_p("暂无公示信息"))

    story.append(_p(f"三、行政处罚（{len(p['penalties'])}）", _H))
    for x in p["penalties"]:
        fine = f"；罚款 {x['fine_amount']:,.2f} 元" if x.get("fine_amount") else ""
        story.append(
            _p(
                f"{x['decision_no']}　违法行为类型：{x['violation']}；处罚种类："
                f"{'、'.join(x.get('type_labels') or [])}{fine}；处罚机关：{x['decided_by']}；"
                f"决定日期：{x['decided_on']}；{_dates(x)}"
            )
        )
        if x.get("reply"):
            story.append(_p(f"企业说明：{x['reply']['text']}", _SMALL))
        story.append(Spacer(1, 2 * mm))
    if not p["penalties"]:
        story.append(_p("暂无公示期内的行政处罚信息"))

    story.append(_p(f"四、抽查检查结果（{len(p['inspections'])}）", _H))
    for x in p["inspections"]:
        story.append(
            _p(
                f"{x.get('result_label')}（{x.get('kind_label')}）　检查机关：{x['inspected_by']}；"
                f"检查日期：{x['inspected_on']}；{_dates(x)}"
            )
        )
        if x.get("reply"):
            story.append(_p(f"企业说明：{x['reply']['text']}", _SMALL))
    if not p["inspections"]:
        story.append(_p("暂无公示信息"))

    story.append(_p("五、列入经营异常名录、严重违法失信名单信息", _H))
    for a in p["anomaly_listings"]:
        removed = (
            f"；移出日期：{a['removed_on']}（{a.get('removal_reason_name') or ''}）"
            if a.get("removed_on")
            else ""
        )
        story.append(
            _p(
                f"{a.get('kind_name') or '经营异常名录'}　列入事由：{a.get('ground_name') or a['ground']}；列入日期：{a['listed_on']}；"
                f"决定书文号：{a.get('decision_no') or '—'}；作出决定机关：{a.get('decided_by') or '—'}{removed}"
            )
        )
    s = p.get("serious_listing")
    if s:
        story.append(
            _p(
                f"严重违法失信名单　列入事由：{s.get('ground_name') or s['ground']}；决定日期：{s.get('decided_on') or '—'}；"
                f"决定书文号：{s.get('decision_no') or '—'}；公示日期：{s.get('published_on') or '—'}；"
                f"公示至：{s.get('expires_on') or '—'}"
            )
        )
    if not p["anomaly_listings"] and not s:
        story.append(_p("暂无公示信息"))

    story.append(_p(f"六、信用承诺（{len(p['commitments'])}）", _H))
    for x in p["commitments"]:
        story.append(_p(f"{x.get('kind_label')}　{x['matter']}；承诺日期：{x['committed_on']}"))
    if not p["commitments"]:
        story.append(_p("暂无公示信息"))

    story += [
        Spacer(1, 6 * mm),
        _p(
            "说明：本报告内容为出具时依法公示的企业信用信息，公示期满、依法撤销或经信用修复停止公示的信息不列入。"
            "报告真伪及出具时的内容可凭报告编号和验证码在上述核验地址查询。",
            _SMALL,
        ),
        _p(f"内容摘要（SHA-256）：{sha256}", _SMALL),
    ]
    doc.build(story)
    return out.getvalue()
