"""Read-side queries for the public: published decisions only."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from registry.extensions import db
from registry.items.models import Decision
from registry.review.models import Review, ReviewRound, ReviewState, RoundState


@dataclass(frozen=True)
class RoundStats:
    round_name: str | None
    year: int | None
    published_at: object
    keep: int
    abolish: int
    pending: int

    @property
    def total(self) -> int:
        return self.keep + self.abolish + self.pending


def latest_published_round() -> ReviewRound | None:
    stmt = (
        sa.select(ReviewRound)
        .where(ReviewRound.state == RoundState.published)
        .order_by(ReviewRound.published_at.desc(), ReviewRound.id.desc())
        .limit(1)
    )
    return db.session.scalars(stmt).first()


def round_stats(rnd: ReviewRound | None = None) -> RoundStats:
    """Counts of the published decisions of ``rnd`` (default: the latest published round)."""
    rnd = rnd or latest_published_round()
    if rnd is None:
        return RoundStats(None, None, None, 0, 0, 0)
    rows = db.session.execute(
        sa.select(Review.final_decision, sa.func.count())
        .where(Review.round_id == rnd.id, Review.state == ReviewState.published)
        .group_by(Review.final_decision)
    ).all()
    counts = dict(rows)
    return RoundStats(
        rnd.name,
        rnd.year,
        rnd.published_at,
        counts.get(Decision.keep, 0),
        counts.get(Decision.abolish, 0),
        counts.get(Decision.pending, 0),
    )
