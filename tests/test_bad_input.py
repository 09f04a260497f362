"""Input no database can hold gets a clear 400, never a server error."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_string_is_refused_on_pages(client, county_officer):
    client.force_login(county_officer)
    response = client.get("/staff/enterprises/", {"q": "食品\x00"})
    assert response.status_code == 400


def test_a_nul_in_an_api_path_gets_the_error_shape(client):
    response = client.get("/api/v1/public/enterprises/9144%0003007152672")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_character"


def test_a_nul_inside_a_json_body_names_the_field(client, api_client_factory):
    _c, token = api_client_factory(scopes=["share", "changes", "constraints"])
    body = {
        "uscc": "91350100M000100Y43",
        "measure": "x\x00y",
        "applied_on": "2025-01-01",
        "action_taken": "a",
    }
    response = client.post(
        "/api/v1/feedback",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_character" and error["details"][0]["field"] == "measure"
