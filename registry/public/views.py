"""Public portal pages (no login): home, lists, item pages, statistics, feed, language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, render_template, request
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from registry.db import utcnow
from registry.i18n import LANG_COOKIE, SHORT
from registry.items.models import ApprovalLevel, Decision, ItemCategory
from registry.public import caching, charts, cli, labels, queries, stats
from registry.public.cache import cached
from registry.public.forms import filter_args, parse_filters, parse_int
from registry.public.search import highlight

bp = Blueprint("public", __name__)
caching.init_blueprint(bp)
cli.register(bp)
PER_PAGE = 20


@bp.app_context_processor
def _public_helpers():
    return {"labels": labels.all_labels(), "highlight": highlight, "filter_args": filter_args}


@bp.app_template_filter("day")
def day(value) -> str:
    """``value|dateformat``, formatted once per distinct value and request (lists repeat dates)."""
    seen = g.setdefault("_public_days", {})
    if value not in seen:
        seen[value] = format_date(value)
    return seen[value]


@bp.get("/")
@cached
def home():
    """The latest published round's headline, a chart, the search box and the newest decisions."""
    s = queries.round_stats()
    chart = charts.stacked([(labels.DECISION[d], {d: getattr(s, d.value)}) for d in stats.DECISIONS])
    return render_template("public/home.html", stats=s, chart=chart, newest=queries.newest_decisions())


@bp.get("/items")
@cached
def items():
    """Retained items: full-text search, filters, sorting, pagination."""
    filters = parse_filters(request.args)
    page = queries.search_items(filters, parse_int(request.args, "page", 1), PER_PAGE)
    return render_template(
        "public/items.html", page=page, filters=filters, departments=queries.department_choices(),
        categories=list(ItemCategory), levels=list(ApprovalLevel), sorts=SORT_LABELS,
    )


SORT_LABELS = {"relevance": _l("Relevance"), "code": _l("Code"), "name": _l("Name"), "newest": _l("Newest decision")}
DECISION_LISTS = {"abolished": Decision.abolish, "pending": Decision.pending}


@bp.get("/abolished", defaults={"which": "abolished"}, endpoint="abolished")
@bp.get("/pending", defaults={"which": "pending"}, endpoint="pending")
@cached
def decision_list(which: str):
    """Abolished or pending items: name, department, basis, decision and short reason."""
    decision = DECISION_LISTS[which]
    filters = parse_filters(request.args, default_decision=decision.value, decisions=(decision.value,))
    page = queries.search_items(filters, parse_int(request.args, "page", 1), PER_PAGE)
    return render_template("public/decision_list.html", page=page, filters=filters, which=which,
                           decision=decision, departments=queries.department_choices())


@bp.get("/items/<path:code>")
@cached
def item(code: str):
    """An item's permanent page: the Art. 30 information, its decision and public history."""
    found = queries.get_item(code)
    if found is None:
        abort(404)
    return render_template("public/item.html", item=found, history=queries.item_history(found),
                           children=queries.public_children(found))


@bp.get("/statistics")
@cached
def statistics():
    """Charts by decision, department and setting-basis type, each with its table."""
    decisions = stats.by_decision()
    departments = stats.by_department()
    bases = stats.by_basis_type()
    department_rows = [(r.label, r.counts) for r in departments]
    basis_rows = [(labels.INSTRUMENT[t], c) for t, c in bases]
    return render_template(
        "public/statistics.html", decisions=decisions, departments=departments, bases=bases,
        department_rows=department_rows, basis_rows=basis_rows,
        decision_chart=charts.stacked([(labels.DECISION[d], {d: n}) for d, n in decisions.items()]),
        department_chart=charts.stacked(department_rows), basis_chart=charts.stacked(basis_rows),
    )


@bp.get("/feed.atom")
def feed():
    """An Atom feed of the latest published decisions."""
    entries = queries.feed_entries()
    body = render_template("public/feed.xml", entries=entries, now=utcnow(),
                           updated=entries[0].published_at if entries else None)
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@bp.get("/open-data")
@cached
def open_data():
    """How to reuse the data: the API, its OpenAPI description, downloads and the feed."""
    return render_template("public/open_data.html")


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember the chosen language in a cookie and go back."""
    response = redirect(safe_next(request.args.get("next")))
    if code in SHORT:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


from registry.public import downloads  # noqa: E402,F401  (registers the download routes on ``bp``)
