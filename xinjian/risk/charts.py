"""The validation report's charts as Apache ECharts options (drawn by static/js/charts.js
from the vendored library; no CDN, no inline script). Each is {"id", "title", "option"}."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def _bars(labels: list[str], values: list[float], captions: list[str], color: str) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 48, "right": 16, "top": 24, "bottom": 36},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": "bar",
                "color": color,
                "data": [
                    {"value": v, "label": {"show": True, "position": "top", "formatter": c}}
                    for v, c in zip(values, captions, strict=True)
                ],
            }
        ],
    }


def roc_option(points: list[list[float]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 16, "top": 16, "bottom": 40},
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": 1,
            "name": gettext("误报率 FPR"),
            "nameLocation": "middle",
            "nameGap": 24,
        },
        "yAxis": {
            "type": "value",
            "min": 0,
            "max": 1,
            "name": gettext("检出率 TPR"),
            "nameLocation": "middle",
            "nameGap": 32,
        },
        "series": [
            {"type": "line", "showSymbol": False, "color": "#b03c3c", "data": [[x, y] for x, y in points]},
            {
                "type": "line",
                "showSymbol": False,
                "silent": True,
                "lineStyle": {"type": "dashed", "color": "#bbb"},
                "data": [[0, 0], [1, 1]],
            },
        ],
    }


def for_report(report: dict[str, Any]) -> list[dict[str, Any]]:
    v = report.get("validation", {})
    out: list[dict[str, Any]] = []

    def add(key: str, title: str, option: dict[str, Any]) -> None:
        out.append({"id": f"risk-chart-{key}", "key": key, "title": title, "option": option})

    by_class = v.get("by_class", {})
    if by_class:
        add(
            "rates",
            gettext("各类检查发现问题率（应自 A 至 D 上升）"),
            _bars(
                list(by_class),
                [round(float(b["rate"] or 0) * 100, 2) for b in by_class.values()],
                [
                    f"{(b['rate'] or 0) * 100:.1f}% ({b['problems']}/{b['inspections']})"
                    for b in by_class.values()
                ],
                "#b03c3c",
            ),
        )
    population = v.get("population", {})
    if population:
        add(
            "population",
            gettext("验证快照各类主体数"),
            _bars(
                list(population),
                [float(n) for n in population.values()],
                [str(n) for n in population.values()],
                "#3c6fb0",
            ),
        )
    draw = v.get("draw", {})
    if draw:
        weighted, uniform = draw.get("weighted_problems") or 0, draw.get("uniform_problems") or 0
        add(
            "lift",
            gettext("同等抽查数量下预计发现问题的主体数（%(n)s 户）") % {"n": draw.get("size", "—")},
            _bars(
                [gettext("按类加权抽查"), gettext("等量随机抽查")],
                [float(weighted), float(uniform)],
                [str(weighted), str(uniform)],
                "#3c8f5a",
            ),
        )
    if v.get("roc"):
        add("roc", f"ROC（AUC {v.get('auc')}）", roc_option(v["roc"]))
    hist = v.get("histogram", {})
    counts = hist.get("counts", [])
    if counts:
        edges = hist.get("edges", [])
        add(
            "histogram",
            gettext("分值分布"),
            _bars(
                [str(edges[n]) for n in range(len(counts))],
                [float(c) for c in counts],
                [str(c) for c in counts],
                "#777",
            ),
        )
    return out
