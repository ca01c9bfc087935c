"""Flask-Login wiring: loading the user a session cookie names, and where anonymous users go."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from registry.auth.models import User
from registry.extensions import db, login_manager

login_manager.login_view = "auth.login"
#: the user and their roles in one statement (every permission check reads them)
WITH_ROLES = (joinedload(User.role_rows),)


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Session ids are ``<user id>:<session epoch>``; a bumped epoch ends old sessions."""
    try:
        user_id, epoch = (int(part) for part in user_key.split(":", 1))
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, user_id, options=WITH_ROLES)
    if user is None or not user.is_active or user.session_epoch != epoch:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    """Pages send anonymous users to the sign-in form (and back); the API answers 401."""
    if request.path.startswith("/api/"):
        abort(401)
    flash(str(_l("Please sign in to see this page.")), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
