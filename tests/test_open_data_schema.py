"""Every operation of the open data API called with input generated from its own OpenAPI
document (schemathesis): no answer is a server error, and every answer has a status, a content
type and a body the document describes."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from marketplace.open_data import services
from tests.open_data_helpers import api_world


@pytest.fixture
def token(app, make_user, make_site) -> str:
    world = api_world(app, make_user, make_site)
    with app.test_request_context():
        return services.create(world.admin, "Schema check", None).secret


@pytest.fixture
def api_schema(app, token):
    # The document as the app serves it, so what is checked is what partners read.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


# What partners rely on: no server error, and every answer as the document says. (Not whether
# every schema-valid request is accepted: a period ending before it starts is valid to the
# schema, which cannot relate two parameters, and is rightly a 400.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_conforms_to_the_document(case, token):
    # The test transport does not undo compression as an HTTP client does: ask for none.
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_the_document_is_served(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    paths = answer.get_json()["paths"]
    assert set(paths) == {"/postings", "/postings/{posting_id}", "/events", "/indicators"}
