"""Workflow API input and output: parse the action body, serialise reviews."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from registry.errors_domain import ValidationFailed
from registry.review.models import Review
from registry.review.services import MAX_PENDING_ON, MAX_REASON, allowed_actions

#: the largest action body accepted (the reason is at most MAX_REASON characters)
MAX_BODY_BYTES = 64 * 1024
#: the largest version number accepted (a 32-bit column)
MAX_VERSION = 2**31 - 1


@dataclass(frozen=True)
class ActionRequest:
    action: str
    reason: str | None
    decision: str | None
    pending_on: str | None
    version: int | None


def _text(body: dict, key: str, limit: int, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise ValidationFailed(str(_l("This field is required.")), field=key)
        return None
    if not isinstance(value, str):
        raise ValidationFailed(str(_l("This field must be a string.")), field=key)
    if len(value) > limit:
        raise ValidationFailed(str(_l("At most %(n)s characters.", n=limit)), field=key)
    return value


def parse_action_request(body: object) -> ActionRequest:
    """Only the known fields are read; anything else in the body is ignored, never assigned."""
    if not isinstance(body, dict):
        raise ValidationFailed(str(_l("The body must be a JSON object.")), field="body")
    version = body.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                or not 1 <= version <= MAX_VERSION):
        raise ValidationFailed(str(_l("The version must be a positive whole number.")), field="version")
    return ActionRequest(
        action=_text(body, "action", 20, required=True),
        reason=_text(body, "reason", MAX_REASON),
        decision=_text(body, "decision", 20),
        pending_on=_text(body, "pending_on", MAX_PENDING_ON),
        version=version,
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _enum(value) -> str | None:
    return value.value if value is not None else None


def _username(user) -> str | None:
    return user.username if user is not None else None


def review_json(review: Review, user) -> dict:
    """A review as other systems see it, with the actions ``user`` may take now."""
    item = review.item
    return {
        "id": review.id,
        "version": review.version,
        "state": review.state.value,
        "item": {"id": item.id, "code": item.code, "name": item.name,
                 "department": item.implementing_department.code},
        "round": {"id": review.round.id, "name": review.round.name, "state": review.round.state.value},
        "proposed_decision": _enum(review.proposed_decision),
        "final_decision": _enum(review.final_decision),
        "pending_on": review.pending_on,
        "reason": review.reason,
        "claimed_by": _username(review.claimed_by),
        "proposer": _username(review.proposer),
        "approver": _username(review.approver),
        "submitted_at": _iso(review.submitted_at),
        "proposed_at": _iso(review.proposed_at),
        "decided_at": _iso(review.decided_at),
        "published_at": _iso(review.published_at),
        "updated_at": _iso(review.updated_at),
        "allowed_actions": [t.action.value for t in allowed_actions(review, user)],
    }
