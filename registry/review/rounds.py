"""Writes on review rounds: create, add items, close, publish — each audited."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from registry.audit.services import diff, record, snapshot
from registry.auth.models import Role, User
from registry.db import utcnow
from registry.errors_domain import InvalidTransition, NotAllowed, ValidationFailed
from registry.extensions import db
from registry.items.models import Item
from registry.review.models import Review, ReviewRound, ReviewState, RoundState
from registry.review.services import perform
from registry.review.workflow import Action


def _require_admin(actor: User) -> None:
    if not actor.has_role(Role.admin):
        raise NotAllowed(str(_l("Only an administrator may manage rounds.")))


def create_round(*, name: str, year: int, actor: User) -> ReviewRound:
    """Open a new round. Audits ``round.create``."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed(str(_l("A round name of 1 to 200 characters is required.")), field="name")
    if not 1949 <= int(year) <= 2200:
        raise ValidationFailed(str(_l("The year is out of range.")), field="year")
    if db.session.scalar(sa.select(ReviewRound.id).where(ReviewRound.name == name)):
        raise ValidationFailed(str(_l("A round with this name exists.")), field="name")
    rnd = ReviewRound(name=name, year=int(year), state=RoundState.open, opened_at=utcnow())
    db.session.add(rnd)
    db.session.flush()
    record("round.create", actor=actor, entity=rnd, changes=snapshot(rnd))
    return rnd


def add_items(rnd: ReviewRound, *, actor: User, department_ids: Iterable[int] | None = None) -> int:
    """Open a draft review for every item (or those of ``department_ids``) not yet in the round.

    Returns how many were added. Audits one ``review.create`` per review.
    """
    _require_admin(actor)
    if rnd.state is not RoundState.open:
        raise InvalidTransition(str(_l("Items can only be added to an open round.")))
    stmt = sa.select(Item).where(~sa.exists().where(Review.item_id == Item.id, Review.round_id == rnd.id))
    if department_ids is not None:
        ids = list(department_ids)
        stmt = stmt.where(sa.or_(Item.implementing_department_id.in_(ids), Item.competent_department_id.in_(ids)))
    added = 0
    for item in db.session.scalars(stmt.order_by(Item.code)):
        review = Review(item=item, round=rnd, state=ReviewState.draft)
        db.session.add(review)
        db.session.flush()
        record("review.create", actor=actor, entity=review, changes=snapshot(review))
        added += 1
    return added


def close_round(rnd: ReviewRound, *, actor: User) -> ReviewRound:
    """Close an open round: no new items. Audits ``round.close``."""
    _require_admin(actor)
    if rnd.state is not RoundState.open:
        raise InvalidTransition(str(_l("Only an open round can be closed.")))
    rnd.state, rnd.closed_at = RoundState.closed, utcnow()
    changes = diff(rnd)
    db.session.flush()
    record("round.close", actor=actor, entity=rnd, changes=changes)
    return rnd


def publish_round(rnd: ReviewRound, *, actor: User) -> int:
    """Publish every decided review of the round; the round becomes published.

    Each review is published through the workflow (its own audit event); then
    ``round.publish`` is recorded. Returns the number of reviews published.
    """
    _require_admin(actor)
    if rnd.state is RoundState.published:
        raise InvalidTransition(str(_l("This round is already published.")))
    decided = db.session.scalars(
        sa.select(Review).where(Review.round_id == rnd.id, Review.state == ReviewState.decided).order_by(Review.id)
    ).all()
    for review in decided:
        perform(review, Action.publish, actor=actor)
    rnd.state = RoundState.published
    rnd.published_at = utcnow()
    if rnd.closed_at is None:
        rnd.closed_at = rnd.published_at
    changes = diff(rnd)
    db.session.flush()
    record("round.publish", actor=actor, entity=rnd, changes=changes, reason=f"{len(decided)} decisions")
    return len(decided)
