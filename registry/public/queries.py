"""Read-side queries for the public: published decisions only (``Item.decision IS NOT NULL``)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from registry.extensions import db
from registry.items.models import ApprovalLevel, Decision, Department, Item, ItemCategory
from registry.public.models import ItemSearchDoc, ItemSearchToken
from registry.public.search import query_segments, segment_tokens
from registry.public.stats import RoundStats, latest_published_round, round_stats  # noqa: F401  (re-exported)
from registry.review.models import Review, ReviewRound, ReviewState

SORTS = ("relevance", "code", "name", "newest")


@dataclass(frozen=True)
class ItemFilters:
    """What a public list shows; ``decision=None`` means every published decision."""

    q: str = ""
    decision: Decision | None = Decision.keep
    department: Department | None = None
    category: ItemCategory | None = None
    approval_level: ApprovalLevel | None = None
    fee_charged: bool | None = None
    sort: str = "relevance"


@dataclass
class Page:
    items: list[Item]
    total: int
    page: int
    per_page: int
    filters: ItemFilters
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def published() -> sa.ColumnElement[bool]:
    """The one condition every public read carries: the item has a published decision."""
    return Item.decision.is_not(None)


def _search_conditions(segs: list[str]) -> list[sa.ColumnElement[bool]]:
    """Every segment's tokens present in the index, then confirmed as a substring."""
    conds = []
    all_tokens = sorted(set().union(*(segment_tokens(s) for s in segs)))
    tok = ItemSearchToken
    if len(all_tokens) == 1:
        cand = sa.select(tok.item_id).where(tok.token == all_tokens[0])
    else:
        cand = (sa.select(tok.item_id).where(tok.token.in_(all_tokens))
                .group_by(tok.item_id).having(sa.func.count() == len(all_tokens)))
    conds.append(Item.id.in_(cand))
    conds.extend(ItemSearchDoc.body.contains(s, autoescape=True) for s in segs)
    return conds


def filtered(filters: ItemFilters) -> tuple[sa.Select, list[str]]:
    """``select(Item)`` of the published items matching ``filters`` (unordered), and the segments."""
    stmt = sa.select(Item).where(published())
    if filters.decision is not None:
        stmt = stmt.where(Item.decision == filters.decision)
    if filters.department is not None:
        stmt = stmt.where(Item.implementing_department_id == filters.department.id)
    if filters.category is not None:
        stmt = stmt.where(Item.category == filters.category)
    if filters.approval_level is not None:
        stmt = stmt.where(Item.approval_level == filters.approval_level)
    if filters.fee_charged is not None:
        stmt = stmt.where(Item.fee_charged.is_(filters.fee_charged))
    segs = query_segments(filters.q)
    if segs:
        stmt = stmt.join(ItemSearchDoc, ItemSearchDoc.item_id == Item.id).where(*_search_conditions(segs))
    return stmt, segs


def _ordering(filters: ItemFilters, segs: list[str]) -> list:
    if filters.sort == "name":
        return [Item.name, Item.code]
    if filters.sort == "newest":
        return [Item.decision_published_at.desc(), Item.id.desc()]
    if filters.sort == "relevance" and segs:
        whole = " ".join(segs)
        rank = sa.case(
            (ItemSearchDoc.name_norm == whole, 0),
            (ItemSearchDoc.name_norm.startswith(whole, autoescape=True), 1),
            (ItemSearchDoc.name_norm.contains(segs[0], autoescape=True), 2),
            else_=3,
        )
        return [rank, Item.code]
    return [Item.code]


def search_items(filters: ItemFilters, page: int = 1, per_page: int = 20) -> Page:
    """One page of published items, with the total count (exact name matches first)."""
    stmt, segs = filtered(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.with_only_columns(Item.id).subquery()))
    rows = db.session.scalars(
        stmt.order_by(*_ordering(filters, segs)).limit(per_page).offset((page - 1) * per_page)
        .options(joinedload(Item.implementing_department), joinedload(Item.competent_department),
                 selectinload(Item.bases))
    ).unique().all()
    return Page(list(rows), total or 0, page, per_page, filters)


def iter_items(filters: ItemFilters, batch: int = 500) -> Iterator[Item]:
    """Every matching published item by code, fetched in keyset batches: constant memory."""
    stmt, _segs = filtered(filters)
    last = ""
    while True:
        rows = db.session.scalars(
            stmt.where(Item.code > last).order_by(Item.code).limit(batch)
            .options(joinedload(Item.implementing_department), joinedload(Item.competent_department),
                     selectinload(Item.bases))
        ).unique().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].code


def get_item(code: str) -> Item | None:
    """A published item by its permanent code; ``None`` for unknown or never-published items."""
    return db.session.scalars(
        sa.select(Item).where(Item.code == code, published())
        .options(joinedload(Item.implementing_department), joinedload(Item.competent_department),
                 selectinload(Item.bases), selectinload(Item.children))
    ).first()


def public_children(item: Item) -> list[Item]:
    return [c for c in item.children if c.decision is not None]


@dataclass(frozen=True)
class HistoryEntry:
    round_name: str
    year: int
    decision: Decision
    reason: str
    pending_on: str | None
    published_at: object


def item_history(item: Item) -> list[HistoryEntry]:
    """The item's published decisions over the rounds, newest first (never drafts or proposals)."""
    rows = db.session.execute(
        sa.select(Review, ReviewRound).join(ReviewRound, ReviewRound.id == Review.round_id)
        .where(Review.item_id == item.id, Review.state == ReviewState.published,
               Review.final_decision.is_not(None))
        .order_by(Review.published_at.desc(), ReviewRound.year.desc(), Review.id.desc())
    ).all()
    return [HistoryEntry(rnd.name, rnd.year, rv.final_decision, rv.reason, rv.pending_on, rv.published_at)
            for rv, rnd in rows]


def newest_decisions(limit: int = 10) -> list[Item]:
    return list(db.session.scalars(
        sa.select(Item).where(published())
        .order_by(Item.decision_published_at.desc(), Item.id.desc()).limit(limit)
        .options(joinedload(Item.implementing_department))
    ))


@dataclass(frozen=True)
class FeedEntry:
    review_id: int
    item: Item
    round_name: str
    decision: Decision
    reason: str
    published_at: object


def feed_entries(limit: int = 50) -> list[FeedEntry]:
    """The latest published decisions, one per (item, round)."""
    rows = db.session.execute(
        sa.select(Review, Item, ReviewRound)
        .join(Item, Item.id == Review.item_id).join(ReviewRound, ReviewRound.id == Review.round_id)
        .where(Review.state == ReviewState.published, Review.published_at.is_not(None),
               Review.final_decision.is_not(None), published())
        .order_by(Review.published_at.desc(), Review.id.desc()).limit(limit)
    ).all()
    return [FeedEntry(rv.id, it, rnd.name, rv.final_decision, rv.reason, rv.published_at) for rv, it, rnd in rows]


def public_departments() -> list[tuple[Department, dict[Decision, int]]]:
    """Departments implementing at least one published item, with counts by decision."""
    rows = db.session.execute(
        sa.select(Item.implementing_department_id, Item.decision, sa.func.count())
        .where(published()).group_by(Item.implementing_department_id, Item.decision)
    ).all()
    counts: dict[int, dict[Decision, int]] = {}
    for dept_id, decision, n in rows:
        counts.setdefault(dept_id, {})[decision] = n
    if not counts:
        return []
    depts = db.session.scalars(sa.select(Department).where(Department.id.in_(counts)).order_by(Department.code))
    return [(d, counts[d.id]) for d in depts]


def department_choices() -> list[Department]:
    """Departments implementing at least one published item (the list filters offer these)."""
    has_public = sa.select(Item.id).where(Item.implementing_department_id == Department.id, published()).exists()
    return list(db.session.scalars(sa.select(Department).where(has_public).order_by(Department.code)))


def department_by_code(code: str) -> Department | None:
    """A department, only if it implements a published item (else it is not public)."""
    dept = db.session.scalar(sa.select(Department).where(Department.code == code))
    if dept is None:
        return None
    has = db.session.scalar(sa.select(Item.id).where(published(), Item.implementing_department_id == dept.id)
                            .limit(1))
    return dept if has is not None else None


def data_version() -> tuple[str, object]:
    """A fingerprint of everything public and the latest change time (exports' ETag/Last-Modified)."""
    n, last_change, last_pub = db.session.execute(
        sa.select(sa.func.count(Item.id), sa.func.max(Item.updated_at), sa.func.max(Item.decision_published_at))
        .where(published())
    ).one()
    depts = db.session.execute(sa.select(Department.id, Department.name).order_by(Department.id)).all()
    raw = f"{n}|{last_change}|{last_pub}|{depts}".encode()
    newest = max((t for t in (last_change, last_pub) if t is not None), default=None)
    return hashlib.sha256(raw).hexdigest()[:32], newest
