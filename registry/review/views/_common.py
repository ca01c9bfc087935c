"""Helpers shared by the review views: loading with the 404 rule, stale messages."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from registry.audit.history import last_change
from registry.auth.permissions import can_view_review, require
from registry.extensions import db
from registry.review.models import Review


def load_review(review_id: int) -> Review:
    """The review, or 404 when it does not exist or the user may not see it."""
    review = db.get_or_404(Review, review_id)
    require(can_view_review(current_user, review), 404)
    return review


def stale_message(entity_type: str, entity_id) -> str:
    who, when = last_change(entity_type, entity_id)
    return _("Changed by %(who)s at %(when)s — reload the page; your changes were not saved.", who=who, when=when)


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
