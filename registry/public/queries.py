"""Read-side queries for the public: published decisions only (``Item.decision IS NOT NULL``)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from registry.extensions import db
from registry.items.models import (
    ApprovalLevel,
    Decision,
    Department,
    Item,
    ItemCategory,
)
from registry.public import rows as plain
from registry.public.models import ItemSearchDoc, ItemSearchToken
from registry.public.search import Term, is_exact, query_segments, segment_terms
from registry.public.stats import RoundStats, latest_published_round, round_stats  # noqa: F401  (re-exported)
from registry.review.models import Review, ReviewRound, ReviewState

SORTS = ("relevance", "code", "name", "newest")
#: a result count stops here ("10,000+"): counting a whole register on every request is the slow part
COUNT_CAP = 10_000
#: a term with at least this many postings is left to the substring check when rarer terms exist
COMMON_TERM = 2_000


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
    items: list  # of rows.ItemRow
    #: the number of matches, at most ``COUNT_CAP`` (then ``total_exact`` is false)
    total: int
    page: int
    per_page: int
    filters: ItemFilters
    extra: dict = field(default_factory=dict)
    total_exact: bool = True
    #: whether rows follow this page (looked up when the count is capped)
    more: bool = False

    @property
    def pages(self) -> int:
        """The last page number known to exist (with a capped count, the cap's last page)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages if self.total_exact else self.more


def published() -> sa.ColumnElement[bool]:
    """The one condition every public read carries: the item has a published decision."""
    return Item.decision.is_not(None)


def _token_match(term: Term) -> sa.ColumnElement[bool]:
    tok = ItemSearchToken
    if not term.prefix:
        return tok.token == term.value
    upper = term.value[:-1] + chr(ord(term.value[-1]) + 1)
    return sa.and_(tok.token >= term.value, tok.token < upper)


def _posting_decision(decision: Decision | None) -> sa.ColumnElement[bool]:
    """A token row of a published item (with ``decision``, if given)."""
    tok = ItemSearchToken
    return tok.decision.is_not(None) if decision is None else tok.decision == decision


def _term_select(term: Term, decision: Decision | None = None) -> sa.Select:
    return sa.select(ItemSearchToken.item_id).where(_token_match(term), _posting_decision(decision))


def _rare_terms(terms: list[Term]) -> list[Term]:
    """The terms worth intersecting: the rarest, and every other one with few postings."""
    if len(terms) <= 2:
        return terms
    probes = [sa.select(sa.literal(i).label("term"), sa.func.count().label("n"))
              .select_from(_term_select(t).limit(COMMON_TERM).subquery()) for i, t in enumerate(terms)]
    counts = dict(db.session.execute(sa.union_all(*probes)).tuples().all())
    ranked = sorted(range(len(terms)), key=lambda i: (counts.get(i, 0), i))
    keep = [i for i in ranked if counts.get(i, 0) < COMMON_TERM] or ranked[:1]
    return [terms[i] for i in sorted(keep)]


def _search_conditions(segs: list[str], decision: Decision | None) -> list[sa.ColumnElement[bool]]:
    """Published items (with ``decision``, if given) holding the segments' index terms; a substring
    check (on the joined ``ItemSearchDoc``) where the index is not exact. The token rows filter the
    decision: the candidates come from the index, never from a walk over every published item."""
    terms = list(dict.fromkeys(t for s in segs for t in segment_terms(s)))
    used = _rare_terms(terms)
    selects = [_term_select(t, decision) for t in used]
    cand = selects[0] if len(selects) == 1 else sa.intersect(*selects)
    conds: list[sa.ColumnElement[bool]] = [Item.id.in_(cand)]
    confirm = segs if len(used) < len(terms) else [s for s in segs if not is_exact(s)]
    conds.extend(ItemSearchDoc.body.contains(s, autoescape=True) for s in confirm)
    return conds


def filtered(filters: ItemFilters) -> tuple[sa.Select, list[str]]:
    """``select(Item)`` of the published items matching ``filters`` (unordered), and the segments."""
    stmt, segs, _joined = _filtered(filters)
    return stmt, segs


def _item_conditions(filters: ItemFilters) -> list[sa.ColumnElement[bool]]:
    """The filters on the item's own columns (not its decision, not the text)."""
    conds = []
    if filters.department is not None:
        conds.append(Item.implementing_department_id == filters.department.id)
    if filters.category is not None:
        conds.append(Item.category == filters.category)
    if filters.approval_level is not None:
        conds.append(Item.approval_level == filters.approval_level)
    if filters.fee_charged is not None:
        conds.append(Item.fee_charged.is_(filters.fee_charged))
    return conds


def _filtered(filters: ItemFilters, ranked: bool = False) -> tuple[sa.Select, list[str], bool]:
    """As ``filtered``, and whether the statement already joins the search documents.

    A search's token rows filter the decision. The items' own decision column filters too, so
    that a sort by code or name can walk the list indexes, unless the caller sorts by relevance
    (``ranked``): an index walk cannot give that order, and would only scan every published item.
    """
    stmt = sa.select(Item).where(published(), *_item_conditions(filters))
    segs = query_segments(filters.q)
    if filters.decision is not None and not (segs and ranked):
        stmt = stmt.where(Item.decision == filters.decision)
    if not segs:
        return stmt, segs, False
    conds = _search_conditions(segs, filters.decision)
    joined = len(conds) > 1  # a text check reads the search document
    return (_with_doc(stmt) if joined else stmt).where(*conds), segs, joined


def _with_doc(stmt: sa.Select) -> sa.Select:
    return stmt.join(ItemSearchDoc, ItemSearchDoc.item_id == Item.id)


def _ordering(filters: ItemFilters, segs: list[str]) -> list[tuple[sa.ColumnElement, bool]]:
    """The sort keys of a list as (expression, descending) pairs; the last one is unique."""
    if filters.sort == "name":
        return [(Item.name, False), (Item.code, False)]
    if filters.sort == "newest":
        return [(Item.decision_published_at, True), (Item.id, True)]
    if filters.sort == "relevance" and segs:
        whole = " ".join(segs)
        rank = sa.case(  # ``search.name_rank``, which the token index stores for one-term searches
            (ItemSearchDoc.name_norm == whole, 0),
            (ItemSearchDoc.name_norm.startswith(whole, autoescape=True), 1),
            (ItemSearchDoc.name_norm.contains(segs[0], autoescape=True), 2),
            else_=3,
        )
        return [(rank, False), (Item.code, False)]
    return [(Item.code, False)]


def count_capped(stmt: sa.Select, cap: int | None = None) -> tuple[int, bool]:
    """How many rows ``stmt`` selects, counting no further than ``cap`` (``COUNT_CAP``): (count, exact)."""
    cap = COUNT_CAP if cap is None else cap
    return _capped(db.session.scalar(_count_upto(stmt.with_only_columns(Item.id), cap)) or 0, cap)


def _count_upto(stmt: sa.Select, cap: int) -> sa.Select:
    """The number of rows of one-column ``stmt``, counted up to ``cap + 1`` (more means "over the cap")."""
    return sa.select(sa.func.count()).select_from(stmt.limit(cap + 1).subquery())


def _capped(n: int, cap: int) -> tuple[int, bool]:
    return min(n, cap), n <= cap


def search_items(filters: ItemFilters, page: int = 1, per_page: int = 20) -> Page:
    """One page of published items with their count up to ``COUNT_CAP`` (exact name matches first).

    One statement reads the page and the count (``rows.load_page``: the page's ids are found
    and sorted on narrow rows first, so a search with thousands of hits never sorts whole item
    rows), another the page's setting bases. A search for one word by relevance reads both the
    page's ids and the count from the token index alone (``_term_query``).
    """
    segs = query_segments(filters.q)
    if len(segs) == 1 and is_exact(segs[0]):
        ids, counted, order = _term_query(filters, segs[0])
        if filters.sort != "relevance":  # the token rows still count; the list indexes give this order
            ids, _counted, order = _list_query(filters)
    else:
        ids, counted, order = _list_query(filters)
    count = _count_upto(counted, COUNT_CAP)
    rows, n = plain.load_page(ids, order, per_page + 1, (page - 1) * per_page, count)
    if n is None:  # past the last page: no row brought the count
        n = db.session.scalar(count) or 0
    total, exact = _capped(n, COUNT_CAP)
    return Page(rows[:per_page], total, page, per_page, filters, total_exact=exact, more=len(rows) > per_page)


def _list_query(filters: ItemFilters) -> tuple[sa.Select, sa.Select, list[tuple[sa.ColumnElement, bool]]]:
    """Any list or search: (the ids to sort, what to count, the sort keys)."""
    stmt, segs, joined = _filtered(filters, ranked=filters.sort == "relevance")
    counted = stmt.with_only_columns(Item.id)
    if filters.sort == "relevance" and segs and not joined:  # the rank reads the normalised name
        stmt = _with_doc(stmt)
    return stmt.with_only_columns(Item.id.label("item_id")), counted, _ordering(filters, segs)


def _term_query(filters: ItemFilters, seg: str) -> tuple[sa.Select, sa.Select, list[tuple[sa.ColumnElement, bool]]]:
    """A search for one segment that one index term decides, on the token rows alone:
    (the ids to sort, what to count, the sort keys).

    The token rows carry the decision, the code and the token's rank in the name, and are keyed
    in that order (``ItemSearchToken``): the count and the page are one index range, sorted as
    ``_ordering`` sorts (a prefix matches several tokens of an item: its best rank counts).
    """
    (term,) = segment_terms(seg)
    tok = ItemSearchToken
    stmt = sa.select(tok.item_id.label("item_id")).where(_token_match(term), _posting_decision(filters.decision))
    if conds := _item_conditions(filters):
        stmt = stmt.join(Item, Item.id == tok.item_id).where(*conds)
    if not term.prefix:
        return stmt, stmt, [(tok.name_rank, False), (tok.code, False)]
    rank = sa.case((sa.and_(tok.name_rank == 0, tok.token == seg), 0), (tok.name_rank <= 1, 1), else_=tok.name_rank)
    return stmt.group_by(tok.item_id, tok.code), stmt.distinct(), [(sa.func.min(rank), False), (tok.code, False)]


def iter_items(filters: ItemFilters, batch: int = 1000) -> Iterator[plain.ExportRow]:
    """Every matching published item by code as plain rows, in keyset batches: constant memory."""
    stmt, _segs = filtered(filters)
    stmt = (stmt.with_only_columns(*plain.ROW_COLUMNS, *plain.EXPORT_COLUMNS)
            .join(plain.impl, plain.impl.id == Item.implementing_department_id)
            .join(plain.comp, plain.comp.id == Item.competent_department_id))
    last = ""
    while True:
        rows = [plain.ExportRow(*r[:9], plain.DepartmentRef(r[9], r[10]), plain.DepartmentRef(r[11], r[12]), [],
                                *r[13:])
                for r in db.session.execute(stmt.where(Item.code > last).order_by(Item.code).limit(batch))]
        if not rows:
            return
        plain.add_setting_bases({r.id: r for r in rows})
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


def department_choices() -> list:
    """Departments implementing at least one published item (the list filters offer these):
    rows of ``id``, ``code`` and ``name``."""
    has_public = sa.select(Item.id).where(Item.implementing_department_id == Department.id, published()).exists()
    return list(db.session.execute(
        sa.select(Department.id, Department.code, Department.name).where(has_public).order_by(Department.code)))


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
