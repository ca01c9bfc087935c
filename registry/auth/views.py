"""Sign in and sign out."""
from __future__ import annotations

import secrets

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from registry.auth import services
from registry.auth.forms import LoginForm, LogoutForm
from registry.auth.models import Role
from registry.extensions import db
from registry.i18n import LANG_COOKIE
from registry.public.views import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

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
    """Username and password; failures and successes are audited."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            services.record_failed_login(form.username.data)
            db.session.commit()
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", form=form)
        services.record_login(user)
        db.session.commit()
        _fresh_session()
        login_user(user)
        flash(_("Signed in as %(name)s.", name=user.display_name), "success")
        return redirect(safe_next(form.next.data))
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
