"""Read-side queries for the officer and approver queues and the review page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.auth.models import User
from registry.db import utcnow
from registry.extensions import db
from registry.items.models import Decision, Item
from registry.review.models import Attachment, Justification, Review, ReviewRound, ReviewState

QUEUE_STATES = (ReviewState.submitted, ReviewState.under_review)
SORTS = {
    "age": (Review.submitted_at.asc(), Review.id),
    "newest": (Review.submitted_at.desc(), Review.id.desc()),
    "code": (Item.code.asc(),),
    "department": (Item.implementing_department_id.asc(), Item.code.asc()),
    "state": (Review.state.asc(), Review.submitted_at.asc()),
}


@dataclass
class QueueFilter:
    department_id: int | None = None
    state: ReviewState | None = None
    #: only reviews submitted at least this many days ago
    min_age_days: int | None = None
    round_id: int | None = None
    decision: Decision | None = None
    mine: bool = False
    sort: str = "age"

    @classmethod
    def from_args(cls, args) -> QueueFilter:
        def enum_arg(enum_cls, key):
            try:
                return enum_cls(args.get(key)) if args.get(key) else None
            except ValueError:
                return None

        sort = args.get("sort", "age")
        return cls(department_id=args.get("department", type=int), state=enum_arg(ReviewState, "state"),
                   min_age_days=args.get("age", type=int), round_id=args.get("round", type=int),
                   decision=enum_arg(Decision, "decision"), mine=args.get("mine") == "1",
                   sort=sort if sort in SORTS else "age")

    def apply(self, stmt: sa.Select) -> sa.Select:
        if self.department_id:
            stmt = stmt.where(sa.or_(Item.implementing_department_id == self.department_id,
                                     Item.competent_department_id == self.department_id))
        if self.min_age_days:
            stmt = stmt.where(Review.submitted_at <= utcnow() - timedelta(days=self.min_age_days))
        if self.round_id:
            stmt = stmt.where(Review.round_id == self.round_id)
        if self.decision:
            stmt = stmt.where(Review.proposed_decision == self.decision)
        return stmt.order_by(*SORTS[self.sort])


def _base() -> sa.Select:
    return sa.select(Review).join(Review.item).options(joinedload(Review.item), joinedload(Review.round))


def officer_queue(f: QueueFilter, user: User) -> sa.Select:
    """Submitted and under-review reviews (optionally only those ``user`` claimed)."""
    states = (f.state,) if f.state in QUEUE_STATES else QUEUE_STATES
    stmt = _base().where(Review.state.in_(states))
    if f.mine:
        stmt = stmt.where(Review.claimed_by_id == user.id)
    return f.apply(stmt)


def approval_queue(f: QueueFilter, user: User) -> sa.Select:
    """Proposals waiting for an approver; the user's own proposals are listed too (and refused)."""
    return f.apply(_base().where(Review.state == ReviewState.proposed))


def open_rounds() -> list[ReviewRound]:
    return list(db.session.scalars(sa.select(ReviewRound).order_by(ReviewRound.opened_at.desc())))


def history_keys(review: Review) -> list[tuple[str, object]]:
    """The audit entities that make up a review's case: itself, justifications, attachments, comments."""
    keys: list[tuple[str, object]] = [("reviews", review.id)]
    keys += [("justifications", j.id) for j in review.justifications]
    keys += [("comments", c.id) for c in review.comments]
    att_ids = db.session.scalars(
        sa.select(Attachment.id).join(Attachment.justification).where(Justification.review_id == review.id)
    ).all()
    keys += [("attachments", i) for i in att_ids]
    return keys
