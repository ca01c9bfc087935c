"""The public JSON API, version 1."""
from __future__ import annotations

from flask import Blueprint, jsonify

from registry.extensions import csrf
from registry.public import queries

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/stats")
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
