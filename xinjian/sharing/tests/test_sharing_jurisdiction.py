"""Issue 13 item 2: sharing is scoped like everything else. A county officer manages the
subscriptions of its county only, sees only their deliveries and dead letters about its
own enterprises, and never touches a province-wide subscription; a province credit
officer manages those."""

import pytest
from django.db import transaction

from xinjian.core.events import EventType, emit
from xinjian.sharing import actions
from xinjian.sharing.models import Delivery, DeliveryStatus, Feedback, Subscription

pytestmark = pytest.mark.django_db


def _sub(name, region_code=""):
    sub, _ = actions.create_subscription(
        actor="system",
        name=name,
        department="接收部门",
        endpoint="https://receiver.example.gov.cn/hook",
        event_types=["listing.added"],
        region_code=region_code,
    )
    return sub


def _delivery(sub, uscc, region_code, status=DeliveryStatus.DEAD):
    with transaction.atomic():
        event = emit(EventType.LISTING_ADDED, uscc=uscc, region_code=region_code)
    return Delivery.objects.create(subscription=sub, event=event, uscc=uscc, status=status)


@pytest.fixture
def world():
    province = _sub("全省推送")
    nanshan = _sub("南山推送", "440305")
    tianhe = _sub("天河推送", "440106")
    return {
        "province": province,
        "nanshan": nanshan,
        "tianhe": tianhe,
        "nanshan_dead": _delivery(nanshan, "N" * 18, "440305"),
        "tianhe_dead": _delivery(tianhe, "T" * 18, "440106"),
        "province_dead": _delivery(province, "P" * 18, "440104"),
    }


def test_a_county_officer_sees_only_its_countys_subscriptions_and_deliveries(client, county_officer, world):
    client.force_login(county_officer)
    page = client.get("/staff/sharing/").content.decode()
    assert "南山推送" in page and "天河推送" not in page and "全省推送" not in page
    page = client.get("/staff/sharing/deliveries/", {"status": "dead"}).content.decode()
    assert "N" * 18 in page and "T" * 18 not in page and "P" * 18 not in page


def test_a_county_officer_cannot_switch_off_or_replay_what_is_not_its_own(client, county_officer, world):
    client.force_login(county_officer)
    assert client.post(f"/staff/sharing/subscriptions/{world['province'].pk}/toggle/").status_code == 404
    assert client.post(f"/staff/sharing/subscriptions/{world['tianhe'].pk}/toggle/").status_code == 404
    assert client.post(f"/staff/sharing/deliveries/{world['tianhe_dead'].pk}/replay/").status_code == 404
    world["province"].refresh_from_db()
    assert world["province"].active
    assert client.post(f"/staff/sharing/subscriptions/{world['nanshan'].pk}/toggle/").status_code == 302
    assert client.post(f"/staff/sharing/deliveries/{world['nanshan_dead'].pk}/replay/").status_code == 302
    world["nanshan"].refresh_from_db()
    world["nanshan_dead"].refresh_from_db()
    assert not world["nanshan"].active and world["nanshan_dead"].status == DeliveryStatus.PENDING


@pytest.mark.parametrize("region_code", ["", "440106", "440300"])
def test_a_county_officer_creates_subscriptions_only_for_its_own_county(client, county_officer, region_code):
    client.force_login(county_officer)
    data = {
        "name": "越权订阅",
        "department": "某部门",
        "endpoint": "https://receiver.example.gov.cn/hook",
        "event_types": ["listing.added"],
        "region_code": region_code,
    }
    client.post("/staff/sharing/subscriptions/new/", data)
    assert not Subscription.objects.filter(name="越权订阅").exists()
    client.post("/staff/sharing/subscriptions/new/", {**data, "name": "本区订阅", "region_code": "440305"})
    assert Subscription.objects.filter(name="本区订阅", region_code="440305").exists()


def test_a_province_officer_manages_province_wide_subscriptions(client, province_officer, world):
    client.force_login(province_officer)
    page = client.get("/staff/sharing/deliveries/", {"status": "dead"}).content.decode()
    assert all(code * 18 in page for code in "NTP")
    assert client.post(f"/staff/sharing/subscriptions/{world['province'].pk}/toggle/").status_code == 302
    world["province"].refresh_from_db()
    assert not world["province"].active
    client.post(
        "/staff/sharing/subscriptions/new/",
        {
            "name": "全省新订阅",
            "department": "省发改委",
            "endpoint": "https://receiver.example.gov.cn/hook",
            "event_types": ["listing.added"],
            "region_code": "",
        },
    )
    assert Subscription.objects.filter(name="全省新订阅", region_code="").exists()


def test_the_action_itself_refuses_a_county_officer_on_a_province_wide_subscription(county_officer, world):
    from xinjian.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        actions.set_subscription_active(world["province"], False, actor=county_officer)


def test_feedback_shown_is_only_about_enterprises_in_the_jurisdiction(
    client, county_officer, enterprise_factory, api_client_factory
):
    mine, other = enterprise_factory(region_code="440305"), enterprise_factory(region_code="440106")
    api, _ = api_client_factory(scopes=["changes"])
    for e in (mine, other):
        Feedback.objects.create(
            client=api,
            uscc=e.uscc,
            measure="no_procurement",
            action_taken="取消投标资格",
            applied_on="2026-05-06",
        )
    client.force_login(county_officer)
    page = client.get("/staff/sharing/").content.decode()
    assert mine.uscc in page and other.uscc not in page
