"""Sign in and sign out."""
from __future__ import annotations

import logging
import secrets

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from registry.auth import services, sessions, throttle
from registry.auth.forms import LoginForm, LogoutForm
from registry.auth.models import Role
from registry.extensions import db
from registry.i18n import LANG_COOKIE
from registry.public.views import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")
log = logging.getLogger("registry.auth")

ROLE_LABELS = {
    Role.department_staff: _l("Department staff"),
    Role.legal_officer: _l("Legal officer"),
    Role.approver: _l("Approver"),
    Role.admin: _l("Administrator"),
}


@bp.app_context_processor
def _auth_helpers():
    return {"role_label": lambda role: str(ROLE_LABELS.get(role, role)), "logout_form": LogoutForm}


def _fresh_session() -> None:
    """Drop everything the old session carried (a new identifier), keeping only the language."""
    lang = session.get(LANG_COOKIE)
    session.clear()
    if lang:
        session[LANG_COOKIE] = lang
    session["nonce"] = secrets.token_urlsafe(16)
    g.pop("csrf_token", None)  # the CSRF token belonged to the old session


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Username and password, rate-limited and locked after repeated failures; all audited."""
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    username, limits = form.username.data.strip(), throttle.current()
    if not limits.allow_attempt(request.remote_addr or "", username):
        log.warning("sign-in rate limit hit for %r from %s", username[:64], request.remote_addr)
        flash(_("Too many sign-in attempts; wait a minute and try again."), "error")
        return render_template("auth/login.html", form=form), 429
    if limits.is_locked(username):
        return _refuse(form, username, locked=True)
    user = services.authenticate(username, form.password.data)
    if user is None:
        lockout = limits.record_failure(username)
        return _refuse(form, username, locked=lockout, lockout=lockout)
    limits.record_success(username)
    services.record_login(user)
    db.session.commit()
    _fresh_session()
    login_user(user)
    sessions.start()
    flash(_("Signed in as %(name)s.", name=user.display_name), "success")
    return redirect(safe_next(form.next.data))


def _refuse(form: LoginForm, username: str, *, locked: bool, lockout: bool = False):
    """A failed sign-in: audited (and the lockout, when this failure caused it), then explained."""
    services.record_failed_login(username, reason="locked" if locked and not lockout else "")
    if lockout:
        services.record_lockout(username, seconds=current_app.config["LOGIN_LOCKOUT_SECONDS"])
    db.session.commit()
    log.warning("failed sign-in for %r from %s%s", username[:64], request.remote_addr, " (locked)" if locked else "")
    if locked:
        minutes = -(-throttle.current().locked_for_seconds(username) // 60)
        flash(_("Too many failed sign-ins: this account is locked for %(n)s minutes.", n=max(minutes, 1)), "error")
        return render_template("auth/login.html", form=form), 429
    flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End the session everywhere: old cookies of this user stop working."""
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))
