"""Personas and builders shared by every app's tests (style.md §11).

- a county officer at 南山区 (440305), who sees only Nanshan;
- a city officer at 深圳市 (440300), who sees every Shenzhen county;
- a province officer at 广东省 (440000), who sees the whole province;
- an enterprise user, bound to one enterprise;
- an anonymous visitor.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from a thread with a running loop unless told this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import serial  # noqa: E402  (after the environment above)


def pytest_configure(config):
    """A fast password hasher for every test (issue 11 §7): PBKDF2's deliberate slowness was
    two-thirds of the non-browser run time. Production keeps Django's default hashers."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


_DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


class _ReplayEditor:
    """Just enough of a schema editor for data migrations replayed inside a test."""

    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


def _replay_data_migrations() -> None:
    """Run every data migration again, in dependency order, as `migrate` did on the
    fresh test database. The seeding functions are idempotent."""
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan: list = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [node for node in loader.graph.forwards_plan(leaf) if node not in plan]
    editor = _ReplayEditor(connection)
    for node in plan:
        for operation in loader.graph.nodes[node].operations:
            if isinstance(operation, RunPython) and operation.code is not RunPython.noop:
                operation.code(global_apps, editor)


@pytest.fixture(autouse=True, scope="session")
def _events_contract():
    """docs/events.md is a contract: while the suite runs, an action that changes
    something (writes an audit entry) without emitting its event fails the test that
    called it (xinjian.core.tests.event_contract)."""
    from xinjian.core.tests.event_contract import install

    install()


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the site's language. A request in English (the i18n tests)
    leaves English active in the thread afterwards, and the next test in the same worker
    would read English labels and dates."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path_factory):
    """Each test writes open data, documents and published audit-chain heads into its own
    VAR_DIR: a head another test's database published must not be judged against this
    test's audit trail (`audit_verify` checks every published head)."""
    settings.VAR_DIR = tmp_path_factory.mktemp("var")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (browser, concurrency) flush the database afterwards, taking
    the rows the data migrations seeded (divisions, departments, key-area types, rule
    tables, the calendar) with them: put them back for any test that uses the database."""
    if request.node.get_closest_marker("django_db") is None and not (
        _DB_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from xinjian.core.reference import ensure_loaded
    from xinjian.registry.models import Department

    if not Department.objects.exists():  # flushed by a transactional test
        _replay_data_migrations()
        ensure_loaded()


@pytest.fixture
def enterprise_factory(db):
    """`enterprise_factory(**fields)`: a register row (tests/factories.py)."""
    from tests.factories import EnterpriseFactory

    return EnterpriseFactory


@pytest.fixture
def licence_factory(db):
    """`licence_factory(enterprise, **fields)`: a valid food-production licence."""
    from tests.factories import LicenceFactory

    return lambda enterprise, **fields: LicenceFactory(enterprise=enterprise, **fields)


@pytest.fixture
def staff_factory(db):
    from django.contrib.auth.models import User

    from xinjian.accounts.models import StaffProfile
    from xinjian.registry.models import Department

    def make(division: str, roles: list[str] | None = None, username: str | None = None) -> User:
        username = username or f"staff{next(serial)}"
        user = User.objects.create_user(username, password="correct-horse-9")
        StaffProfile.objects.create(
            user=user,
            department=Department.objects.get(division_id=division),
            roles=roles or ["credit_officer"],
        )
        return user

    return make


@pytest.fixture
def county_officer(staff_factory):
    return staff_factory("440305", ["credit_officer"], "nanshan")


@pytest.fixture
def city_officer(staff_factory):
    return staff_factory("440300", ["credit_officer"], "shenzhen")


@pytest.fixture
def province_officer(staff_factory):
    return staff_factory("440000", ["credit_officer"], "guangdong")


@pytest.fixture
def inspector(staff_factory):
    return staff_factory("440305", ["inspector"], "inspector1")


@pytest.fixture
def enterprise_user(db, enterprise_factory):
    from django.contrib.auth.models import User

    from xinjian.accounts.models import EnterpriseUser

    enterprise = enterprise_factory()
    user = User.objects.create_user("qiye", password="correct-horse-9")
    EnterpriseUser.objects.create(user=user, enterprise=enterprise)
    return user


@pytest.fixture
def api_client_factory(db):
    """Issue an API client and return (client, token)."""
    from xinjian.sharing.models import ApiClient

    def make(name: str | None = None, scopes: list[str] | None = None, region_code: str = ""):
        return ApiClient.issue(name or f"client{next(serial)}", scopes or ["ingest"], region_code)

    return make


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(path):
        pytest.fail(f"Chromium not found at {path}: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _api_built_before_any_clock_is_frozen():
    """django-ninja builds the API's pydantic schemas when config.api is first imported;
    if that happens inside a test under freezegun, `datetime` is FakeDatetime and pydantic
    cannot build a schema for it (a test file that freezes every test and runs first in
    its worker failed whole)."""
    import config.urls  # noqa: F401
