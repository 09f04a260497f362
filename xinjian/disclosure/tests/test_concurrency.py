"""A double-submitted "hide" of an enterprise's reply hides it once and reports
`reply.hidden` once (the reply workflow on the one engine, PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from xinjian.core.models import Event
from xinjian.core.tests.concurrency import concurrent, double_submit, one_success
from xinjian.disclosure import actions
from xinjian.disclosure.models import EnterpriseReply

pytestmark = concurrent


def test_a_double_submitted_hide_is_taken_once(enterprise_user, penalty_factory, county_officer):
    ent = enterprise_user.enterprise_user.enterprise
    p = penalty_factory(ent, decided_on=dt.date.today() - dt.timedelta(days=30))
    actions.publish_penalty(p, actor=county_officer, on=dt.date.today() - dt.timedelta(days=20))
    reply = actions.submit_reply(
        ent, record_kind="penalty", record_id=p.pk, text="已全部整改并缴纳罚款。", actor=enterprise_user
    )

    out = double_submit(
        lambda: EnterpriseReply.objects.get(pk=reply.pk),
        lambda r: actions.hide_reply(r, actor=county_officer, reason="含侮辱性内容"),
    )

    one_success(out)
    assert Event.objects.filter(type="reply.hidden", data__id=reply.pk).count() == 1
    assert [h.action for h in EnterpriseReply.objects.get(pk=reply.pk).history.all()] == ["submit", "hide"]
