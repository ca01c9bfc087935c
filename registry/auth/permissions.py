"""Who may see and do what: plain predicates shared by pages, the API and services."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from registry.auth.models import Role, User
from registry.items.models import Item

#: roles that see every item and review
OVERSIGHT_ROLES = (Role.legal_officer, Role.approver, Role.admin)


def is_authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def owns_item(user: User, item: Item) -> bool:
    """Department staff own the items their department implements or is competent for."""
    return (
        is_authenticated(user)
        and user.has_role(Role.department_staff)
        and user.department_id is not None
        and user.department_id in (item.implementing_department_id, item.competent_department_id)
    )


def can_view_item(user: User, item: Item) -> bool:
    return is_authenticated(user) and (user.has_role(*OVERSIGHT_ROLES) or owns_item(user, item))


def can_edit_item(user: User, item: Item) -> bool:
    return owns_item(user, item) or (is_authenticated(user) and user.has_role(Role.admin))


def can_view_review(user: User, review) -> bool:
    return can_view_item(user, review.item)


def require(condition: bool, status: int = 403) -> None:
    """Abort with ``status`` (403, or 404 where the object must stay invisible); audited as a refusal."""
    if not condition:
        from registry.auth.refusals import mark

        mark(status)
        abort(status)


def roles_required(*roles: Role):
    """View decorator: signed in and holding at least one of ``roles`` (else 401 / 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not is_authenticated(current_user):
                from registry.extensions import login_manager

                return login_manager.unauthorized()
            require(current_user.has_role(*roles))
            return view(*args, **kwargs)

        return wrapped

    return decorator
