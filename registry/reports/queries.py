"""Read-side queries of the officers' reports: items with findings, the registry, a round's result."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from registry.extensions import db
from registry.items.models import Decision, Item
from registry.legal.check import CheckResult, check
from registry.review.models import Review, ReviewRound, RoundState

BATCH = 500


def iter_items(batch: int = BATCH) -> Iterator[Item]:
    """Every item with its bases and departments, in code order, read in batches."""
    last = ""
    while True:
        chunk = db.session.scalars(
            sa.select(Item).where(Item.code > last).order_by(Item.code).limit(batch)
            .options(selectinload(Item.bases), selectinload(Item.competent_department),
                     selectinload(Item.implementing_department))).all()
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].code


def items_with_findings(as_of: date, severity=None) -> list[tuple[Item, CheckResult]]:
    out = []
    for item in iter_items():
        result = check(item, as_of)
        if result.findings and (severity is None or any(f.severity is severity for f in result.findings)):
            out.append((item, result))
    return out


def latest_reviews(item_ids: list[int]) -> dict[int, Review]:
    """Each item's review in its most recent round."""
    if not item_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Review).where(Review.item_id.in_(item_ids)).join(ReviewRound)
        .order_by(Review.item_id, ReviewRound.opened_at, Review.id).options(selectinload(Review.round))).all()
    return {r.item_id: r for r in rows}


def published_rounds() -> list[ReviewRound]:
    return db.session.scalars(sa.select(ReviewRound).where(ReviewRound.state == RoundState.published)
                              .order_by(ReviewRound.published_at.desc())).all()


def round_result(rnd: ReviewRound) -> dict[Decision, list[Review]]:
    """The published reviews of a round by final decision, items in code order."""
    reviews = db.session.scalars(
        sa.select(Review).join(Item).where(Review.round_id == rnd.id, Review.published_at.is_not(None))
        .order_by(Item.code).options(selectinload(Review.item).selectinload(Item.bases),
                                     selectinload(Review.item).selectinload(Item.implementing_department))).all()
    out: dict[Decision, list[Review]] = {d: [] for d in Decision}
    for r in reviews:
        if r.final_decision:
            out[r.final_decision].append(r)
    return out
