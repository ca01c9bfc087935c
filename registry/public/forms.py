"""Reading the public list filters from a query string (lenient for pages, strict for the API)."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from registry.items.models import ApprovalLevel, Decision, ItemCategory
from registry.public import queries
from registry.public.search import MAX_QUERY_CHARS

MAX_PAGE = 1_000_000
DECISION_CHOICES = {"keep": Decision.keep, "abolish": Decision.abolish, "pending": Decision.pending, "all": None}


class BadFilter(ValueError):
    """A filter value the API refuses (pages ignore it instead)."""

    def __init__(self, param: str, value: str):
        super().__init__(f"invalid value for {param!r}: {value[:40]!r}")
        self.param = param


def _enum(args: MultiDict, name: str, enum_cls, strict: bool):
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        if strict:
            raise BadFilter(name, raw) from None
        return None


def parse_filters(args: MultiDict, *, strict: bool = False, default_decision: str = "keep",
                  decisions: tuple[str, ...] = ("keep",)) -> queries.ItemFilters:
    """Filters from ``args``; an unknown value is dropped (pages) or raises ``BadFilter`` (API).

    ``decisions`` are the decision values this list accepts (``all`` = every published one).
    """
    raw_decision = (args.get("decision") or default_decision).strip()
    if raw_decision not in decisions:
        if strict:
            raise BadFilter("decision", raw_decision)
        raw_decision = default_decision
    dept = None
    dept_code = (args.get("department") or "").strip()[:40]
    if dept_code:
        dept = queries.department_by_code(dept_code)
        if dept is None and strict:
            raise BadFilter("department", dept_code)
    fee_words = {"yes": True, "no": False} if strict else {"yes": True, "true": True, "1": True, "no": False,
                                                            "false": False, "0": False}
    raw_fee = args.get("fee") or ""
    fee = fee_words.get(raw_fee if strict else raw_fee.strip().lower())
    if fee is None and (args.get("fee") or "").strip() and strict:
        raise BadFilter("fee", args.get("fee", ""))
    if strict and len(args.get("q") or "") > MAX_QUERY_CHARS:
        raise BadFilter("q", args.get("q", ""))
    sort = (args.get("sort") or "relevance").strip()
    if sort not in queries.SORTS:
        if strict:
            raise BadFilter("sort", sort)
        sort = "relevance"
    return queries.ItemFilters(
        q=(args.get("q") or "")[:MAX_QUERY_CHARS].strip(),
        decision=DECISION_CHOICES[raw_decision],
        department=dept,
        category=_enum(args, "category", ItemCategory, strict),
        approval_level=_enum(args, "level", ApprovalLevel, strict),
        fee_charged=fee,
        sort=sort,
    )


def parse_int(args: MultiDict, name: str, default: int, *, lo: int = 1, hi: int = MAX_PAGE,
              strict: bool = False) -> int:
    """An integer argument clamped to ``[lo, hi]``; garbage is the default (strict: ``BadFilter``, also
    for a value outside ``[lo, hi]``)."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if len(raw) <= 12 else None
    except ValueError:
        value = None
    if value is None or (strict and not lo <= value <= hi):
        if strict:
            raise BadFilter(name, raw)
        return default
    return max(lo, min(value, hi))


def filter_args(filters: queries.ItemFilters, **extra) -> dict:
    """The query-string form of ``filters`` (for links, pagination and downloads)."""
    out = {
        "q": filters.q or None,
        "department": filters.department.code if filters.department else None,
        "category": filters.category.value if filters.category else None,
        "level": filters.approval_level.value if filters.approval_level else None,
        "fee": None if filters.fee_charged is None else ("yes" if filters.fee_charged else "no"),
        "sort": filters.sort if filters.sort != "relevance" else None,
    }
    out.update(extra)
    return {k: v for k, v in out.items() if v is not None}
