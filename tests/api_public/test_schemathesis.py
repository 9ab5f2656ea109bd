"""Property-based check of the public endpoints against their own OpenAPI document (schemathesis):
generated parameters (valid and invalid) never produce a 500, an undeclared status code, or a body
that does not match the declared schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from yangguang.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/public/")

CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]


@pytest.mark.django_db
@pytest.mark.usefixtures("world")
@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_public_api_conforms_to_its_schema(case, django_settings_rate_limit, keep_test_connection):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def keep_test_connection():
    """The real WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django_settings_rate_limit(settings):
    # Hundreds of generated requests from one address: keep them under the limit.
    settings.YANGGUANG_RATE_LIMITS = {"api_ip": (100_000, 60)}
