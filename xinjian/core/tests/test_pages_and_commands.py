import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from xinjian.collection.models import Licence

pytestmark = pytest.mark.django_db


def test_calendar_page_explains_a_deadline_and_marks_provisional_ones(client, county_officer):
    client.force_login(county_officer)
    body = client.get(reverse("calendar"), {"start": "2025-09-26", "days": "20"}).content.decode()
    assert "2025年10月30日" in body and "含调休上班日" in body
    body = client.get(reverse("calendar"), {"start": "2026-12-10", "days": "20"}).content.decode()
    assert "临时期限" in body
    body = client.get(reverse("calendar"), {"start": "not-a-date", "days": "20"}).content.decode()
    assert "请输入有效的日期" in body


def test_dashboard_counts_only_the_jurisdiction(client, county_officer, enterprise_factory):
    enterprise_factory(region_code="440305")
    enterprise_factory(region_code="440304")
    client.force_login(county_officer)
    response = client.get(reverse("home"))
    assert response.context["enterprise_count"] == 1


def test_run_clocks_expires_licences_once_per_date(enterprise_factory, licence_factory):
    e = enterprise_factory()
    licence_factory(e, valid_until=dt.date(2025, 6, 30))
    out = io.StringIO()
    call_command("run_clocks", "--date", "2025-07-01", stdout=out)
    assert "licence_expiry" in out.getvalue()
    assert Licence.objects.get(enterprise=e).status == "expired"
    again = io.StringIO()
    call_command("run_clocks", "--date", "2025-07-01", stdout=again)
    lines = [line for line in again.getvalue().splitlines() if line.startswith("licence_expiry")]
    assert lines and lines[0].split()[1] == "0"


def test_run_clocks_dry_run_changes_nothing(enterprise_factory, licence_factory):
    e = enterprise_factory()
    licence_factory(e, valid_until=dt.date(2025, 6, 30))
    out = io.StringIO()
    call_command("run_clocks", "--date", "2025-07-01", "--dry-run", stdout=out)
    assert Licence.objects.get(enterprise=e).status == "valid"
    assert "due" in out.getvalue()


def test_run_clocks_rejects_a_malformed_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_clocks", "--date", "2025-13-01")


def test_create_api_client_prints_the_token_alone_on_its_last_line():
    from xinjian.sharing.models import ApiClient, hash_token

    out = io.StringIO()
    call_command(
        "create_api_client",
        "enforcement-system",
        "--scopes",
        "ingest,constraints",
        "--region",
        "440300",
        stdout=out,
    )
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="enforcement-system")
    assert client.token_hash == hash_token(token) and client.scopes == ["ingest", "constraints"]
    assert client.region_code == "440300"


def test_create_api_client_refuses_unknown_scopes():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_client", "x", "--scopes", "ingest,everything")
