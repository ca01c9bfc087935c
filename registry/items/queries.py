"""Read-side queries for the items workspace."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from registry.auth.models import Role, User
from registry.auth.permissions import OVERSIGHT_ROLES
from registry.extensions import db
from registry.items.models import Department, Item
from registry.review.models import Review, ReviewRound


def visible_items(user: User, *, department_id: int | None = None, q: str = "") -> sa.Select:
    """Items the user may see: their department's for staff, all for oversight roles."""
    stmt = sa.select(Item)
    if not user.has_role(*OVERSIGHT_ROLES):
        dept = user.department_id or -1
        stmt = stmt.where(sa.or_(Item.implementing_department_id == dept, Item.competent_department_id == dept))
    if department_id:
        stmt = stmt.where(sa.or_(Item.implementing_department_id == department_id,
                                 Item.competent_department_id == department_id))
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(sa.or_(Item.name.ilike(like), Item.code.ilike(like)))
    return stmt.order_by(Item.code)


def latest_reviews(item_ids: list[int]) -> dict[int, Review]:
    """Each item's review in its most recent round, with the round (one query)."""
    if not item_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Review).join(ReviewRound).where(Review.item_id.in_(item_ids))
        .options(contains_eager(Review.round))
        .order_by(Review.item_id, ReviewRound.opened_at, Review.id)
    )
    out: dict[int, Review] = {}
    for review in rows:
        out[review.item_id] = review
    return out


def item_reviews(item: Item) -> list[Review]:
    return list(db.session.scalars(
        sa.select(Review).join(ReviewRound).where(Review.item_id == item.id).order_by(ReviewRound.opened_at.desc())
    ))


def department_choices(user: User) -> list[tuple[int, str]]:
    """Departments a user may create items for: their own (staff) or every active one (admin)."""
    stmt = sa.select(Department.id, Department.name).where(Department.is_active.is_(True)).order_by(Department.code)
    if not user.has_role(Role.admin):
        stmt = stmt.where(Department.id == (user.department_id or -1))
    return [(i, n) for i, n in db.session.execute(stmt)]


def all_departments() -> list[Department]:
    return list(db.session.scalars(sa.select(Department).order_by(Department.code)))
