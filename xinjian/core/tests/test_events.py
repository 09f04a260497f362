import pytest
from django.db import transaction

from xinjian.core.events import EventType, consume, emit, read_after
from xinjian.core.models import ConsumerCursor

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_emit_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        emit(EventType.PENALTY_RECORDED, uscc="x")


def test_an_event_rolled_back_with_its_change_never_appears():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        emit(EventType.PENALTY_RECORDED, uscc="A")
        raise ZeroDivisionError  # the change fails after its event was written
    assert read_after(0) == []


def test_consumers_keep_their_own_cursor_and_see_events_once():
    with transaction.atomic():
        for i in range(5):
            emit(EventType.PENALTY_RECORDED, uscc=f"U{i}")
    seen_a, seen_b = [], []
    assert consume("a", lambda evs: seen_a.extend(e.uscc for e in evs), batch=3) == 3
    assert consume("a", lambda evs: seen_a.extend(e.uscc for e in evs), batch=3) == 2
    assert consume("a", lambda evs: seen_a.extend(e.uscc for e in evs)) == 0
    consume("b", lambda evs: seen_b.extend(e.uscc for e in evs))
    assert seen_a == seen_b == [f"U{i}" for i in range(5)]


def test_a_failing_handler_leaves_the_cursor_where_it_was():
    with transaction.atomic():
        emit(EventType.PENALTY_RECORDED, uscc="A")

    def boom(events):
        raise RuntimeError("receiver down")

    with pytest.raises(RuntimeError):
        consume("c", boom)
    assert ConsumerCursor.objects.get(name="c").position == 0
    got = []
    consume("c", lambda evs: got.extend(evs))
    assert [e.uscc for e in got] == ["A"]
