"""Shared people and objects for the workspace view tests (items and review)."""
import pytest
from flask import g

from registry.auth.models import Role


@pytest.fixture
def dept_a(create_department):
    return create_department("DA", "甲部门")


@pytest.fixture
def dept_b(create_department):
    return create_department("DB", "乙部门")


@pytest.fixture
def people(create_user, dept_a, dept_b):
    return {
        "staff": create_user("staff_a", Role.department_staff, department=dept_a),
        "other": create_user("staff_b", Role.department_staff, department=dept_b),
        "officer": create_user("officer", Role.legal_officer),
        "approver": create_user("approver", Role.approver),
        "both": create_user("both", Role.legal_officer, Role.approver),
        "admin": create_user("admin", Role.admin),
    }


@pytest.fixture
def item_a(create_item, dept_a):
    return create_item("XA0001", department=dept_a, name="甲许可")


@pytest.fixture
def review_a(create_review, item_a):
    return create_review(item_a)


@pytest.fixture
def as_user(login_as):
    """Sign ``user`` in for the next requests (forgetting the user Flask-Login cached in ``g``)."""

    def _as(user):
        g.pop("_login_user", None)
        return login_as(user)

    return _as


@pytest.fixture
def client(app):
    """The test client; a changed ``lang`` cookie also drops the locale Flask-Babel cached in ``g``."""
    import flask_babel

    c = app.test_client()
    original = c.set_cookie

    def set_cookie(*args, **kwargs):
        original(*args, **kwargs)
        flask_babel.refresh()

    c.set_cookie = set_cookie
    return c
