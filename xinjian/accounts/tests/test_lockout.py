"""Issue 13 item 3: login throttling. Five wrong passwords for one username, or from one
address, lock it for the cool-off — on the staff login and the admin login alike; the
lockout is audited; an administrator lifts it (staff page or admin action). Wrong API
tokens from one address get the same treatment."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from xinjian.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
GOOD = "correct-horse-9"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _try(client, username, password, url=LOGIN, address="10.1.1.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(client, county_officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "nanshan", "wrong-password").status_code == 200  # the form again
    r = _try(client, "nanshan", "wrong-password")
    assert r.status_code == 429 and "登录已锁定" in r.content.decode()
    for address in ("10.1.1.1", "10.9.9.9"):  # per username: another address does not help
        r = _try(client, "nanshan", GOOD, address=address)
        assert r.status_code == 429 and not _logged_in(client)
    [entry] = AuditEntry.objects.filter(action="accounts.login.locked_out")
    assert entry.after["username"] == "nanshan"


def test_the_lock_ends_after_the_cool_off(client, county_officer, settings):
    start = timezone.now()
    with freeze_time(start):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _try(client, "nanshan", "wrong-password")
        assert _try(client, "nanshan", GOOD).status_code == 429
    with freeze_time(start + settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=5)):
        r = _try(client, "nanshan", GOOD)
        assert r.status_code == 302 and _logged_in(client)


def test_one_address_guessing_many_usernames_is_locked(client, county_officer, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _try(client, f"guess{i}", "wrong-password", address="10.6.6.6")
    assert _try(client, "nanshan", GOOD, address="10.6.6.6").status_code == 429
    r = _try(client, "nanshan", GOOD, address="10.7.7.7")
    assert r.status_code == 302 and _logged_in(client)


def test_the_admin_login_is_locked_too(client, settings):
    User.objects.create_superuser("root", password=GOOD)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "root", "wrong-password", url=url)
    assert _try(client, "root", GOOD, url=url).status_code == 429
    assert not _logged_in(client)


@pytest.fixture
def administrator(staff_factory):
    return staff_factory("440000", ["administrator"], "sysadmin")


def test_an_administrator_unlocks_from_the_staff_page_and_it_is_audited(
    client, county_officer, administrator, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "nanshan", "wrong-password")
    client.force_login(administrator)
    page = client.get("/staff/accounts/lockouts/").content.decode()
    assert "nanshan" in page
    r = client.post("/staff/accounts/lockouts/unlock/", {"username": "nanshan", "reason": "本人电话确认"})
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.login.unlocked")
    assert entry.actor_label == "sysadmin" and entry.reason == "本人电话确认" and entry.after["cleared"] >= 1
    client.logout()
    assert _try(client, "nanshan", GOOD).status_code == 302 and _logged_in(client)


def test_only_administrators_see_lockouts_and_a_reason_is_required(client, county_officer, administrator):
    client.force_login(county_officer)
    assert client.get("/staff/accounts/lockouts/").status_code == 403
    assert (
        client.post("/staff/accounts/lockouts/unlock/", {"username": "x", "reason": "r"}).status_code == 403
    )
    client.force_login(administrator)
    client.post("/staff/accounts/lockouts/unlock/", {"username": "nanshan"})
    client.post("/staff/accounts/lockouts/unlock/", {"address": "not-an-address", "reason": "r"})
    assert not AuditEntry.objects.filter(action="accounts.login.unlocked").exists()


def test_a_county_administrator_unlocks_only_staff_of_the_county(client, staff_factory, settings):
    staff_factory("440106", ["credit_officer"], "tianhe")
    county_admin = staff_factory("440305", ["administrator"], "nanshan_admin")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "tianhe", "wrong-password")
    client.force_login(county_admin)
    assert "tianhe" not in client.get("/staff/accounts/lockouts/").content.decode()
    client.post("/staff/accounts/lockouts/unlock/", {"username": "tianhe", "reason": "r"})
    assert not AuditEntry.objects.filter(action="accounts.login.unlocked").exists()


def test_the_admin_action_unlocks_with_an_audit_entry(client, county_officer, settings):
    from axes.models import AccessAttempt

    root = User.objects.create_superuser("root", password=GOOD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "nanshan", "wrong-password")
    client.force_login(root)
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    r = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock_attempts", "_selected_action": ids},
    )
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.login.unlocked", actor_label="root").exists()
    assert not AccessAttempt.objects.exists()


def _api(client, token, address="10.2.2.2"):
    return client.get("/api/v1/changes", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)


def test_repeated_wrong_api_tokens_lock_the_address(client, api_client_factory, administrator, settings):
    _, token = api_client_factory(scopes=["changes"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _api(client, "not-a-token").status_code == 401
    r = _api(client, token)
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_failures"
    assert _api(client, token, address="10.3.3.3").status_code == 200
    [entry] = AuditEntry.objects.filter(action="accounts.token.locked_out")
    assert entry.after["address"] == "10.2.2.2"
    client.force_login(administrator)
    assert "10.2.2.2" in client.get("/staff/accounts/lockouts/").content.decode()
    client.post("/staff/accounts/lockouts/unlock/", {"address": "10.2.2.2", "reason": "接入方已更换令牌"})
    assert _api(client, token).status_code == 200


def test_api_token_failures_spread_over_time_do_not_lock(client, api_client_factory, settings):
    _, token = api_client_factory(scopes=["changes"])
    start = timezone.now()
    for i in range(settings.AXES_FAILURE_LIMIT * 2):
        with freeze_time(start + i * (settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))):
            assert _api(client, "not-a-token").status_code == 401
    with freeze_time(start + 20 * settings.AXES_COOLOFF_TIME):
        assert _api(client, token).status_code == 200
