from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .access import enterprise_user, public, staff
from .jurisdiction import user_region_prefix
from .models import CalendarDay, CalendarYear
from .panels import enterprise_workbench, staff_workbench
from .workbench import charts as workbench_charts
from .workbench import enterprise_todo, ordered
from .workbench import todo as workbench_todo
from .workdays import add_working_days, today


@public
def landing(request: HttpRequest) -> HttpResponse:
    """The front door: staff go to their workbench, everyone else to public search."""
    if user_region_prefix(request.user) is not None:
        return redirect("home")
    if getattr(request.user, "enterprise_user", None) is not None:
        return redirect("my_home")
    if getattr(request.user, "association_user", None) is not None:
        return redirect("association:home")
    return render(request, "core/landing.html")


@enterprise_user
def my_home(request: HttpRequest) -> HttpResponse:
    """An enterprise user's front door: what is published about their enterprise and what
    they can do about it (replies, commitments, credit repair), with what is pending. Each
    app contributes its card (`core.panels.enterprise_workbench`)."""
    enterprise = request.enterprise  # type: ignore[attr-defined]
    on = today()
    queues = enterprise_todo.collect(request, enterprise)
    cards = enterprise_workbench.render(request, enterprise)
    return render(
        request,
        "core/my_home.html",
        {
            "enterprise": enterprise,
            "cards": cards,
            "queues": queues,
            "todos": ordered(queues, on),
            "overdue": sum(q.overdue(on) for q in queues),
            "today": on,
        },
    )


@staff()
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff workbench: this person's to-do list — what awaits them in their
    jurisdiction and role, overdue first, each with its deadline and a link to where it is
    done — then the charts and the counters. Each app contributes its queues, charts and
    cards (`core.workbench`, `core.panels.staff_workbench`)."""
    on = today()
    queues = workbench_todo.collect(request, request.user)
    charts = workbench_charts.collect(request, request.user)
    for n, chart in enumerate(charts, start=1):
        chart["id"] = f"chart-{n}"
    return render(
        request,
        "core/dashboard.html",
        {
            "queues": queues,
            "todos": ordered(queues, on),
            "overdue": sum(q.overdue(on) for q in queues),
            "charts": charts,
            "cards": staff_workbench.render(request, request.user),
            "today": on,
        },
    )


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(min_value=1, max_value=9999, required=False)


@staff()
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The working-day calendar in force, and a deadline calculator that says how it counts."""
    deadline, error = None, ""
    start_raw = request.GET.get("start", "")
    days_raw = request.GET.get("days", "20")
    if start_raw:
        try:
            start = dt.date.fromisoformat(start_raw)
            days = int(days_raw)
            if not 0 <= days <= 365:
                raise ValueError
            deadline = add_working_days(start, days)
        except ValueError:
            error = "请输入有效的日期（YYYY-MM-DD）和0–365之间的工作日数"
    # A calendar year outside 1–9999 has no dates (a 500 once): the form bounds it.
    shown = CalendarYearForm(request.GET)
    year = shown.cleaned_data["year"] if shown.is_valid() and shown.cleaned_data["year"] else today().year
    return render(
        request,
        "core/calendar.html",
        {
            "years": CalendarYear.objects.all(),
            "year": year,
            "year_known": CalendarYear.objects.filter(year=year).exists(),
            "days": CalendarDay.objects.filter(day__year=year),
            "deadline": deadline,
            "error": error,
            "start": start_raw,
            "n": days_raw,
        },
    )
