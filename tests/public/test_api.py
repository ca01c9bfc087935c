"""The JSON API: an OpenAPI 3 document that validates, and real responses that match it."""
import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.public.conftest import DRAFT_NAME


@pytest.fixture
def spec(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.get_json()


def check(spec, path, method, status, body):
    """Validate ``body`` against the response schema the spec declares."""
    schema = spec["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    registry = Registry().with_resource("spec", Resource.from_contents(spec, default_specification=DRAFT4))
    OAS30Validator({"$ref": "spec#" + schema["$ref"][1:]} if "$ref" in schema else schema,
                   registry=registry).validate(body)


def test_the_openapi_document_is_valid(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_item_list_matches_the_spec(client, spec, portal):
    body = client.get("/api/v1/items?per_page=2").get_json()
    check(spec, "/items", "get", 200, body)
    assert body["total"] == 6 and len(body["items"]) == 2 and body["per_page"] == 2
    body = client.get("/api/v1/items?q=食品&decision=keep").get_json()
    check(spec, "/items", "get", 200, body)
    assert body["items"][0]["code"] == "XK0006"  # the exact name first
    assert {i["decision"] for i in body["items"]} == {"keep"}


def test_the_validator_can_fail(spec):
    from jsonschema.exceptions import ValidationError

    with pytest.raises(ValidationError):
        check(spec, "/items", "get", 200, {"items": [{"code": 1}], "total": 1, "page": 1, "per_page": 20})


@pytest.mark.parametrize("code", ["XK0001", "XK0004", "XK0005"])
def test_item_detail_matches_the_spec(client, spec, portal, code):
    body = client.get(f"/api/v1/items/{code}").get_json()
    check(spec, "/items/{code}", "get", 200, body)
    assert body["code"] == code and body["history"][0]["round"] == "2004 行政许可事项清理"
    assert (body["details"] is not None) == (body["decision"] == "keep")


def test_departments_and_stats_match_the_spec(client, spec, portal):
    body = client.get("/api/v1/departments").get_json()
    check(spec, "/departments", "get", 200, body)
    counts = {d["code"]: d["counts"] for d in body["departments"]}
    assert counts["D01"] == {"keep": 3, "abolish": 0, "pending": 1}
    stats = client.get("/api/v1/stats").get_json()
    check(spec, "/stats", "get", 200, stats)
    assert stats == {**stats, "total": 6, "keep": 4, "abolish": 1, "pending": 1}


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=abc", "decision=maybe", "category=nope",
                                   "department=NOPE", "sort=x", "fee=maybe", "fee=true", "page=99999999999999999999",
                                   "per_page=0", "per_page=101", "page=1000001", "q=" + "食" * 101])
def test_bad_parameters_are_400_json(client, spec, portal, query):
    """The API answers every value outside its OpenAPI description with 400 (pages are lenient)."""
    resp = client.get(f"/api/v1/items?{query}")
    assert resp.status_code == 400, query
    check(spec, "/items", "get", 400, resp.get_json())


def test_largest_page_size_and_far_pages_are_empty(client, portal):
    body = client.get("/api/v1/items?per_page=100").get_json()
    assert body["per_page"] == 100 and body["total"] == 6
    body = client.get("/api/v1/items?page=999999").get_json()
    assert body["items"] == [] and body["total"] == 6
    body = client.get("/api/v1/items?q=" + "食" * 100).get_json()
    assert body["total"] == 0


def test_unknown_and_draft_items_are_404_json(client, spec, portal):
    for code in ("NOPE", "ZZ9999"):
        resp = client.get(f"/api/v1/items/{code}")
        assert resp.status_code == 404
        check(spec, "/items/{code}", "get", 404, resp.get_json())
        assert DRAFT_NAME not in resp.get_data(as_text=True)


def test_public_responses_carry_an_etag_and_answer_304(client, portal):
    for path in ("/api/v1/items", "/api/v1/stats", "/items", "/items/XK0001", "/feed.atom", "/statistics"):
        first = client.get(path)
        assert first.headers["ETag"] and "Cache-Control" in first.headers, path
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"", path
    changed = client.get("/items", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200
