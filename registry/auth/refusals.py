"""Permission refusals: every 403, every 404 that hides another department's object, and
every API token refused (401), is logged and audited (``auth.refused``) with who, what, when
and where.

When the refused request had written anything (a flush, or objects pending), that work is
rolled back first; the audit event then commits alone, so a refusal never commits half a
request.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Session

from registry.auth.services import ANONYMOUS

log = logging.getLogger("registry.auth")


_WROTE = "registry.request_wrote"
_REFUSED = "registry.refused"


@sa.event.listens_for(Session, "before_flush")
def _note_write(session, _ctx, _instances):
    if has_request_context() and (session.new or session.dirty or session.deleted):
        request.environ[_WROTE] = True


def _request_wrote(session) -> bool:
    return bool(request.environ.get(_WROTE) or session.new or session.dirty or session.deleted)


def mark(status: int) -> None:
    """Note that this request is refused on purpose (a 404 is otherwise just "not found")."""
    request.environ[_REFUSED] = status


def _actor():
    user = g.get("api_user")
    if user is None and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    return user or ANONYMOUS


def _entity() -> tuple[str, str]:
    for key, value in (request.view_args or {}).items():
        if key.endswith("_id"):
            return key[:-3] + "s", str(value)
    return "", ""


def audit_refusal(response: Response) -> Response:
    """after_request: audit a 403, or a 401 or 404 marked as a refusal."""
    status = response.status_code
    if status != 403 and not (status in (401, 404) and request.environ.get(_REFUSED) == status):
        return response
    from registry.audit.services import record
    from registry.db import set_write_intent
    from registry.extensions import db

    actor = _actor()
    entity_type, entity_id = _entity()
    log.warning("refused %s %s to %s from %s with %s (request %s)", request.method, request.path,
                actor.username, request.remote_addr, status, g.get("request_id", "-"))
    try:
        # end the request's transaction: roll back its writes, or close its reads (on SQLite a
        # read transaction cannot always be upgraded), then write the event in a new one
        if _request_wrote(db.session):
            db.session.rollback()
        else:
            db.session.commit()
        set_write_intent(True)
        record("auth.refused", actor=actor, entity_type=entity_type, entity_id=entity_id,
               changes={"method": [None, request.method], "path": [None, request.path[:300]],
                        "endpoint": [None, request.endpoint or ""], "status": [None, status]})
        db.session.commit()
    except Exception:  # the refusal stands even when its audit cannot be written
        log.exception("could not audit a refusal (request %s)", g.get("request_id", "-"))
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    app.after_request(audit_refusal)
