"""Session lifetime: an idle timeout and an absolute lifetime for signed-in sessions.

The signed session cookie carries ``auth_at`` (sign-in) and ``seen_at`` (last request), in
seconds since the epoch. A session idle for longer than ``SESSION_IDLE_MINUTES`` or older than
``SESSION_MAX_HOURS`` is signed out before the request is served.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, flash, g, session
from flask_babel import lazy_gettext as _l
from flask_login import logout_user

from registry.i18n import LANG_COOKIE

log = logging.getLogger("registry.auth")

#: seconds between refreshes of ``seen_at`` (so not every request rewrites the cookie)
TOUCH_EVERY = 60


def clock() -> float:
    """The time sessions are measured on (tests may replace it)."""
    return time.time()


def start(now: float | None = None) -> None:
    """Stamp a freshly signed-in session."""
    now = int(clock() if now is None else now)
    session["auth_at"] = now
    session["seen_at"] = now


def expired(now: float) -> bool:
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.config["SESSION_MAX_HOURS"] * 3600
    auth_at = session.get("auth_at", now)
    seen_at = session.get("seen_at", now)
    return now - seen_at > idle or now - auth_at > lifetime


def enforce() -> None:
    """before_request: sign out an expired session; otherwise note that it was seen."""
    if "_user_id" not in session:
        return
    now = int(clock())
    if not isinstance(session.get("auth_at"), int):
        start(now)  # a session signed in before lifetimes were kept starts its clocks now
        return
    if expired(now):
        log.info("session of user %s expired (request %s)", session.get("_user_id"), g.get("request_id", "-"))
        lang = session.get(LANG_COOKIE)
        logout_user()
        session.clear()
        if lang:
            session[LANG_COOKIE] = lang
        flash(str(_l("Your session has expired; please sign in again.")), "info")
        return
    if now - session.get("seen_at", 0) >= TOUCH_EVERY:
        session["seen_at"] = now


def init_app(app: Flask) -> None:
    app.before_request(enforce)
