"""`manage.py demo_inspections` builds a published task with its draw and results."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from xinjian.collection.models import Inspection
from xinjian.inspections.models import Task, TaskState

pytestmark = pytest.mark.django_db


def test_demo_creates_a_drawn_task_with_results_once(food_enterprises, risk_classes):
    food_enterprises(12)
    out = io.StringIO()
    call_command("demo_inspections", stdout=out)
    task = Task.objects.get()
    draw = task.current_draw()
    assert task.state == TaskState.RESULTS and draw.targets.exists()
    assert Inspection.objects.filter(source=f"inspections:{task.code}").count() == draw.targets.count()
    call_command("demo_inspections", stdout=out)
    assert Task.objects.count() == 1 and "nothing to do" in out.getvalue()
