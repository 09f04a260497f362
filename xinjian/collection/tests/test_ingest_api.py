"""The ingest contract of interfaces.md, record by record."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time

from tests.factories import make_uscc
from xinjian.collection.models import (
    AnnualReport,
    BatchStatus,
    CommitmentRecord,
    Complaint,
    IngestBatch,
    Inspection,
    Licence,
    ListDecision,
    Penalty,
    RecordVersion,
    RejectedRecord,
)
from xinjian.core.models import Event
from xinjian.registry.models import Enterprise, KeyAreaTag

from .helpers import enterprise, licence, one_of_each, penalty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with freeze_time("2024-11-20 10:00:00"):
        yield


@pytest.fixture
def sender(api_client_factory, client):
    api, token = api_client_factory("enforcement-system", ["ingest"])

    def send(kind: str, records, *, token_=token, raw: bytes | None = None):
        body = raw if raw is not None else json.dumps({"records": records})
        return client.post(
            f"/api/v1/ingest/{kind}",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token_}",
        )

    send.client, send.token = api, token  # type: ignore[attr-defined]
    return send


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def test_penalties_are_stored_under_the_enterprise_with_an_event_each(sender, enterprise_factory):
    ent = enterprise_factory()
    body = ok(sender("penalties", [penalty(ent.uscc), penalty(ent.uscc)]))
    assert set(body) == {"batch_id", "received", "created", "updated", "unchanged", "rejected", "pending"}
    assert (body["received"], body["created"], body["updated"], body["unchanged"]) == (2, 2, 0, 0)
    assert body["rejected"] == [] and body["pending"] == []
    stored = list(Penalty.objects.filter(enterprise=ent))
    assert len(stored) == 2 and all(p.source == "enforcement-system" and p.batch_id for p in stored)
    assert all(p.published_on is None for p in stored)  # publication belongs to disclosure
    events = Event.objects.filter(type="penalty.recorded", uscc=ent.uscc)
    assert events.count() == 2
    assert {e.region_code for e in events} == {"440305"}
    assert {e.data["source_id"] for e in events} == {p.source_id for p in stored}


def test_penalties_carry_their_procedure_ordinary_by_default(sender, enterprise_factory):
    ent = enterprise_factory()
    ok(sender("penalties", [penalty(ent.uscc, source_id="S-1", procedure="simplified"), penalty(ent.uscc)]))
    assert {p.source_id == "S-1": p.procedure for p in Penalty.objects.filter(enterprise=ent)} == {
        True: "simplified",
        False: "ordinary",
    }


def test_the_same_batch_twice_is_all_unchanged(sender, enterprise_factory):
    ent = enterprise_factory()
    records = [penalty(ent.uscc), penalty(ent.uscc, fine_amount="12000.5")]
    ok(sender("penalties", records))
    events_before = Event.objects.count()
    body = ok(sender("penalties", records))
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 0, 2)
    assert Event.objects.count() == events_before
    assert Penalty.objects.count() == 2


def test_a_changed_record_is_updated_and_its_previous_version_kept(sender, enterprise_factory):
    ent = enterprise_factory()
    rec = penalty(ent.uscc, fine_amount=5000)
    ok(sender("penalties", [rec]))
    body = ok(sender("penalties", [{**rec, "fine_amount": 8000, "status": "revoked"}]))
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 1, 0)
    p = Penalty.objects.get()
    assert p.status == "revoked" and p.fine_amount == 8000
    version = RecordVersion.objects.get(record_id=p.pk, model="collection.penalty")
    assert float(version.data["fine_amount"]) == 5000 and version.data["status"] == "in_force"
    assert Event.objects.filter(type="penalty.changed", uscc=ent.uscc).count() == 1


def test_two_clients_with_the_same_source_id_keep_separate_records(
    sender, api_client_factory, enterprise_factory
):
    ent = enterprise_factory()
    _, other_token = api_client_factory("case-system", ["ingest"])
    rec = penalty(ent.uscc, source_id="SAME-1")
    ok(sender("penalties", [rec]))
    body = ok(sender("penalties", [{**rec, "fine_amount": 9999}], token_=other_token))
    assert body["created"] == 1
    assert sorted(Penalty.objects.values_list("source", flat=True)) == ["case-system", "enforcement-system"]


def test_a_record_omitting_published_on_keeps_the_date_disclosure_set(sender, enterprise_factory):
    ent = enterprise_factory()
    rec = penalty(ent.uscc)
    ok(sender("penalties", [rec]))
    Penalty.objects.update(published_on="2024-03-20")  # what disclosure does
    body = ok(sender("penalties", [rec]))
    assert body["unchanged"] == 1
    assert str(Penalty.objects.get().published_on) == "2024-03-20"


def test_migrated_records_may_carry_their_publication_date(sender, enterprise_factory):
    ent = enterprise_factory()
    ok(sender("penalties", [penalty(ent.uscc, published_on="2024-03-10")]))
    assert str(Penalty.objects.get().published_on) == "2024-03-10"


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"uscc": "91350100M000100Y44"}, "uscc", "invalid_uscc"),
        ({"uscc": ""}, "uscc", "required"),
        ({"decision_no": None}, "decision_no", "required"),
        ({"domain": "weather"}, "domain", "invalid_choice"),
        ({"penalty_types": ["warning", "spanking"]}, "penalty_types", "invalid_choice"),
        ({"penalty_types": "fine;confiscation", "fine_amount": ""}, "fine_amount", "fine_amount_required"),
        ({"decided_on": "2024-13-01"}, "decided_on", "invalid_date"),
        ({"decided_on": 20240301}, "decided_on", "invalid_date"),
        ({"decided_on": "2024-12-01"}, "decided_on", "future_date"),
        ({"fine_amount": -1}, "fine_amount", "negative_amount"),
        ({"fine_amount": "lots"}, "fine_amount", "invalid_amount"),
        ({"penalty_types": ["fine"], "fine_amount": None}, "fine_amount", "fine_amount_required"),
        (
            {"penalty_types": ["business_restriction"], "restriction_until": "2024-03-01"},
            "restriction_until",
            "date_order",
        ),
        ({"aggravated": "maybe"}, "aggravated", "invalid_bool"),
        ({"procedure": "on_the_spot"}, "procedure", "invalid_choice"),
        ({"decision_no": {"x": 1}}, "decision_no", "invalid_type"),
        ({"decided_by": "局" * 101}, "decided_by", "too_long"),
    ],
)
def test_invalid_penalties_are_rejected_with_field_code_and_chinese_message(
    sender, enterprise_factory, change, field, code
):
    ent = enterprise_factory()
    rec = {**penalty(ent.uscc), **change}
    body = ok(sender("penalties", [penalty(ent.uscc), rec]))
    assert body["created"] == 1
    [rejected] = body["rejected"]
    assert rejected["index"] == 1 and rejected["source_id"] == rec["source_id"]
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in rejected["errors"]
    ]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in rejected["errors"])
    kept = RejectedRecord.objects.get(batch_id=body["batch_id"])
    assert kept.record == json.loads(json.dumps(rec))  # stored as sent


def test_duplicate_keys_inside_one_batch_reject_the_later_record(sender, enterprise_factory):
    ent = enterprise_factory()
    rec = penalty(ent.uscc)
    body = ok(sender("penalties", [rec, penalty(ent.uscc), {**rec, "fine_amount": 1}]))
    assert body["created"] == 2
    assert body["rejected"][0]["index"] == 2
    assert body["rejected"][0]["errors"][0]["code"] == "duplicate_key"


def test_licence_numbers_must_have_the_shape_of_their_type(sender, enterprise_factory):
    ent = enterprise_factory()
    body = ok(
        sender(
            "licences",
            [
                licence(ent.uscc, licence_no="SC2014403000001"),  # an additive number on a food licence
                licence(ent.uscc, licence_type="special_equipment_production", licence_no="TS2310393-2025"),
                licence(ent.uscc, valid_until="2020-01-01"),
            ],
        )
    )
    assert body["created"] == 1
    codes = {r["index"]: r["errors"][0]["code"] for r in body["rejected"]}
    assert codes == {0: "invalid_licence_no", 2: "date_order"}


def test_a_granted_food_licence_tags_the_enterprise_and_its_revocation_untags_it(sender, enterprise_factory):
    ent = enterprise_factory()
    rec = licence(ent.uscc)
    ok(sender("licences", [rec]))
    assert KeyAreaTag.objects.get(enterprise=ent, type_id="food_production").active
    assert Event.objects.filter(type="licence.granted", uscc=ent.uscc).exists()
    body = ok(sender("licences", [{**rec, "status": "revoked"}]))
    assert body["updated"] == 1
    assert not KeyAreaTag.objects.get(enterprise=ent, type_id="food_production").active
    assert list(Event.objects.filter(uscc=ent.uscc).values_list("type", flat=True).order_by("id")) == [
        "licence.granted",
        "key_area.tagged",
        "licence.revoked",
        "key_area.untagged",
    ]


def test_every_kind_is_accepted_and_recorded_with_its_event(sender, enterprise_factory):
    ent = enterprise_factory()
    expected = {
        "licences": (Licence, "licence.granted"),
        "penalties": (Penalty, "penalty.recorded"),
        "inspections": (Inspection, "inspection.recorded"),
        "complaints": (Complaint, "complaint.recorded"),
        "annual-reports": (AnnualReport, "annual_report.filed"),
        "list-decisions": (ListDecision, "list_decision.recorded"),
        "commitments": (CommitmentRecord, "commitment.recorded"),
    }
    for kind, rec in one_of_each(ent.uscc).items():
        body = ok(sender(kind, [rec]))
        assert body["created"] == 1, (kind, body)
        model, event = expected[kind]
        assert model.objects.filter(enterprise=ent).count() == 1
        assert Event.objects.filter(type=event, uscc=ent.uscc).exists(), kind
    uscc = make_uscc("440305")
    body = ok(sender("enterprises", [enterprise(uscc)]))
    assert body["created"] == 1 and Event.objects.filter(type="enterprise.registered", uscc=uscc).exists()
    body = ok(sender("enterprises", [enterprise(uscc, name="新名称有限公司")]))
    assert body["updated"] == 1 and Event.objects.filter(type="enterprise.changed", uscc=uscc).exists()


def test_an_annual_report_is_keyed_by_uscc_and_year_and_only_its_source_may_change_it(
    sender, api_client_factory, enterprise_factory
):
    ent = enterprise_factory()
    rec = {"uscc": ent.uscc, "year": 2023, "filed_on": "2024-05-20"}
    ok(sender("annual-reports", [rec]))
    assert ok(sender("annual-reports", [rec]))["unchanged"] == 1
    assert ok(sender("annual-reports", [{**rec, "filed_on": "2024-06-01"}]))["updated"] == 1
    _, other = api_client_factory("other-system", ["ingest"])
    body = ok(sender("annual-reports", [{**rec, "filed_on": "2024-07-01"}], token_=other))
    assert body["rejected"][0]["errors"][0]["code"] == "other_source"
    assert (
        ok(sender("annual-reports", [{**rec, "year": 2024}]))["rejected"][0]["errors"][0]["code"]
        == "date_order"
    )
    assert AnnualReport.objects.get().filed_on.isoformat() == "2024-06-01"


def test_records_for_an_unknown_enterprise_wait_as_pending_and_attach_when_it_arrives(sender):
    uscc = make_uscc("440305")
    records = [penalty(uscc), licence(uscc)]
    body = ok(sender("penalties", [records[0]]))
    assert body["created"] == 1
    assert body["pending"] == [
        {"index": 0, "source_id": records[0]["source_id"], "reason": "unknown_enterprise"}
    ]
    ok(sender("licences", [records[1]]))
    assert Penalty.objects.get().enterprise is None
    ok(sender("enterprises", [enterprise(uscc)]))
    ent = Enterprise.objects.get(uscc=uscc)
    assert Penalty.objects.get().enterprise == ent
    assert Licence.objects.get().enterprise == ent
    assert KeyAreaTag.objects.get(enterprise=ent).active  # the attached licence tags at once
    attached = Event.objects.filter(uscc=uscc, data__attached=True)
    assert sorted(attached.values_list("type", flat=True)) == ["licence.changed", "penalty.changed"]
    assert {e.region_code for e in attached} == {"440305"}


def test_older_records_naming_the_registration_number_match_the_enterprise(sender, enterprise_factory):
    ent = enterprise_factory(registration_no="440301103456789")
    ok(sender("penalties", [penalty("440301103456789")]))
    p = Penalty.objects.get()
    assert p.enterprise == ent and p.uscc == ent.uscc
    uscc = make_uscc("440305")
    ok(sender("inspections", [one_of_each(uscc)["inspections"] | {"uscc": "440301109999999"}]))
    ok(sender("enterprises", [enterprise(uscc, registration_no="440301109999999")]))
    i = Inspection.objects.get()
    assert i.enterprise.uscc == uscc and i.uscc == uscc


def test_the_batch_can_be_read_back_with_rejected_records_as_sent(
    sender, enterprise_factory, api_client_factory, client
):
    ent = enterprise_factory()
    bad = penalty(ent.uscc, domain="nope")
    body = ok(sender("penalties", [penalty(ent.uscc), bad]))
    token = api_client_factory("reader", ["ingest"])[1]
    got = client.get(f"/api/v1/ingest/batches/{body['batch_id']}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert got.status_code == 404  # another client's batch
    batch = IngestBatch.objects.get(pk=body["batch_id"])
    assert batch.status == BatchStatus.COMPLETED and batch.rejected_count == 1
    resp = client.get(
        f"/api/v1/ingest/batches/{body['batch_id']}", HTTP_AUTHORIZATION=f"Bearer {sender.token}"
    )
    data = ok(resp)
    assert (data["received"], data["created"]) == (2, 1)
    assert data["rejected"][0]["record"] == json.loads(json.dumps(bad))
    assert data["rejected"][0]["errors"][0]["code"] == "invalid_choice"


@pytest.mark.parametrize(
    "raw, status, code",
    [
        (b"{not json", 400, "malformed_json"),
        (b"\xff\xfe", 400, "malformed_json"),
        (b"[]", 400, "missing_records"),
        (b'{"rows": []}', 400, "missing_records"),
        (b'{"records": {"a": 1}}', 400, "invalid_records"),
        (b"null", 400, "missing_records"),
    ],
)
def test_malformed_bodies_are_400_with_the_error_shape(sender, raw, status, code):
    resp = sender("penalties", None, raw=raw)
    assert resp.status_code == status
    assert resp.json()["error"]["code"] == code
    assert set(resp.json()["error"]) == {"code", "message", "details"}


def test_more_than_ten_thousand_records_is_413(sender):
    resp = sender("penalties", [{}] * 10_001)
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "too_many_records"
    assert not IngestBatch.objects.exists()


def test_garbage_records_are_rejected_not_500(sender):
    body = ok(
        sender(
            "penalties",
            [
                1,
                "x",
                None,
                [],
                {"uscc": 5, "penalty_types": {"a": 1}, "fine_amount": [1]},
                {"decided_on": "9999-99-99", "aggravated": 3.5},
            ],
        )
    )
    assert body["received"] == 6 and len(body["rejected"]) == 6
    assert body["rejected"][0]["errors"][0]["code"] == "not_an_object"


def test_unknown_kind_is_404_and_tokens_are_checked(sender, api_client_factory, client):
    assert sender("weather", []).status_code == 404
    assert client.post("/api/v1/ingest/penalties", "{}", content_type="application/json").status_code == 401
    _, token = api_client_factory("reader", ["risk"])
    resp = sender("penalties", [], token_=token)
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "missing_scope"


def test_text_a_database_cannot_hold_is_rejected_and_still_kept(sender, enterprise_factory):
    ent = enterprise_factory()
    raw = (
        '{"records": ['
        + json.dumps(penalty(ent.uscc, violation="a\u0000b"))
        + ', {"source_id": "X\\ud800", "uscc": "\\u0000", "domain": "\\udfff"}'
        + ", "
        + json.dumps(penalty(ent.uscc, scope=1, legal_basis="依据\ud83d\ude00"))
        + "]}"
    ).encode("utf-8", "surrogatepass")
    body = ok(sender("penalties", None, raw=raw))
    assert body["created"] == 1
    assert [r["index"] for r in body["rejected"]] == [0, 1]
    assert body["rejected"][0]["errors"][0]["code"] == "invalid_text"
    assert RejectedRecord.objects.filter(batch_id=body["batch_id"]).count() == 2


def test_an_old_registration_number_belongs_to_one_enterprise(sender, enterprise_factory):
    enterprise_factory(registration_no="440301100000001")
    a, b = make_uscc("440305"), make_uscc("440305")
    body = ok(
        sender(
            "enterprises",
            [
                enterprise(a, registration_no="440301100000001"),
                enterprise(b, registration_no="440301100000002"),
                enterprise(make_uscc("440305"), registration_no="440301100000002"),
            ],
        )
    )
    assert body["created"] == 1
    assert [(r["index"], r["errors"][0]["code"]) for r in body["rejected"]] == [
        (0, "registration_no_taken"),
        (2, "registration_no_taken"),
    ]
