"""Every write on reviews: workflow actions, justifications and comments — each audited.

Services flush and record audit events; they never commit and never read the request.
Callers pass the acting user. Errors are ``registry.errors_domain`` exceptions.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from registry.audit.models import AuditEvent
from registry.audit.services import diff, record, snapshot
from registry.auth.models import Role, User
from registry.auth.permissions import owns_item
from registry.db import utcnow
from registry.errors_domain import InvalidTransition, NotAllowed, StaleObject, ValidationFailed
from registry.extensions import db
from registry.items.models import Decision
from registry.review.models import Comment, CommentKind, Justification, Review, ReviewState
from registry.review.workflow import Action, Transition, parse_action, transition_for

MAX_REASON = 5000
MAX_PENDING_ON = 300
#: every transition, in the order of ``Action`` (the order buttons and the API list them)
_IN_ORDER: tuple[Transition, ...] = tuple(transition_for(a) for a in Action)


def check_version(review: Review, expected_version: int | None) -> None:
    """Refuse to act on a review that changed since the caller loaded it."""
    if expected_version is None or expected_version == review.version:
        return
    last = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == "reviews", AuditEvent.entity_id == str(review.id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    who = last.actor_username if last else "?"
    when = format_datetime(last.created_at, "short") if last else "?"
    raise StaleObject(str(_l("This review was changed by %(who)s at %(when)s — reload it.", who=who, when=when)))


def _refused(review: Review, t: Transition, actor: User, roles: frozenset[Role]) -> str | None:
    """Which rule stops ``actor`` (holding ``roles``) from taking ``t`` on ``review`` now, or None.

    No message is built here: listing the allowed actions of many reviews stays cheap.
    """
    if roles.isdisjoint(t.roles):
        return "role"
    if t.own_department and not owns_item(actor, review.item):
        return "department"
    if review.state is not t.source:
        return "state"
    if t.not_proposer and review.proposer_id == actor.id:
        return "four_eyes"
    if t.only_pending and review.final_decision is not Decision.pending:
        return "not_pending"
    return None


def refusal(review: Review, action: Action, actor: User) -> tuple[type, str] | None:
    """Why ``actor`` may not take ``action`` on ``review`` now (error class, message), or None."""
    rule = _refused(review, transition_for(action), actor, actor.roles)
    if rule is None:
        return None
    if rule == "role":
        return NotAllowed, str(_l("Your role may not do this."))
    if rule == "department":
        return NotAllowed, str(_l("This item belongs to another department."))
    if rule == "state":
        return InvalidTransition, str(_l("This action is not possible while the review is %(state)s.",
                                         state=state_label(review.state)))
    if rule == "four_eyes":
        return NotAllowed, str(_l("You made this proposal; another approver must decide on it."))
    return InvalidTransition, str(_l("Only a published pending decision can be reopened."))


def allowed_actions(review: Review, actor: User) -> list[Transition]:
    """The transitions ``actor`` may take on ``review`` now (for buttons and the API)."""
    roles = actor.roles
    return [t for t in _IN_ORDER if _refused(review, t, actor, roles) is None]


def _clean(text: str | None, limit: int, field: str = "reason") -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationFailed(str(_l("At most %(n)s characters.", n=limit)), field=field)
    return text


def perform(
    review: Review,
    action: Action | str,
    *,
    actor: User,
    reason: str | None = None,
    decision: Decision | str | None = None,
    pending_on: str | None = None,
    expected_version: int | None = None,
) -> Review:
    """Take one workflow ``action`` on ``review`` as ``actor``.

    Preconditions come from the transition table: the actor's role and department, the
    current state, four eyes, and the reason / decision / pending_on the action needs.
    Side effects: the state moves, the relevant fields and a comment are written, and one
    ``review.<action>`` audit event records the field changes and the reason.
    """
    act = action if isinstance(action, Action) else parse_action(action)
    if act is None:
        raise ValidationFailed(str(_l("Unknown action.")), field="action")
    check_version(review, expected_version)
    refused = refusal(review, act, actor)
    if refused:
        cls, message = refused
        raise cls(message)
    t = transition_for(act)
    reason = _clean(reason, MAX_REASON)
    if t.needs_reason and not reason:
        raise ValidationFailed(str(_l("A reason is required.")), field="reason")
    if t.needs_decision:
        try:
            decision = Decision(decision.value if isinstance(decision, Decision) else decision)
        except ValueError:
            raise ValidationFailed(str(_l("Choose keep, abolish or pending.")), field="decision") from None
        pending_on = _clean(pending_on, MAX_PENDING_ON, "pending_on") or None
        if decision is Decision.pending and not pending_on:
            raise ValidationFailed(str(_l("A pending decision must name the higher-level body or list it waits on.")),
                                   field="pending_on")
    with db.session.no_autoflush:  # nothing reaches the database until the change is whole
        follow_up = _APPLY[act](review, actor, reason, decision, pending_on)
        review.state = t.target
    changes = diff(review)
    db.session.flush()
    record(f"review.{act.value}", actor=actor, entity=review, changes=changes, reason=reason)
    for action, entity, entity_changes, why in follow_up or ():
        record(action, actor=actor, entity=entity, changes=entity_changes, reason=why)
    return review


def _comment(review: Review, actor: User, kind: CommentKind, body: str) -> None:
    if body:
        review.comments.append(Comment(author_id=actor.id, kind=kind, body=body))


def _submit(review, actor, reason, decision, pending_on):
    now = utcnow()
    latest = review.justifications[-1] if review.justifications else None
    if latest is None or latest.submitted_at is not None:
        if not reason:
            raise ValidationFailed(str(_l("Write the justification before submitting.")), field="reason")
        latest = Justification(author_id=actor.id, reasons=reason)
        review.justifications.append(latest)
    elif not latest.reasons.strip() and not reason:
        raise ValidationFailed(str(_l("Write the justification before submitting.")), field="reason")
    elif reason and not latest.reasons.strip():
        latest.reasons = reason
    latest.submitted_at = now
    review.submitted_at = now
    if review.comments and any(c.kind is CommentKind.return_reason for c in review.comments):
        _comment(review, actor, CommentKind.answer, reason)


def _claim(review, actor, reason, decision, pending_on):
    review.claimed_by_id = actor.id
    _comment(review, actor, CommentKind.note, reason)


def _return(review, actor, reason, decision, pending_on):
    _comment(review, actor, CommentKind.return_reason, reason)


def _propose(review, actor, reason, decision, pending_on):
    review.proposed_decision = decision
    review.pending_on = pending_on if decision is Decision.pending else None
    review.reason = reason
    review.proposer_id = actor.id
    review.approver_id = None
    review.proposed_at = utcnow()


def _approve(review, actor, reason, decision, pending_on):
    review.approver_id = actor.id
    review.final_decision = review.proposed_decision
    review.decided_at = utcnow()
    _comment(review, actor, CommentKind.note, reason)


def _send_back(review, actor, reason, decision, pending_on):
    _comment(review, actor, CommentKind.send_back_reason, reason)


def _publish(review, actor, reason, decision, pending_on):
    now = utcnow()
    review.published_at = now
    item = review.item
    item.decision = review.final_decision
    item.decision_reason = review.reason
    item.decision_published_at = now
    # recorded by perform() after the flush, with the review's own event
    return [("item.publish_decision", item, diff(item), review.round.name)]


def _reopen(review, actor, reason, decision, pending_on):
    review.claimed_by_id = actor.id
    review.proposer_id = None
    review.approver_id = None
    review.proposed_decision = None
    review.final_decision = None
    review.decided_at = None
    _comment(review, actor, CommentKind.note, reason)


_APPLY = {
    Action.submit: _submit, Action.claim: _claim, Action.return_: _return, Action.propose: _propose,
    Action.approve: _approve, Action.send_back: _send_back, Action.publish: _publish, Action.reopen: _reopen,
}


def state_label(state: ReviewState) -> str:
    return str(STATE_LABELS[state])


STATE_LABELS = {
    ReviewState.draft: _l("draft"),
    ReviewState.submitted: _l("submitted"),
    ReviewState.under_review: _l("under review"),
    ReviewState.proposed: _l("proposed"),
    ReviewState.decided: _l("decided"),
    ReviewState.published: _l("published"),
}


def save_justification(review: Review, *, actor: User, reasons: str, expected_version: int | None = None) -> Justification:
    """Write the department's current (unsubmitted) justification. Audits ``justification.save``."""
    if not owns_item(actor, review.item):
        raise NotAllowed(str(_l("This item belongs to another department.")))
    if review.state is not ReviewState.draft:
        raise InvalidTransition(str(_l("The justification can only be edited while the review is a draft.")))
    check_version(review, expected_version)
    reasons = _clean(reasons, 20000, "reasons")
    latest = review.justifications[-1] if review.justifications else None
    if latest is None or latest.submitted_at is not None:
        latest = Justification(author_id=actor.id, reasons=reasons)
        review.justifications.append(latest)
        db.session.flush()
        record("justification.create", actor=actor, entity=latest, changes=snapshot(latest))
    else:
        latest.reasons = reasons
        changes = diff(latest)
        if changes:
            db.session.flush()
            record("justification.update", actor=actor, entity=latest, changes=changes)
    review.updated_at = utcnow()  # a new version of the case
    db.session.flush()
    return latest


def add_comment(review: Review, *, actor: User, body: str, kind: CommentKind = CommentKind.note) -> Comment:
    """An officer's or approver's comment or question. Audits ``comment.create``."""
    if not actor.has_role(Role.legal_officer, Role.approver) and not owns_item(actor, review.item):
        raise NotAllowed(str(_l("Your role may not do this.")))
    body = _clean(body, MAX_REASON, "body")
    if not body:
        raise ValidationFailed(str(_l("The comment is empty.")), field="body")
    comment = Comment(review=review, author_id=actor.id, kind=kind, body=body)
    db.session.add(comment)
    db.session.flush()
    record("comment.create", actor=actor, entity=comment, changes=snapshot(comment))
    return comment
