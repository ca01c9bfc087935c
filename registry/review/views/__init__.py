"""Review workspaces: the case page, the department's justification, the officer and approver queues."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/reviews")

from registry.review.views import case, department, queues  # noqa: E402,F401  (routes)


@bp.app_template_filter("state_label")
def _state_label(state) -> str:
    from registry.i18n import once_per_request
    from registry.review.services import state_label

    return once_per_request("state", state, state_label)


@bp.app_context_processor
def _roles():
    from registry.auth.models import Role

    return {"Role": Role}
