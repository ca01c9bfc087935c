"""Flask-Login wiring: loading the user a session cookie names."""
from __future__ import annotations

from registry.auth.models import User
from registry.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Session ids are ``<user id>:<session epoch>``; a bumped epoch ends old sessions."""
    try:
        user_id, epoch = (int(part) for part in user_key.split(":", 1))
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.session_epoch != epoch:
        return None
    return user
