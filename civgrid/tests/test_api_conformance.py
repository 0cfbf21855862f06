"""Every operation under /api/v1/ against its own OpenAPI document, with schemathesis.

Generated requests go in-process to the WSGI app over the `world` data (plus a few cases along
the workflow), authenticated as the office. Every response must be documented: a status code
the operation lists, its content type and a body matching the response schema; never a 5xx.
Invalid query and path parameters must be refused (a 4xx), never quietly ignored. Request
bodies are generated invalid too and must never break the server, but a JSON number where
the schema says string is left alone: REST framework reads it as its text.

Bounded by hypothesis settings (examples per operation, derandomized: the same requests every
run) so the whole run takes a minute or two on each database.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from civgrid.testing import drive, report

EXAMPLES_PER_OPERATION = 20
EXAMPLES_AS_GRID_WORKER = 5

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = WSGIHandler()
schema.config.generation.update(modes=["positive", "negative"])
schema = schema.include(path_regex="^/api/v1/")

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def test_transaction_kept():
    """Django closes the database connection when a request finishes, which would end the
    test's transaction on PostgreSQL; its test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def office_token(world, test_transaction_kept) -> str:
    report(world, description="新报未立案")
    drive(report(world), world, "register", "assign", "accept")  # a deadline (due_on) is set
    return Token.objects.get_or_create(user=world.office.user)[0].key


@pytest.fixture
def worker_token(world, test_transaction_kept) -> str:
    report(world, description="网格员甲上报")
    return Token.objects.get_or_create(user=world.worker_a.user)[0].key


def _call_and_check(case, token: str) -> None:
    checks = list(CONFORMANCE)
    if not (
        case.meta.is_negative_at(ParameterLocation.BODY)
        or case.meta.is_negative_at(ParameterLocation.HEADER)
    ):
        checks.append(negative_data_rejection)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=checks)


SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    # One `world` per operation, shared by its examples (they roll back together at the end).
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, **SETTINGS)
@pytest.mark.django_db
def test_every_operation_answers_as_documented(case, office_token):
    _call_and_check(case, office_token)


@schema.parametrize()
@settings(max_examples=EXAMPLES_AS_GRID_WORKER, **SETTINGS)
@pytest.mark.django_db
def test_every_operation_answers_a_grid_worker_as_documented(case, worker_token):
    """A narrower role meets the 403s and 404s of what it may not see or do."""
    _call_and_check(case, worker_token)
