"""Property-based tests of the public JSON API against its own OpenAPI description (schemathesis).

Every operation is called with data generated from the description (valid and invalid): no
response is a 5xx, every response matches the description, invalid input is answered 4xx.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode

from registry import seeding


@pytest.fixture
def api_schema(app, db):
    seeding.seed()  # the demo district: published items to find (rolled back after the test)
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=25,
                                    deterministic=True, database="none")
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_conforms_to_its_description(case):
    case.call_and_validate()
