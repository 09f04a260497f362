"""An archived record travels through the record feed (issue 15 item 5's federation gap):
a record archived where it was collected reaches a puller as archived (`archived` on the
feed entry, interfaces.md v1.1 extended) and the puller archives its copy with the same
reason, audited and with its own `record.archived` event.

The "peer" here is this same instance read over its real feed view: a requests adapter
hands each request to Django's test client, so the pull runs the real Puller, the real
`GET /api/v1/records` and the real ingest; the copies are stored under the peer's name."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.test import Client

from xinjian.collection.actions import archive_record, ingest_records
from xinjian.collection.federation import Puller, PullError, local_records
from xinjian.collection.feed import read
from xinjian.collection.models import Inspection, Peer, Penalty
from xinjian.core.actors import Actor
from xinjian.core.events import EventType
from xinjian.core.models import AuditEntry, Event
from xinjian.disclosure.policy import visible_penalties

pytestmark = pytest.mark.django_db
PEER = "mirror"


class _ThroughDjango(requests.adapters.BaseAdapter):
    """Sends a request to this instance's URLconf through the test client."""

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:
        got = Client().get(request.path_url, headers={"Authorization": request.headers["Authorization"]})
        out = requests.Response()
        out.status_code, out._content, out.url = got.status_code, got.content, str(request.url)
        out.headers.update({"Content-Type": got.headers.get("Content-Type", "")})
        return out

    def close(self) -> None:
        pass


def _records(enterprise_factory) -> tuple[Any, Any]:
    ent = enterprise_factory(region_code="440305")
    ingest_records(
        "penalties",
        [
            {
                "source_id": "P-1",
                "uscc": ent.uscc,
                "decision_no": "深南市监罚〔2026〕1号",
                "decided_on": "2026-03-02",
                "decided_by": "深圳市南山区市场监督管理局",
                "domain": "food_safety",
                "violation": "生产不符合食品安全标准的食品",
                "penalty_types": ["fine"],
                "fine_amount": "5000",
            }
        ],
        actor=Actor("test"),
        source="gd-cases",
    )
    ingest_records(
        "inspections",
        [
            {
                "source_id": "I-1",
                "uscc": ent.uscc,
                "inspected_on": "2026-02-10",
                "inspected_by": "深圳市南山区市场监督管理局",
                "kind": "random",
                "result": "no_problem",
            }
        ],
        actor=Actor("test"),
        source="gd-cases",
    )
    return Penalty.objects.get(source="gd-cases"), Inspection.objects.get(source="gd-cases")


def _peer(api_client_factory) -> Any:
    """`pull()`: one run of a fresh Puller (as `manage.py pull` does) from the saved cursor."""
    _, token = api_client_factory(name=PEER, scopes=["share"])
    Peer.objects.create(name=PEER, url="http://peer.test", token=token)
    session = requests.Session()
    session.mount("http://peer.test/", _ThroughDjango())
    return lambda: Puller(Peer.objects.get(name=PEER), session=session).run()


def test_an_archived_record_is_in_the_feed_with_when_and_why(enterprise_factory, county_officer):
    penalty, inspection = _records(enterprise_factory)
    _, head, _ = read(0, 100)
    archive_record(penalty, actor=county_officer, reason="提供方重复报送")
    entries, _, _ = read(head, 100)
    assert [(e["kind"], e["record"]["source_id"]) for e in entries] == [("penalties", "P-1")]
    penalty.refresh_from_db()
    assert entries[0]["archived"] == {"at": penalty.archived_at.isoformat(), "reason": "提供方重复报送"}
    # Read from the start, the record comes as it stands now: archived; the other is not.
    everything = {e["record"].get("source_id"): e for e in read(0, 100)[0]}
    assert everything["P-1"]["archived"]["reason"] == "提供方重复报送"
    assert "archived" not in everything["I-1"]


def test_a_pull_archives_the_copy_of_a_record_archived_at_the_peer(
    enterprise_factory, county_officer, api_client_factory
):
    penalty, _ = _records(enterprise_factory)
    pull = _peer(api_client_factory)
    s = pull()
    copy = Penalty.objects.get(source=PEER, source_id="gd-cases/P-1")
    assert s.created == 2 and s.archived == 0 and copy.archived_at is None
    copy.published_on = penalty.decided_on
    copy.save(update_fields=["published_on"])
    assert copy in visible_penalties(Penalty.objects.all(), penalty.decided_on)

    archive_record(penalty, actor=county_officer, reason="企业名称错报")
    s = pull()
    copy.refresh_from_db()
    assert s.archived == 1 and copy.archived_at is not None
    assert copy.archive_reason == "企业名称错报" and copy.archived_by == f"peer:{PEER}"
    assert copy not in visible_penalties(Penalty.objects.all(), penalty.decided_on)
    assert Inspection.objects.get(source=PEER).archived_at is None  # only what was archived
    entry = AuditEntry.objects.filter(action="record.archived").order_by("-id").first()
    assert entry.uscc == copy.uscc and entry.reason == "企业名称错报"
    assert Event.objects.filter(type=EventType.RECORD_ARCHIVED, data__source=PEER).count() == 1
    # The copy's own archive is not sent back to the reader that supplied it, and a re-pull
    # from the start archives nothing twice.
    assert pull().received == 0
    Peer.objects.filter(name=PEER).update(cursor=0)
    again = pull()
    assert again.archived == 0 and again.created == 0
    assert AuditEntry.objects.filter(action="record.archived").count() == 2


def test_a_record_archived_before_the_first_pull_arrives_archived(
    enterprise_factory, county_officer, api_client_factory
):
    penalty, _ = _records(enterprise_factory)
    archive_record(penalty, actor=county_officer, reason="误报")
    s = _peer(api_client_factory)()
    copy = Penalty.objects.get(source=PEER)
    assert s.archived == 1 and copy.archived_at is not None and copy.archive_reason == "误报"


def test_a_malformed_archived_marker_is_refused():
    entry = {"kind": "penalties", "source": "x", "record": {"source_id": "1"}, "archived": "yes"}
    with pytest.raises(PullError):
        local_records([entry])
