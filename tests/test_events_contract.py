"""docs/events.md against the code: every event type documented and in the enum, every
action with its row, the workflow tables naming documented events, and the session-wide
checker (installed by the root conftest) catching an action that forgets its event."""

from __future__ import annotations

import pytest
from django.db import transaction

from xinjian.core import audit
from xinjian.core.events import EventType, emit
from xinjian.core.tests.event_contract import actions, catalogue, checked, rows
from xinjian.core.workflow import REGISTRY


def test_every_event_type_is_documented_and_every_documented_type_exists():
    values = {str(t) for t in EventType}
    assert catalogue() == values
    named = set().union(*(r.events for r in rows().values()))
    assert named <= values, named - values


def test_every_action_has_a_row_and_every_row_an_action():
    assert set(actions()) == set(rows())


def test_every_action_reports_an_event():
    assert {a for a, r in rows().items() if not r.events} == set()


def test_workflow_steps_report_documented_events():
    documented = set().union(*(r.events for r in rows().values()))
    for wf in REGISTRY.values():
        for action, t in wf.transitions.items():
            assert t.event, f"{wf.name}.{action} reports no event"
            assert str(t.event) in documented, f"{wf.name}.{action}: {t.event} is not in docs/events.md"


@pytest.mark.django_db
def test_the_checker_fails_an_audited_change_without_its_event(enterprise_factory):
    e = enterprise_factory()

    @transaction.atomic
    def forgets(enterprise):
        audit.record("test.change", enterprise, actor="system")

    @transaction.atomic
    def reports(enterprise):
        audit.record("test.change", enterprise, actor="system")
        emit(EventType.ENTERPRISE_CHANGED, uscc=enterprise.uscc)

    with pytest.raises(AssertionError, match="emitted none of"):
        checked("test.forgets", forgets, frozenset({"enterprise.changed"}))(e)
    checked("test.reports", reports, frozenset({"enterprise.changed"}))(e)


def test_the_checker_is_installed_on_the_actions():
    from xinjian.lists import actions as lists

    assert getattr(lists.publish_serious, "__contract_checked__", False)
    assert getattr(lists.revoke_serious, "__contract_checked__", False) is False  # "only when"
