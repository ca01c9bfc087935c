"""What waits for a user: one aggregate query for the counts, one list query per bucket."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa

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


def _conditions(roles: frozenset[Role], has_department: bool) -> dict[str, sa.ColumnElement]:
    """Bucket name → condition on Review/Item/ReviewRound, for the buckets these roles have.

    The user's id and department are the bound parameters ``user_id`` and ``department_id``.
    """
    user_id, department_id = sa.bindparam("user_id"), sa.bindparam("department_id")
    out: dict[str, sa.ColumnElement] = {}
    if Role.department_staff in roles and has_department:
        mine = sa.or_(Item.implementing_department_id == department_id, Item.competent_department_id == department_id)
        #: a draft that was submitted before has been returned by an officer
        out["returned"] = sa.and_(mine, Review.state == ReviewState.draft, Review.submitted_at.is_not(None))
        out["drafts"] = sa.and_(mine, Review.state == ReviewState.draft, Review.submitted_at.is_(None),
                                ReviewRound.state == RoundState.open)
    if Role.legal_officer in roles:
        out["unclaimed"] = Review.state == ReviewState.submitted
        out["claimed"] = sa.and_(Review.state == ReviewState.under_review, Review.claimed_by_id == user_id)
    if Role.approver in roles:
        out["approvals"] = sa.and_(Review.state == ReviewState.proposed,
                                   sa.or_(Review.proposer_id.is_(None), Review.proposer_id != user_id))
    return out


def _from(*columns) -> sa.Select:
    """``columns`` from reviews joined to their items and rounds (the tables the conditions name)."""
    return (sa.select(*columns).select_from(Review).join(Item, Review.item_id == Item.id)
            .join(ReviewRound, Review.round_id == ReviewRound.id))


@functools.cache
def _statements(roles: frozenset[Role], has_department: bool, limit: int) -> tuple[sa.Select | None, dict]:
    """The counts statement and each bucket's list statement for one combination of roles.

    Built once per combination (a handful exist) and reused with the user's parameters: building
    the expressions cost more than running the queries.
    """
    conds = _conditions(roles, has_department)
    if not conds:
        return None, {}
    cols = [sa.func.coalesce(sa.func.sum(sa.case((c, 1), else_=0)), 0).label(k) for k, c in conds.items()]
    counts_stmt = _from(*cols).where(sa.or_(*conds.values()))
    lists = {name: _from(Review.id, Review.state, Item.code, Item.name, ReviewRound.name.label("round_name"))
             .where(cond).order_by(Review.updated_at.desc()).limit(limit) for name, cond in conds.items()}
    return counts_stmt, lists


def _for(user: User, limit: int = 100) -> tuple[sa.Select | None, dict, dict]:
    counts_stmt, lists = _statements(user.roles, bool(user.department_id), limit)
    return counts_stmt, lists, {"user_id": user.id, "department_id": user.department_id}


def counts(user: User) -> Counts:
    """Every bucket counted in ONE query (nothing for roles the user does not hold)."""
    stmt, _, params = _for(user)
    if stmt is None:
        return Counts()
    row = db.session.execute(stmt, params).one()
    return Counts(**{k: int(v or 0) for k, v in row._mapping.items()})


def buckets(user: User, limit: int = 100) -> dict[str, list[sa.Row]]:
    """Every bucket's rows, newest change first (empty for roles the user does not hold).

    Plain rows, not objects (review id and state, item code and name, round name): the inbox
    lists up to ``limit`` per bucket and shows only these.
    """
    _, lists, params = _for(user, limit)
    return {name: list(db.session.execute(lists[name], params)) if name in lists else [] for name in BUCKETS}
