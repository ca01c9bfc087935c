"""Every route of the app × every role → the expected status.

The routes come from ``app.url_map``: a new route without an entry here fails
``test_every_route_has_an_expectation``. Public routes (blueprints in PUBLIC_BLUEPRINTS) follow one
rule instead of entries: they answer every role alike, never 401/403 or 5xx.
Requests are GET for routes that accept it, else POST with an empty form (CSRF is off in tests).
"""
from __future__ import annotations

import pytest
from flask import g

from registry import create_app
from registry.auth.models import Role
from registry.extensions import login_manager
from registry.review.attachments import add_attachment

ROLES = ("anonymous", "own_staff", "other_staff", "officer", "approver", "admin")
#: blueprints whose routes are public: same answer for everyone (see test_public_routes_answer_everyone_alike)
PUBLIC_BLUEPRINTS = {"public", "api"}
LOGIN = "login"  # anonymous: redirected to the login page (401 while no login page is configured)


def row(anonymous=LOGIN, own_staff=200, other_staff=200, officer=200, approver=200, admin=200) -> dict:
    return {"anonymous": anonymous, "own_staff": own_staff, "other_staff": other_staff, "officer": officer,
                "approver": approver, "admin": admin}


SIGNED_IN = row()
OBJECT = row(other_staff=404)  # visible to the owning department and the oversight roles only
OWN_DEPT_EDIT = row(other_staff=404, officer=403, approver=403, admin=403)
ADMIN_ONLY = row(own_staff=403, other_staff=403, officer=403, approver=403)

MATRIX: dict[str, dict] = {
    "items.index": SIGNED_IN,
    "items.new": row(officer=403, approver=403),
    "items.detail": OBJECT,
    "items.edit": row(other_staff=404, officer=403, approver=403),
    "items.history_page": OBJECT,
    "review.detail": OBJECT,
    "review.history_page": OBJECT,
    "review.download": OBJECT,
    "review.act": row(own_staff=422, other_staff=404, officer=422, approver=422, admin=422),  # empty form
    "review.comment": row(own_staff=422, other_staff=404, officer=422, approver=422, admin=422),
    "review.justification": OWN_DEPT_EDIT,
    "review.upload": dict(OWN_DEPT_EDIT, own_staff=302),  # empty upload: a message, back to the form
    "review.queue": row(own_staff=403, other_staff=403, approver=403, admin=403),
    "review.approvals": row(own_staff=403, other_staff=403, officer=403, admin=403),
    "review.approve_selection": row(own_staff=403, other_staff=403, officer=403, approver=302, admin=403),
    "admin.rounds_index": ADMIN_ONLY,
    "admin.round_new": ADMIN_ONLY,
    "admin.round_detail": ADMIN_ONLY,
    "admin.round_add_items": dict(ADMIN_ONLY, admin=302),
    "admin.round_close": dict(ADMIN_ONLY, admin=302),
    "admin.round_publish": dict(ADMIN_ONLY, admin=302),
    "audit.index": ADMIN_ONLY,
    "audit.export": ADMIN_ONLY,
    "inbox.index": SIGNED_IN,
    # routes of the sign-in and workflow-API branch (issue 3, part a); checked once they are merged
    "auth.login": row(anonymous=200),
    "auth.logout": row(own_staff=302, other_staff=302, officer=302, approver=302, admin=302),
    "workflow_api.list_reviews": row(anonymous=401, own_staff=401, other_staff=401, officer=401, approver=401,
                                     admin=401),  # needs a bearer token, a session is not enough
    "workflow_api.get_review": row(anonymous=401, own_staff=401, other_staff=401, officer=401, approver=401,
                                   admin=401),
    "workflow_api.act": row(anonymous=401, own_staff=401, other_staff=401, officer=401, approver=401, admin=401),
    # imports, reports and alignment (issue 5); upload 999999 does not exist, the round is not published
    "imports.template": row(approver=403),
    "imports.upload": row(officer=403, approver=403),
    "imports.preview": row(own_staff=404, other_staff=404, officer=403, approver=403, admin=404),
    "imports.confirm": row(own_staff=404, other_staff=404, officer=403, approver=403, admin=404),
    "reports.index": row(own_staff=403, other_staff=403),
    "reports.legal_findings": row(own_staff=403, other_staff=403),
    "reports.registry_xlsx": row(own_staff=403, other_staff=403),
    "reports.announcement": row(own_staff=403, other_staff=403, officer=404, approver=404, admin=404),
    "reports.announcement_xlsx": row(own_staff=403, other_staff=403, officer=404, approver=404, admin=404),
    "alignment.queue": row(own_staff=403, other_staff=403),
    "alignment.import_list": row(own_staff=403, other_staff=403, approver=403),
    "alignment.confirm": row(own_staff=403, other_staff=403, officer=400, approver=403, admin=403),  # empty form
}
#: entries for routes that arrive with other branches (not an error while they are absent)
AWAITED = {"auth.login", "auth.logout", "workflow_api.list_reviews", "workflow_api.get_review", "workflow_api.act"}


def _routes():
    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (r.endpoint, r.rule, "GET" if "GET" in r.methods else "POST")
        for r in app.url_map.iter_rules() if r.endpoint != "static"
    )


ROUTES = _routes()


def test_every_route_has_an_expectation():
    missing = [e for e, _, _ in ROUTES if e not in MATRIX and e.split(".")[0] not in PUBLIC_BLUEPRINTS]
    assert missing == [], f"add these endpoints to MATRIX in {__file__}: {missing}"
    endpoints = {e for e, _, _ in ROUTES}
    stale = set(MATRIX) - endpoints - AWAITED
    assert not stale, f"MATRIX names endpoints that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(create_department, create_user, create_item, create_review, db):
    dept_a, dept_b = create_department("PA", "权限甲部门"), create_department("PB", "权限乙部门")
    users = {
        "own_staff": create_user("m_own", Role.department_staff, department=dept_a),
        "other_staff": create_user("m_other", Role.department_staff, department=dept_b),
        "officer": create_user("m_officer", Role.legal_officer),
        "approver": create_user("m_approver", Role.approver),
        "admin": create_user("m_admin", Role.admin),
    }
    item = create_item(department=dept_a)
    review = create_review(item)
    att = add_attachment(review, actor=users["own_staff"], filename="证明.pdf", data=b"%PDF-1.4\n%%EOF\n")
    db.session.flush()
    values = {"item_id": item.id, "review_id": review.id, "attachment_id": att.id, "round_id": review.round_id,
              "code": "en", "upload_id": 999999}
    return users, values


def _request(app, client, login_as, users, role, rule, method, values):
    g.pop("_login_user", None)
    client.delete_cookie("session")
    if role != "anonymous":
        login_as(users[role])
    url = _build(app, rule, values)
    return client.get(url) if method == "GET" else client.post(url, data={})


def _build(app, rule, values):
    r = next(x for x in app.url_map.iter_rules() if x.rule == rule)
    needed = r.arguments - set(r.defaults or {})
    missing = needed - set(values)
    assert not missing, f"give the matrix a value for {sorted(missing)} (route {rule})"
    with app.test_request_context():
        from flask import url_for

        return url_for(r.endpoint, **{k: values[k] for k in needed})


def _matches(resp, expected) -> bool:
    if expected == LOGIN:
        if login_manager.login_view:
            return resp.status_code == 302 and "login" in resp.headers.get("Location", "")
        return resp.status_code == 401
    return resp.status_code == expected


@pytest.mark.parametrize("endpoint,rule,method", [r for r in ROUTES if r[0] in MATRIX], ids=lambda v: str(v))
def test_route_status_for_every_role(app, client, login_as, world, endpoint, rule, method):
    users, values = world
    wrong = []
    for role in ROLES:
        expected = MATRIX[endpoint][role]
        resp = _request(app, client, login_as, users, role, rule, method, values)
        if not _matches(resp, expected):
            wrong.append(f"{role}: expected {expected}, got {resp.status_code}")
    assert wrong == [], f"{method} {rule}: " + "; ".join(wrong)


@pytest.mark.parametrize("endpoint,rule,method", [r for r in ROUTES if r[0].split(".")[0] in PUBLIC_BLUEPRINTS
                                                  and r[0] not in MATRIX], ids=lambda v: str(v))
def test_public_routes_answer_everyone_alike(app, client, login_as, world, endpoint, rule, method):
    users, values = world
    statuses = {role: _request(app, client, login_as, users, role, rule, method, values).status_code
                for role in ROLES}
    assert len(set(statuses.values())) == 1, f"{rule} differs by role: {statuses}"
    assert statuses["anonymous"] not in (401, 403) and statuses["anonymous"] < 500, statuses
