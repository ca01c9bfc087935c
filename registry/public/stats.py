"""Published-decision statistics: the round headline and the statistics page's tables."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from registry.extensions import db
from registry.items.models import BasisKind, Decision, Department, InstrumentType, Item, LegalBasis
from registry.review.models import Review, ReviewRound, ReviewState, RoundState

DECISIONS = (Decision.keep, Decision.abolish, Decision.pending)


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


@dataclass(frozen=True)
class Row:
    """One line of a statistics table: a label and its counts by decision."""

    key: str
    label: str
    counts: dict

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def by_decision() -> dict[Decision, int]:
    """Current published decisions of every item."""
    rows = db.session.execute(
        sa.select(Item.decision, sa.func.count()).where(Item.decision.is_not(None)).group_by(Item.decision)
    ).all()
    counts = dict.fromkeys(DECISIONS, 0)
    counts.update(dict(rows))
    return counts


def by_department() -> list[Row]:
    """Per implementing department, the published decisions (largest first)."""
    rows = db.session.execute(
        sa.select(Department.code, Department.name, Item.decision, sa.func.count())
        .join(Item, Item.implementing_department_id == Department.id)
        .where(Item.decision.is_not(None))
        .group_by(Department.code, Department.name, Item.decision)
    ).all()
    out: dict[str, Row] = {}
    for code, name, decision, n in rows:
        out.setdefault(code, Row(code, name, dict.fromkeys(DECISIONS, 0))).counts[decision] = n
    return sorted(out.values(), key=lambda r: (-r.total, r.key))


#: instrument types, strongest first: an item counts under its strongest setting basis
_STRENGTH = {t: i for i, t in enumerate(InstrumentType)}


def by_basis_type() -> list[tuple[InstrumentType, dict]]:
    """Per type of the strongest setting basis, the published decisions."""
    strength = sa.case(*((LegalBasis.instrument_type == t, i) for t, i in _STRENGTH.items()),
                       else_=len(_STRENGTH) - 1)
    strongest = (
        sa.select(LegalBasis.item_id, sa.func.min(strength).label("rank"))
        .where(LegalBasis.kind == BasisKind.setting).group_by(LegalBasis.item_id).subquery()
    )
    rank = sa.func.coalesce(strongest.c.rank, _STRENGTH[InstrumentType.none])
    rows = db.session.execute(
        sa.select(rank, Item.decision, sa.func.count())
        .select_from(Item).outerjoin(strongest, strongest.c.item_id == Item.id)
        .where(Item.decision.is_not(None)).group_by(rank, Item.decision)
    ).all()
    types = list(InstrumentType)
    out: dict[InstrumentType, dict] = {}
    for r, decision, n in rows:
        out.setdefault(types[int(r)], dict.fromkeys(DECISIONS, 0))[decision] = n
    return [(t, out[t]) for t in types if t in out]
