"""The API under a real fuzzer (schemathesis): generated requests for every operation in
the OpenAPI document, authorised with a token holding every scope. Whatever arrives, the
answer is never a 5xx, and documented responses match their schemas."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The fuzzer calls the WSGI app directly, so Django's request signals would close
    the database connection that holds the test's transaction (Django's own test client
    disconnects them the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(api_client_factory):
    _client, token = api_client_factory("fuzzer", ["ingest", "constraints", "risk", "changes", "share"])
    return token


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_answers_every_generated_request_without_a_server_error(case, token, enterprise_factory):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
