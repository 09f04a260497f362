"""Issue 15: the demo works for whichever province is configured — every demo login, not
only the province-level one, works in that province's own city and counties, and the
stories that need them (list procedures with a hearing, the association) run there too."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from xinjian.commitments.models import VerificationSample
from xinjian.demo.places import demo_places, short_name
from xinjian.demo.users import DEMO_PASSWORD, LOGINS, demo_enterprise, logins
from xinjian.integrity.models import IndustryAssociation
from xinjian.lists.models import SeriousListing
from xinjian.registry import models as rm
from xinjian.registry.seeding import load_departments

pytestmark = pytest.mark.django_db


@pytest.fixture
def jiangsu(settings):
    settings.XINJIAN_PROVINCE = "320000"
    load_departments("320000", Division=rm.Division, Department=rm.Department, Office=rm.Office)
    call_command("demo", enterprises=300, seed=3, stdout=io.StringIO())


def test_places_of_guangdong_stay_and_other_provinces_get_their_own(settings):
    gd = demo_places("440000")
    assert (gd.city, gd.county, gd.county2, gd.other_county) == ("440300", "440305", "440306", "440104")
    assert gd.county_full == "深圳市南山区" and gd.short == "深南" and gd.abbreviation == "粤"
    js = demo_places("320000")
    assert (js.city, js.county, js.county2) == ("320100", "320102", "320104")  # 南京市玄武区, 秦淮区
    assert js.other_county.startswith("32") and js.other_county[:4] != "3201"
    assert js.abbreviation == "苏" and js.short == "南玄"
    assert [short_name(n) for n in ("广西壮族自治区", "北京市", "江苏省")] == ["广西", "北京", "江苏"]


def test_every_demo_login_works_in_the_configured_province(jiangsu, client):
    places = demo_places()
    resolved = logins()
    assert {x.username for x in resolved} == {x.username for x in LOGINS}
    for login in resolved:
        user = User.objects.get(username=login.username)
        if login.division:
            assert user.staff_profile.department.division_id == login.division
            assert login.division.startswith("32"), login
    labels = " ".join(x.role_label + x.can for x in resolved)
    assert "玄武区" in labels and "南京市" in labels and "南山" not in labels and "深圳" not in labels

    company = demo_enterprise()
    assert company is not None and company.region_code == places.county
    assert User.objects.get(username="demo_enterprise").enterprise_user.enterprise == company

    # The county officer sees the county's enterprise and not one of another county.
    elsewhere = rm.Enterprise.objects.filter(source="demo").exclude(region_code=places.county).first()
    r = client.post("/accounts/login/", {"username": "demo_nanshan", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    assert client.get(f"/staff/enterprises/{company.uscc}/").status_code == 200
    assert client.get(f"/staff/enterprises/{elsewhere.uscc}/").status_code == 404

    # The list-procedure story (hearing, decision after a hearing) ran in the county.
    demo_listings = SeriousListing.objects.filter(enterprise__region_code=places.county)
    assert demo_listings.filter(decision_no__startswith="南玄市监").exists()
    assert IndustryAssociation.objects.filter(name="南京市玄武区食品行业协会").exists()

    # The commitments demo draws its sample in the province and verifies in the county.
    call_command("demo_commitments", stdout=io.StringIO())
    assert VerificationSample.objects.filter(region_prefix="32", selected__gt=0).exists()

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "区局信用监管人员（玄武区）" in text and "审批负责人（南京市）" in text
    assert "南山" not in text and "深圳" not in text
