"""The workflow API for other systems: bearer tokens only, the same services as the pages."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, abort, g, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from registry.api.workflow_io import MAX_BODY_BYTES, parse_action_request, review_json
from registry.auth import throttle
from registry.auth.models import Role, User
from registry.auth.permissions import OVERSIGHT_ROLES, can_view_review, require
from registry.auth.refusals import mark
from registry.auth.tokens import find_token, touch, touch_due
from registry.db import set_write_intent
from registry.errors_domain import DomainError, ValidationFailed
from registry.extensions import csrf, db
from registry.items.models import Department, Item
from registry.review.models import Review, ReviewState
from registry.review.services import perform

log = logging.getLogger("registry.auth")
bp = Blueprint("workflow_api", __name__, url_prefix="/api/v1")
#: no cookie session is ever accepted here (token only), so there is nothing for CSRF to abuse
csrf.exempt(bp)

MAX_PER_PAGE = 200
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _error(status: int, message: str, field: str | None = None):
    body = {"status": status, "error": message, "request_id": g.get("request_id", "")}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="registry"'
    return response


@bp.before_request
def _authenticate():
    """``Authorization: Bearer <token>``; a cookie session is ignored.

    A request that acts starts as a writer (on SQLite ``BEGIN IMMEDIATE``: a read transaction
    upgraded to a write fails at once when another writer got in). A read stays a reader; when
    the token's last-used time is due (at most every few minutes) it is written apart, in a short
    write transaction of its own, before the request reads anything else.
    """
    writing = request.method not in SAFE_METHODS
    set_write_intent(writing)
    scheme, _, plaintext = request.headers.get("Authorization", "").partition(" ")
    plaintext = plaintext.strip() if scheme.lower() == "bearer" else ""
    address = request.remote_addr or ""
    if plaintext and not throttle.current().token_refusals_allowed(address):
        log.warning("API token from %s not checked: too many refused (request %s)", address, g.get("request_id", "-"))
        return _error(429, str(_l("Too many refused tokens from this address; wait a minute and try again.")))
    token = find_token(plaintext)
    if token is not None and touch_due(token):
        if writing:
            touch(token)  # committed with the action
        else:
            token = _touch_apart(plaintext)
    if token is None:
        if plaintext:  # a token was presented and refused: counted, logged and audited
            throttle.current().record_token_refusal(address)
            mark(401)
        return _error(401, str(_l("A valid API token is required.")))
    g.api_user = token.user


def _touch_apart(plaintext: str):
    """Note the token's use in its own write transaction; the request then reads afresh."""
    db.session.commit()  # ends the read transaction (nothing was written)
    set_write_intent(True)
    try:
        token = find_token(plaintext)
        if token is not None:
            touch(token)
            db.session.commit()
    finally:
        set_write_intent(False)
    return find_token(plaintext) if token is not None else None


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    db.session.rollback()
    return _error(exc.status, exc.message, exc.field)


@bp.errorhandler(StaleDataError)
def _stale(exc):
    db.session.rollback()
    return _error(409, str(_l("This review was changed by someone else meanwhile — reload it.")))


def _visible_reviews(user):
    stmt = sa.select(Review).join(Review.item)
    if not user.has_role(*OVERSIGHT_ROLES):
        if not user.has_role(Role.department_staff) or user.department_id is None:
            abort(403)
        mine = user.department_id
        stmt = stmt.where(sa.or_(Item.implementing_department_id == mine, Item.competent_department_id == mine))
    return stmt


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationFailed(str(_l("Give a whole number from %(low)s to %(high)s.", low=low, high=high)), field=name)
    return int(raw)


@bp.get("/reviews")
def list_reviews():
    """Reviews the token's user may see, filtered by ``state`` and ``department`` (code)."""
    user = g.api_user
    stmt = _visible_reviews(user)
    if state := request.args.get("state"):
        if state not in {s.value for s in ReviewState}:
            raise ValidationFailed(str(_l("Unknown state.")), field="state")
        stmt = stmt.where(Review.state == ReviewState(state))
    if code := request.args.get("department"):
        dept_id = db.session.scalar(sa.select(Department.id).where(Department.code == code))
        if dept_id is None:
            raise ValidationFailed(str(_l("Unknown department.")), field="department")
        stmt = stmt.where(sa.or_(Item.implementing_department_id == dept_id, Item.competent_department_id == dept_id))
    page, per_page = _int_arg("page", 1, 1, 100000), _int_arg("per_page", 50, 1, MAX_PER_PAGE)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.options(*SERIALISED)
                              .order_by(Review.id).limit(per_page).offset((page - 1) * per_page)).all()
    body = {"reviews": [review_json(r, user) for r in rows], "page": page, "per_page": per_page, "total": total}
    db.session.commit()  # after serialising: a commit expires every loaded object
    return jsonify(body)


#: load options for everything ``review_json`` reads, in the same statement as the reviews; the
#: named users need only their usernames, so their roles load lazily if ever asked for (built once)
SERIALISED = (
    joinedload(Review.item).joinedload(Item.implementing_department),
    joinedload(Review.round),
    *(joinedload(rel).lazyload(User.role_rows) for rel in (Review.claimed_by, Review.proposer, Review.approver)),
)


def _load(review_id: int) -> Review:
    """The review, or 404 when it does not exist or the user may not see it."""
    review = db.session.get(Review, review_id, options=SERIALISED)
    if review is None:
        abort(404)
    require(can_view_review(g.api_user, review), 404)
    return review


@bp.get("/reviews/<int:review_id>")
def get_review(review_id: int):
    """One review with the actions the token's user may take now."""
    review = _load(review_id)
    data = review_json(review, g.api_user)
    db.session.commit()  # ends the read transaction
    return jsonify(data)


@bp.post("/reviews/<int:review_id>/actions")
def act(review_id: int):
    """Take one workflow action through ``review.services.perform`` (audited there)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        abort(413)
    review = _load(review_id)
    body = parse_action_request(request.get_json(silent=True))
    perform(review, body.action, actor=g.api_user, reason=body.reason, decision=body.decision,
            pending_on=body.pending_on, expected_version=body.version)
    data = review_json(review, g.api_user)  # flushed already; serialised before the commit expires it
    db.session.commit()
    return jsonify(data)

