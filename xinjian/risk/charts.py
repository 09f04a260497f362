"""Inline SVG bar and line charts for the validation report (no CDN, no JavaScript)."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def bars(
    items: list[tuple[str, float, str]], *, width: int = 420, height: int = 180, color: str = "#3c6fb0"
) -> SafeString:
    """Vertical bars: (label, value, caption above the bar)."""
    if not items:
        return mark_safe("")
    top = max(v for _, v, _ in items) or 1.0
    slot = width / len(items)
    bw = slot * 0.6
    parts = [f'<svg viewBox="0 0 {width} {height + 40}" width="100%" role="img" class="chart">']
    for n, (label, value, caption) in enumerate(items):
        h = height * value / top
        x = n * slot + (slot - bw) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h + 20:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{color}"/>'
        )
        parts.append(
            f'<text x="{x + bw / 2:.1f}" y="{height - h + 15:.1f}" text-anchor="middle" font-size="12">{escape(caption)}</text>'
        )
        parts.append(
            f'<text x="{x + bw / 2:.1f}" y="{height + 36:.1f}" text-anchor="middle" font-size="12">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def roc(points: list[list[float]], *, size: int = 220) -> SafeString:
    if not points:
        return mark_safe("")
    path = " ".join(
        f"{'M' if n == 0 else 'L'}{20 + x * size:.1f},{20 + (1 - y) * size:.1f}"
        for n, (x, y) in enumerate(points)
    )
    return mark_safe(
        f'<svg viewBox="0 0 {size + 40} {size + 40}" width="{size + 40}" role="img" class="chart">'
        f'<rect x="20" y="20" width="{size}" height="{size}" fill="none" stroke="#999"/>'
        f'<line x1="20" y1="{size + 20}" x2="{size + 20}" y2="20" stroke="#bbb" stroke-dasharray="4"/>'
        f'<path d="{path}" fill="none" stroke="#b03c3c" stroke-width="2"/>'
        f'<text x="{size / 2 + 20}" y="{size + 36}" text-anchor="middle" font-size="11">误报率 FPR</text>'
        f'<text x="12" y="{size / 2 + 20}" text-anchor="middle" font-size="11" transform="rotate(-90 12 {size / 2 + 20})">检出率 TPR</text>'
        "</svg>"
    )


def for_report(report: dict[str, Any]) -> dict[str, SafeString]:
    v = report.get("validation", {})
    by_class = v.get("by_class", {})
    rates = [
        (c, float(b["rate"] or 0), f"{(b['rate'] or 0) * 100:.1f}% ({b['problems']}/{b['inspections']})")
        for c, b in by_class.items()
    ]
    pop = [(c, float(n), str(n)) for c, n in v.get("population", {}).items()]
    draw = v.get("draw", {})
    lift = [
        (
            gettext("按类加权抽查"),
            float(draw.get("weighted_problems") or 0),
            f"{draw.get('weighted_problems')}",
        ),
        (
            gettext("等量随机抽查"),
            float(draw.get("uniform_problems") or 0),
            f"{draw.get('uniform_problems')}",
        ),
    ]
    hist = v.get("histogram", {})
    edges = hist.get("edges", [])
    hbars = [(str(edges[n]), float(c), str(c)) for n, c in enumerate(hist.get("counts", []))]
    return {
        "rates": bars(rates, color="#b03c3c"),
        "population": bars(pop),
        "lift": bars(lift, color="#3c8f5a"),
        "roc": roc(v.get("roc", [])),
        "histogram": bars(hbars, color="#777"),
    }
