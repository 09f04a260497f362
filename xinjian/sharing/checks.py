"""System check for the credit-report PDF's font (issue 14)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register


@register()
def pdf_font_is_embedded(app_configs: Any, **kwargs: Any) -> list[Warning]:
    from . import report_pdf

    if report_pdf.FONT == report_pdf.EMBEDDED:
        return []
    return [
        Warning(
            "信用报告PDF未找到可嵌入的中文字体，暂用阅读器自带的 STSong-Light（部分阅读器显示为方框）",
            hint="make fonts（安装 Debian 的 fonts-wqy-microhei），或以 XINJIAN_PDF_FONT 指定 TrueType 中文字体",
            id="xinjian.W004",
        )
    ]
