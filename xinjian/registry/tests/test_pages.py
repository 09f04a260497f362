import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_county_officer_gets_404_for_an_enterprise_of_another_county(
    client, county_officer, enterprise_factory
):
    other = enterprise_factory(region_code="440304")  # 福田区
    own = enterprise_factory(region_code="440305")
    client.force_login(county_officer)
    assert client.get(reverse("registry:detail", args=[other.uscc])).status_code == 404
    assert client.get(reverse("registry:detail", args=[own.uscc])).status_code == 200


def test_city_and_province_officers_see_their_counties(
    client, city_officer, province_officer, enterprise_factory
):
    futian = enterprise_factory(region_code="440304")
    guangzhou = enterprise_factory(region_code="440106")
    client.force_login(city_officer)
    assert client.get(reverse("registry:detail", args=[futian.uscc])).status_code == 200
    assert client.get(reverse("registry:detail", args=[guangzhou.uscc])).status_code == 404
    client.force_login(province_officer)
    assert client.get(reverse("registry:detail", args=[guangzhou.uscc])).status_code == 200


def test_search_lists_only_the_jurisdiction(client, county_officer, enterprise_factory):
    enterprise_factory(region_code="440305", name="南山甲食品有限公司")
    enterprise_factory(region_code="440304", name="福田乙食品有限公司")
    client.force_login(county_officer)
    body = client.get(reverse("registry:search"), {"q": "食品"}).content.decode()
    assert "南山甲食品有限公司" in body and "福田乙食品有限公司" not in body


def test_search_by_old_registration_number_and_lower_case_uscc(client, county_officer, enterprise_factory):
    e = enterprise_factory(registration_no="440301103456789", name="老字号酱油厂")
    client.force_login(county_officer)
    assert "老字号酱油厂" in client.get(reverse("registry:search"), {"q": "440301103456789"}).content.decode()
    assert "老字号酱油厂" in client.get(reverse("registry:search"), {"q": e.uscc.lower()}).content.decode()


def test_anonymous_visitors_are_sent_to_login_and_enterprise_users_refused(client, enterprise_user):
    url = reverse("registry:search")
    assert client.get(url).status_code == 302
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403


def test_manual_tag_through_the_page(client, county_officer, enterprise_factory):
    e = enterprise_factory()
    client.force_login(county_officer)
    r = client.post(
        reverse("registry:change_tag", args=[e.uscc]),
        {"action": "tag", "type": "special_equipment_filling", "reason": "现场核查"},
    )
    assert r.status_code == 302
    page = client.get(reverse("registry:detail", args=[e.uscc])).content.decode()
    assert "现场核查" in page and "移动式压力容器/气瓶充装单位" in page


def test_inspector_cannot_tag(client, inspector, enterprise_factory):
    e = enterprise_factory()
    client.force_login(inspector)
    r = client.post(
        reverse("registry:change_tag", args=[e.uscc]),
        {"action": "tag", "type": "food_production", "reason": "x"},
    )
    assert r.status_code == 403


def test_key_area_list_filters_and_exports_excel(client, county_officer, enterprise_factory, licence_factory):
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from xinjian.collection.tagging import apply_licence_changes
    from xinjian.core.actors import Actor

    food = enterprise_factory(name="南山食品厂")
    boiler = enterprise_factory(name="南山锅炉厂")
    outside = enterprise_factory(region_code="440304", name="福田食品厂")
    lics = [
        licence_factory(food),
        licence_factory(outside),
        licence_factory(boiler, licence_type="special_equipment_production", licence_no="TS2310393-2025"),
    ]
    apply_licence_changes(lics, actor=Actor("t"), on=dt.date(2025, 1, 1))
    client.force_login(county_officer)
    page = client.get(reverse("registry:key_area_list"), {"type": "food_production"}).content.decode()
    assert "南山食品厂" in page and "南山锅炉厂" not in page and "福田食品厂" not in page
    r = client.get(reverse("registry:key_area_export"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码"
    assert {row[1] for row in rows[1:]} == {"南山食品厂", "南山锅炉厂"}
