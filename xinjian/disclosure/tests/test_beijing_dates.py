"""Issue 14 item 4: dates are Beijing dates. A reply made at 01:54 Beijing time (17:54
UTC the day before) is dated the Beijing day; "today" turns at 16:00 UTC."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from freezegun import freeze_time

from xinjian.core.workdays import local_day, today

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("utc", "beijing_day"),
    [
        ("2026-12-07 15:59:59+00:00", D(2026, 12, 7)),
        ("2026-12-07 16:00:00+00:00", D(2026, 12, 8)),
        ("2026-12-07 17:54:00+00:00", D(2026, 12, 8)),
    ],
)
def test_today_and_a_moment_turn_into_a_day_at_beijing_midnight(utc, beijing_day):
    with freeze_time(utc):
        assert today() == beijing_day
        assert local_day(dt.datetime.fromisoformat(utc)) == beijing_day
        rendered = Template("{% load xinjian %}{{ at|cn_date }}").render(
            Context({"at": dt.datetime.fromisoformat(utc)})
        )
        assert rendered == f"{beijing_day.year}年{beijing_day.month}月{beijing_day.day}日"


def test_a_reply_at_0154_beijing_time_shows_that_beijing_day(client, enterprise_user, penalty_factory):
    ent = enterprise_user.enterprise_user.enterprise
    with freeze_time("2026-12-01 10:00:00+08:00"):
        p = penalty_factory(ent, decision_no="深市监罚〔2026〕15号", published_on=D(2026, 11, 20))
    with freeze_time("2026-12-07 17:54:00+00:00"):  # 2026-12-08 01:54 in Beijing
        client.force_login(enterprise_user)
        r = client.post(
            "/public/my/records/",
            {"record_kind": "penalty", "record_id": p.pk, "text": "已全部整改并缴纳罚款。"},
        )
        assert r.status_code == 302
        client.logout()
        html = client.get(f"/public/enterprises/{ent.uscc}/").content.decode()
        block = html.split('data-decision="深市监罚〔2026〕15号"')[1].split("</article>")[0]
        assert "2026-12-08" in block and "2026-12-07" not in block
        reply = client.get(f"/api/v1/public/enterprises/{ent.uscc}").json()["penalties"][0]["reply"]
        assert reply["submitted_on"] == "2026-12-08"
        assert reply["submitted_at"].startswith("2026-12-08T01:54:00")
