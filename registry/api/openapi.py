"""The OpenAPI 3.0 description of ``/api/v1`` (tests validate it and the real responses)."""
from __future__ import annotations

from flask import request

from registry.items.models import ApprovalLevel, InstrumentType, ItemCategory

DECISIONS = ["keep", "abolish", "pending"]
NULLABLE_STR = {"type": "string", "nullable": True}
DATETIME = {"type": "string", "format": "date-time", "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = _json(_ref("Error"), "Bad request or not found")

SCHEMAS = {
    "Error": {"type": "object", "required": ["error", "status", "request_id"], "properties": {
        "error": {"type": "string"}, "status": {"type": "integer"}, "request_id": {"type": "string"},
        "message": {"type": "string"}}},
    "DepartmentRef": {"type": "object", "required": ["code", "name"], "additionalProperties": False,
                      "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
    "LegalBasis": {"type": "object", "additionalProperties": False,
                   "required": ["kind", "instrument_type", "title", "issuer", "document_number", "article",
                                "effective_date"],
                   "properties": {
                       "kind": {"type": "string", "enum": ["setting", "implementing"]},
                       "instrument_type": {"type": "string", "enum": [t.value for t in InstrumentType]},
                       "title": {"type": "string"}, "issuer": {"type": "string"},
                       "document_number": {"type": "string"}, "article": {"type": "string"},
                       "effective_date": {"type": "string", "format": "date", "nullable": True}}},
    "ItemSummary": {"type": "object", "additionalProperties": False,
                    "required": ["code", "name", "url", "department", "competent_department", "category",
                                 "approval_level", "fee_charged", "decision", "decision_reason",
                                 "decision_published_at", "setting_bases"],
                    "properties": {
                        "code": {"type": "string"}, "name": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "department": _ref("DepartmentRef"), "competent_department": _ref("DepartmentRef"),
                        "category": {"type": "string", "enum": [c.value for c in ItemCategory]},
                        "approval_level": {"type": "string", "enum": [a.value for a in ApprovalLevel]},
                        "fee_charged": {"type": "boolean"},
                        "decision": {"type": "string", "enum": DECISIONS},
                        "decision_reason": {"type": "string"},
                        "decision_published_at": DATETIME,
                        "setting_bases": {"type": "array", "items": _ref("LegalBasis")}}},
    "ItemDetails": {"type": "object", "nullable": True, "additionalProperties": False,
                    "description": "Art. 30 information; only for retained items",
                    "required": ["applicant_type", "conditions", "materials", "procedure", "statutory_days",
                                 "committed_days", "fee_rate", "fee_basis", "licence_document", "validity",
                                 "notes"],
                    "properties": {
                        "applicant_type": {"type": "string", "enum": ["citizen", "organisation", "both"]},
                        "conditions": {"type": "string"}, "materials": {"type": "string"},
                        "procedure": {"type": "string"},
                        "statutory_days": {"type": "integer", "minimum": 1},
                        "committed_days": {"type": "integer", "minimum": 1, "nullable": True},
                        "fee_rate": {"type": "string"}, "fee_basis": {"type": "string"},
                        "licence_document": {"type": "string"}, "validity": {"type": "string"},
                        "notes": {"type": "string"}}},
    "HistoryEntry": {"type": "object", "additionalProperties": False,
                     "required": ["round", "year", "decision", "reason", "pending_on", "published_at"],
                     "properties": {
                         "round": {"type": "string"}, "year": {"type": "integer"},
                         "decision": {"type": "string", "enum": DECISIONS}, "reason": {"type": "string"},
                         "pending_on": NULLABLE_STR, "published_at": DATETIME}},
    "ItemList": {"type": "object", "additionalProperties": False,
                 "required": ["items", "total", "total_exact", "page", "per_page"], "properties": {
                     "items": {"type": "array", "items": _ref("ItemSummary")},
                     "total": {"type": "integer", "minimum": 0,
                               "description": "matching items, counted up to 10,000 (see total_exact)"},
                     "total_exact": {"type": "boolean",
                                     "description": "false when more items match than total says"},
                     "page": {"type": "integer", "minimum": 1},
                     "per_page": {"type": "integer", "minimum": 1, "maximum": 100}}},
    "DepartmentList": {"type": "object", "required": ["departments"], "additionalProperties": False,
                       "properties": {"departments": {"type": "array", "items": {
                           "type": "object", "required": ["code", "name", "counts"], "additionalProperties": False,
                           "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "counts": {
                               "type": "object", "required": DECISIONS, "additionalProperties": False,
                               "properties": {d: {"type": "integer", "minimum": 0} for d in DECISIONS}}}}}}},
    "Stats": {"type": "object", "additionalProperties": False,
              "required": ["round", "year", "published_at", "total", "keep", "abolish", "pending"],
              "properties": {"round": NULLABLE_STR, "year": {"type": "integer", "nullable": True},
                             "published_at": DATETIME, "total": {"type": "integer"},
                             "keep": {"type": "integer"}, "abolish": {"type": "integer"},
                             "pending": {"type": "integer"}}},
}


SCHEMAS["Item"] = {
    "type": "object", "additionalProperties": False,
    "required": SCHEMAS["ItemSummary"]["required"] + ["bases", "details", "parent", "children", "history"],
    "properties": {**SCHEMAS["ItemSummary"]["properties"],
                   "bases": {"type": "array", "items": _ref("LegalBasis")},
                   "details": _ref("ItemDetails"),
                   "parent": NULLABLE_STR,
                   "children": {"type": "array", "items": {"type": "string"}},
                   "history": {"type": "array", "items": _ref("HistoryEntry")}},
}


def _param(name: str, description: str, schema: dict, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


LIST_PARAMS = [
    _param("q", "Full-text search (Chinese, Latin letters, digits; 1 character or more)",
           {"type": "string", "maxLength": 100}),
    _param("decision", "Only this decision (default: all published)",
           {"type": "string", "enum": DECISIONS + ["all"], "default": "all"}),
    _param("department", "Implementing department code (one of /departments)", {"type": "string"}),
    _param("category", "Art. 12 category", {"type": "string", "enum": [c.value for c in ItemCategory]}),
    _param("level", "Approval level", {"type": "string", "enum": [a.value for a in ApprovalLevel]}),
    _param("fee", "Whether a fee is charged", {"type": "string", "enum": ["yes", "no"]}),
    _param("sort", "Order (relevance puts exact name matches first)",
           {"type": "string", "enum": ["relevance", "code", "name", "newest"], "default": "relevance"}),
    _param("page", "Page number", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}),
    _param("per_page", "Items per page (1 to 100)",
           {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
]


def _list_params() -> list[dict]:
    """The list parameters; ``department`` enumerates the codes the API accepts right now."""
    from registry.public.queries import public_departments

    codes = sorted(d.code for d, _counts in public_departments())
    return [dict(p, schema={"type": "string", "enum": codes}) if p["name"] == "department" and codes else p
            for p in LIST_PARAMS]


def spec() -> dict:
    """The document; the server URL is this request's own /api/v1."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Licensing Item Registry open data", "version": "1.0.0",
                 "description": "Published decisions on administrative licensing items (行政许可事项). "
                                "Never drafts, proposals, comments or attachments."},
        "servers": [{"url": request.host_url.rstrip("/") + "/api/v1"}],
        "paths": {
            "/items": {"get": {"operationId": "listItems", "summary": "Search and filter published items",
                               "parameters": _list_params(),
                               "responses": {"200": _json(_ref("ItemList"), "One page of items"), "400": ERROR}}},
            "/items/{code}": {"get": {"operationId": "getItem", "summary": "One published item by its code",
                                      "parameters": [_param("code", "Item code", {"type": "string"}, "path", True)],
                                      "responses": {"200": _json(_ref("Item"), "The item"), "404": ERROR}}},
            "/departments": {"get": {"operationId": "listDepartments",
                                     "summary": "Departments implementing published items",
                                     "responses": {"200": _json(_ref("DepartmentList"), "Departments")}}},
            "/stats": {"get": {"operationId": "getStats", "summary": "The latest published round's counts",
                               "responses": {"200": _json(_ref("Stats"), "Counts")}}},
            "/openapi.json": {"get": {"operationId": "getOpenAPI", "summary": "This description",
                                      "responses": {"200": {"description": "OpenAPI 3 document",
                                                            "content": {"application/json": {
                                                                "schema": {"type": "object"}}}}}}},
        },
        "components": {"schemas": SCHEMAS},
    }
