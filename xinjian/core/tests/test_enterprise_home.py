"""The enterprise user's front door: after login they land on their own page, whose side
navigation leads to replies, commitments and credit repair; staff and the public do not."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def login(user, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": password}, follow=True)
    assert response.status_code == 200
    return client


def test_enterprise_user_lands_on_their_own_page_with_the_way_to_everything(enterprise_user):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "qiye", "password": "correct-horse-9"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/public/my/"
    body = response.content.decode()
    enterprise = enterprise_user.enterprise_user.enterprise
    assert enterprise.name in body and enterprise.uscc in body
    for url in ("/public/my/records/", "/public/my/commitments/", "/public/my/repair/"):
        assert f'href="{url}"' in body
        assert client.get(url).status_code == 200
    assert f'href="/public/enterprises/{enterprise.uscc}/"' in body
    # The side navigation follows them onto those pages.
    assert 'href="/public/my/repair/"' in client.get("/public/my/commitments/").content.decode()
    assert client.get("/staff/").status_code == 403


def test_staff_still_land_on_the_workbench_and_may_not_open_the_enterprise_page(county_officer):
    county_officer.set_password("pw-123456-x")
    county_officer.save()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": county_officer.username, "password": "pw-123456-x"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/staff/"
    assert client.get("/public/my/").status_code == 403


def test_anonymous_visitors_are_sent_to_login():
    response = Client().get("/public/my/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
