import pytest

pytestmark = pytest.mark.django_db


def test_the_front_door_links_every_public_part(client):
    body = client.get("/").content.decode()
    for href in [
        "/public/",
        "/public/recent/",
        "/public/open-data/",
        "/public/lists/anomaly/",
        "/public/lists/serious/",
        "/public/lists/cases/",
        "/public/inspections/",
        "/accounts/login/",
    ]:
        assert f'href="{href}"' in body
        assert client.get(href).status_code == 200, href


def test_staff_are_sent_from_the_front_door_to_their_workbench(client, county_officer):
    client.force_login(county_officer)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/staff/"
