"""The public JSON API, version 1: published decisions only."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from registry.api import openapi, serializers
from registry.extensions import csrf
from registry.items.models import Decision
from registry.public import caching, queries
from registry.public.cache import cached
from registry.public.forms import BadFilter, parse_filters, parse_int

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
caching.init_blueprint(bp)
API_DECISIONS = ("keep", "abolish", "pending", "all")
MAX_PER_PAGE = 100


@bp.get("/stats")
@cached
def stats():
    """Counts of the latest published round's decisions."""
    s = queries.round_stats()
    return jsonify(
        {
            "round": s.round_name,
            "year": s.year,
            "published_at": s.published_at.isoformat() if s.published_at else None,
            "total": s.total,
            "keep": s.keep,
            "abolish": s.abolish,
            "pending": s.pending,
        }
    )


@bp.get("/items")
@cached
def items():
    """Published items: ``q``, ``decision``, ``department``, ``category``, ``page``, ``per_page`` (≤ 100)."""
    try:
        filters = parse_filters(request.args, strict=True, default_decision="all", decisions=API_DECISIONS)
        page_no = parse_int(request.args, "page", 1, strict=True)
        per_page = parse_int(request.args, "per_page", 20, hi=MAX_PER_PAGE, strict=True)
    except BadFilter as exc:
        abort(400, description=str(exc))
    page = queries.search_items(filters, page_no, per_page)
    return jsonify({"items": [serializers.item_summary(i) for i in page.items], "total": page.total,
                    "total_exact": page.total_exact, "page": page.page, "per_page": page.per_page})


@bp.get("/items/<path:code>")
@cached
def item(code: str):
    """One published item by its code, with its history of published decisions."""
    found = queries.get_item(code)
    if found is None:
        abort(404, description="no published item with this code")
    return jsonify(serializers.item_detail(found, queries.item_history(found), queries.public_children(found)))


@bp.get("/departments")
@cached
def departments():
    """Departments implementing published items, with counts by decision."""
    return jsonify({"departments": [
        {**serializers.department_ref(d), "counts": {k.value: counts.get(k, 0) for k in Decision}}
        for d, counts in queries.public_departments()
    ]})


@bp.get("/openapi.json", endpoint="openapi")
def openapi_spec():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi.spec())

