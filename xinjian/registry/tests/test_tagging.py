import datetime as dt

import pytest

from xinjian.collection.actions import change_licence_status, expire_licences
from xinjian.collection.tagging import apply_licence_changes
from xinjian.core.actors import Actor
from xinjian.core.errors import DomainError
from xinjian.core.models import AuditEntry, Event
from xinjian.registry.actions import tag_by_hand, untag_by_hand
from xinjian.registry.models import KeyAreaTag, KeyAreaTagHistory, KeyAreaType

pytestmark = pytest.mark.django_db
SYSTEM = Actor("system:test")


def active_types(enterprise):
    return set(
        KeyAreaTag.objects.filter(enterprise=enterprise, active=True).values_list("type_id", flat=True)
    )


def test_a_valid_sc1_licence_tags_food_production(enterprise_factory, licence_factory):
    e = enterprise_factory()
    lic = licence_factory(e, licence_no="SC10144030500017")
    assert apply_licence_changes([lic], actor=SYSTEM, on=dt.date(2025, 1, 1)) == 1
    assert active_types(e) == {"food_production"}
    h = KeyAreaTagHistory.objects.get(enterprise=e)
    assert h.action == "tagged" and h.source == "licence" and "SC10144030500017" in h.reason
    assert Event.objects.filter(
        type="key_area.tagged", uscc=e.uscc, data__key_area="food_production"
    ).exists()
    assert AuditEntry.objects.filter(action="key_area.tagged", uscc=e.uscc).exists()


def test_sc2_licence_tags_food_additive_and_ts_tags_special_equipment(enterprise_factory, licence_factory):
    e = enterprise_factory()
    a = licence_factory(e, licence_type="food_additive_production", licence_no="SC20144030500018")
    b = licence_factory(e, licence_type="special_equipment_production", licence_no="TS2310393-2025")
    apply_licence_changes([a, b], actor=SYSTEM, on=dt.date(2025, 1, 1))
    assert active_types(e) == {"food_additive_production", "special_equipment_production"}


def test_disabled_types_do_not_tag(enterprise_factory, licence_factory):
    e = enterprise_factory()
    lic = licence_factory(e, licence_type="food_business", licence_no="JY14403050001234")
    assert not KeyAreaType.objects.get(code="food_business").enabled
    assert apply_licence_changes([lic], actor=SYSTEM, on=dt.date(2025, 1, 1)) == 0


def test_revoking_the_licence_untags_the_same_day_with_history(enterprise_factory, licence_factory):
    e = enterprise_factory()
    lic = licence_factory(e)
    apply_licence_changes([lic], actor=SYSTEM, on=dt.date(2025, 1, 1))
    change_licence_status(lic, "revoked", actor=SYSTEM, reason="吊销许可决定", on=dt.date(2025, 3, 1))
    assert active_types(e) == set()
    actions = list(
        KeyAreaTagHistory.objects.filter(enterprise=e).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["tagged", "untagged"]
    assert Event.objects.filter(type="licence.revoked", uscc=e.uscc).exists()
    assert Event.objects.filter(type="key_area.untagged", uscc=e.uscc).exists()


def test_a_second_valid_licence_keeps_the_tag(enterprise_factory, licence_factory):
    e = enterprise_factory()
    first = licence_factory(e)
    second = licence_factory(e)
    apply_licence_changes([first, second], actor=SYSTEM, on=dt.date(2025, 1, 1))
    change_licence_status(first, "cancelled", actor=SYSTEM, reason="申请注销", on=dt.date(2025, 3, 1))
    assert active_types(e) == {"food_production"}


def test_expiry_clock_untags_on_the_day_after_validity_and_is_idempotent(enterprise_factory, licence_factory):
    e = enterprise_factory()
    lic = licence_factory(e, valid_until=dt.date(2025, 6, 30))
    apply_licence_changes([lic], actor=SYSTEM, on=dt.date(2025, 1, 1))
    assert expire_licences(dt.date(2025, 6, 30), actor=SYSTEM) == 0  # last valid day
    assert active_types(e) == {"food_production"}
    assert expire_licences(dt.date(2025, 7, 1), actor=SYSTEM) == 1
    assert active_types(e) == set()
    assert expire_licences(dt.date(2025, 7, 1), actor=SYSTEM) == 0
    assert KeyAreaTagHistory.objects.filter(enterprise=e, action="untagged").count() == 1


def test_hand_tagging_needs_a_reason_and_is_recorded(enterprise_factory, county_officer):
    e = enterprise_factory()
    t = KeyAreaType.objects.get(code="special_equipment_filling")
    with pytest.raises(DomainError):
        tag_by_hand(e, t, actor=county_officer, reason="  ")
    tag_by_hand(e, t, actor=county_officer, reason="现场核查确认从事气瓶充装")
    assert active_types(e) == {"special_equipment_filling"}
    with pytest.raises(DomainError):
        tag_by_hand(e, t, actor=county_officer, reason="again")
    untag_by_hand(e, t, actor=county_officer, reason="已停止充装业务")
    history = list(KeyAreaTagHistory.objects.filter(enterprise=e).order_by("id"))
    assert [(h.action, h.source, h.actor_label) for h in history] == [
        ("tagged", "manual", "nanshan"),
        ("untagged", "manual", "nanshan"),
    ]
    entry = AuditEntry.objects.filter(action="key_area.untagged", uscc=e.uscc).get()
    assert entry.before == {"active": True} and entry.after == {"active": False}
    assert entry.actor_user == county_officer


def test_a_licence_lapse_does_not_remove_a_manual_tag(enterprise_factory, licence_factory, county_officer):
    e = enterprise_factory()
    tag_by_hand(e, KeyAreaType.objects.get(code="food_production"), actor=county_officer, reason="核查确认")
    lic = licence_factory(e, status="expired")
    apply_licence_changes([lic], actor=SYSTEM, on=dt.date(2025, 1, 1))
    assert active_types(e) == {"food_production"}


def test_a_new_licence_tags_again_after_a_manual_untag(enterprise_factory, licence_factory, county_officer):
    e = enterprise_factory()
    first = licence_factory(e)
    apply_licence_changes([first], actor=SYSTEM, on=dt.date(2025, 1, 1))
    untag_by_hand(e, KeyAreaType.objects.get(code="food_production"), actor=county_officer, reason="停产")
    renewed = licence_factory(e, issued_on=dt.date(2025, 2, 1))
    apply_licence_changes([renewed], actor=SYSTEM, on=dt.date(2025, 2, 1))
    assert active_types(e) == {"food_production"}
