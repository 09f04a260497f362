"""A double-submitted task step is taken once: one seed commitment, one event."""

from __future__ import annotations

from xinjian.core.models import Event
from xinjian.core.tests.concurrency import concurrent, double_submit, one_success
from xinjian.inspections import actions
from xinjian.inspections.models import Task

pytestmark = concurrent


def test_a_double_submitted_publication_publishes_one_commitment(food_task, supervisor):
    task = food_task()

    out = double_submit(
        lambda: Task.objects.get(pk=task.pk),
        lambda t: actions.publish_task(t, actor=supervisor),
    )

    one_success(out)
    published = Event.objects.filter(type="inspection.task_published", data__task=task.code)
    assert published.count() == 1
    assert published.get().data["commitment"] == Task.objects.get(pk=task.pk).commitment
    assert [h.action for h in Task.objects.get(pk=task.pk).history.all()] == ["create", "publish"]
