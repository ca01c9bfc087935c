"""What waits for a user: one aggregate query for the counts, one list query per bucket."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.auth.models import Role, User
from registry.extensions import db
from registry.items.models import Item
from registry.review.models import Review, ReviewRound, ReviewState, RoundState

BUCKETS = ("returned", "drafts", "unclaimed", "claimed", "approvals")


@dataclass
class Counts:
    returned: int = 0
    drafts: int = 0
    unclaimed: int = 0
    claimed: int = 0
    approvals: int = 0

    @property
    def total(self) -> int:
        return self.returned + self.drafts + self.unclaimed + self.claimed + self.approvals


def _conditions(user: User) -> dict[str, sa.ColumnElement]:
    """Bucket name → condition on Review/Item/ReviewRound, for the buckets the user's roles have."""
    out: dict[str, sa.ColumnElement] = {}
    if user.has_role(Role.department_staff) and user.department_id:
        mine = sa.or_(Item.implementing_department_id == user.department_id,
                      Item.competent_department_id == user.department_id)
        #: a draft that was submitted before has been returned by an officer
        out["returned"] = sa.and_(mine, Review.state == ReviewState.draft, Review.submitted_at.is_not(None))
        out["drafts"] = sa.and_(mine, Review.state == ReviewState.draft, Review.submitted_at.is_(None),
                                ReviewRound.state == RoundState.open)
    if user.has_role(Role.legal_officer):
        out["unclaimed"] = Review.state == ReviewState.submitted
        out["claimed"] = sa.and_(Review.state == ReviewState.under_review, Review.claimed_by_id == user.id)
    if user.has_role(Role.approver):
        out["approvals"] = sa.and_(Review.state == ReviewState.proposed,
                                   sa.or_(Review.proposer_id.is_(None), Review.proposer_id != user.id))
    return out


def _from() -> sa.Select:
    return sa.select(Review).join(Item, Review.item_id == Item.id).join(ReviewRound, Review.round_id == ReviewRound.id)


def counts(user: User) -> Counts:
    """Every bucket counted in ONE query (nothing for roles the user does not hold)."""
    conds = _conditions(user)
    if not conds:
        return Counts()
    cols = [sa.func.coalesce(sa.func.sum(sa.case((c, 1), else_=0)), 0).label(k) for k, c in conds.items()]
    stmt = (sa.select(*cols).select_from(Review).join(Item, Review.item_id == Item.id)
            .join(ReviewRound, Review.round_id == ReviewRound.id).where(sa.or_(*conds.values())))
    row = db.session.execute(stmt).one()
    return Counts(**{k: int(v or 0) for k, v in row._mapping.items()})


def bucket(user: User, name: str, limit: int = 100) -> list[Review]:
    cond = _conditions(user).get(name)
    if cond is None:
        return []
    stmt = _from().where(cond).options(joinedload(Review.item), joinedload(Review.round))
    return list(db.session.scalars(stmt.order_by(Review.updated_at.desc()).limit(limit)).unique())
