"""The inbox page and the navigation's waiting counts (one cheap query per page)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from registry.auth.permissions import is_authenticated
from registry.inbox import queries

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

#: strings of templates/_nav_workspace.html (kept in this catalogue)
NAV_STRINGS = (_l("%(n)s waiting"), _l("Inbox"), _l("Approvals"), _l("Rounds"), _l("Audit trail"))

TITLES = {
    "returned": _l("Returned to my department"),
    "drafts": _l("Drafts to justify and submit"),
    "unclaimed": _l("Submitted, not yet claimed"),
    "claimed": _l("Reviews I claimed"),
    "approvals": _l("Proposals awaiting my approval"),
}


def inbox_counts() -> queries.Counts | None:
    """The signed-in user's counts, computed at most once per request."""
    if not is_authenticated(current_user):
        return None
    key = "registry.inbox_counts"
    if key not in request.environ:
        request.environ[key] = queries.counts(current_user)
    return request.environ[key]


@bp.app_context_processor
def _inject():
    return {"inbox_counts": inbox_counts}


@bp.get("/")
@login_required
def index():
    """What waits for me, bucket by bucket."""
    lists = queries.buckets(current_user)
    return render_template("inbox/index.html", lists=lists, titles=TITLES, counts=inbox_counts())
