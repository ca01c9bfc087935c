"""The workflow API: bearer tokens, visibility, status codes, the same services as the pages."""
import json

import pytest
import sqlalchemy as sa

from registry.audit.chain import verify
from registry.audit.models import AuditEvent
from registry.auth.models import ApiToken, Role
from registry.auth.services import set_active
from registry.auth.tokens import issue_token, revoke_token
from registry.review.models import ReviewState


@pytest.fixture
def people(create_user, create_department, dummy_department):
    other = create_department()
    return {
        "staff": create_user("api_staff", Role.department_staff, department=dummy_department),
        "stranger": create_user("api_stranger", Role.department_staff, department=other),
        "officer": create_user("api_officer", Role.legal_officer),
        "approver": create_user("api_approver", Role.approver),
        "admin": create_user("api_admin", Role.admin),
        "other_dept": other,
    }


@pytest.fixture
def tokens(people):
    return {k: issue_token(u)[1] for k, u in people.items() if k != "other_dept"}


@pytest.fixture
def review(create_item, create_review):
    return create_review(create_item())


def call(client, method, url, token=None, **kw):
    headers = kw.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.open(url, method=method, headers=headers, **kw)


def act(client, token, review, **body):
    return call(client, "POST", f"/api/v1/reviews/{review.id}/actions", token, json=body)


def test_full_journey_through_the_api(client, db, review, tokens):
    review.justifications  # noqa: B018
    r = act(client, tokens["staff"], review, action="submit", reason="依据《食品卫生法》第二十七条")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "submitted" and r.json["version"] == 2
    assert act(client, tokens["officer"], review, action="claim").json["state"] == "under_review"
    r = act(client, tokens["officer"], review, action="propose", decision="pending", reason="部门规章设定",
            pending_on="省政府清单", unknown_field="ignored", state="published", version=3)
    assert r.status_code == 200 and r.json["state"] == "proposed" and r.json["pending_on"] == "省政府清单"
    assert act(client, tokens["approver"], review, action="approve").json["state"] == "decided"
    r = act(client, tokens["admin"], review, action="publish")
    assert r.json["state"] == "published" and r.json["final_decision"] == "pending"
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "reviews", AuditEvent.entity_id == str(review.id)).order_by(AuditEvent.seq)).all()
    assert actions[-5:] == ["review.submit", "review.claim", "review.propose", "review.approve", "review.publish"]
    ev = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "review.claim")).first()
    assert ev.actor_username == "api_officer" and ev.request_id
    assert verify(db.session).ok


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc", "Token {token}"])
def test_401_without_a_valid_token(client, review, tokens, header):
    headers = {"Authorization": header.format(token=tokens["officer"])} if header else {}
    for method, url in [("GET", "/api/v1/reviews"), ("GET", f"/api/v1/reviews/{review.id}"),
                        ("POST", f"/api/v1/reviews/{review.id}/actions")]:
        r = client.open(url, method=method, headers=headers, json={"action": "claim"})
        assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_and_inactive_user_get_401(client, db, review, people, tokens):
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == people["officer"].id))
    revoke_token(token)
    assert call(client, "GET", "/api/v1/reviews", tokens["officer"]).status_code == 401
    set_active(people["approver"], False, actor=people["admin"])
    assert call(client, "GET", "/api/v1/reviews", tokens["approver"]).status_code == 401


def refusals(db) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.refused")
                              .order_by(AuditEvent.seq)).all()


def test_a_refused_token_is_audited_with_where_and_what(client, db, review):
    assert refusals(db) == []
    r = client.get("/api/v1/reviews", headers={"Authorization": "Bearer guessed-token", "X-Request-ID": "probe-1"})
    assert r.status_code == 401
    (event,) = refusals(db)
    assert event.actor_username == "anonymous" and event.ip == "127.0.0.1" and event.request_id == "probe-1"
    assert json.loads(event.changes)["status"] == [None, 401] and "/api/v1/reviews" in event.changes
    client.get("/api/v1/reviews")  # no token at all: not an attempt, nothing audited
    assert len(refusals(db)) == 1
    assert verify(db.session).ok


def test_an_address_refused_too_often_is_turned_away_before_its_token_is_checked(app, client, db, tokens):
    db.session.commit()  # the tokens outlive the refusals' rollbacks
    limit = int(app.config["LOGIN_RATE_LIMIT_ADDRESS"].split()[0])
    for i in range(limit):
        assert call(client, "GET", "/api/v1/reviews", f"guess-{i}").status_code == 401
    turned_away = call(client, "GET", "/api/v1/reviews", tokens["officer"])
    assert turned_away.status_code == 429 and "一分钟" in turned_away.json["error"]
    assert len(refusals(db)) == limit  # the 429s are logged, not audited: a flood writes nothing
    elsewhere = call(client, "GET", "/api/v1/reviews", tokens["officer"], environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert elsewhere.status_code == 200


def test_cookie_session_is_not_accepted(client, login_as, people, review):
    login_as(people["officer"])
    assert call(client, "GET", "/api/v1/reviews").status_code == 401
    assert act(client, None, review, action="claim").status_code == 401


def test_only_the_token_hash_is_stored(db, people):
    token, plaintext = issue_token(people["staff"], name="OA system")
    assert token.token_hash != plaintext and plaintext not in token.token_hash
    assert plaintext.startswith(token.prefix) and len(plaintext) > 40
    ev = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "token.create")).all()[-1]
    db.session.flush()
    assert plaintext not in ev.changes and token.token_hash not in ev.changes


def test_staff_see_only_their_department(client, create_item, create_review, people, tokens, review):
    theirs = create_review(create_item(department=people["other_dept"]))
    ids = [r["id"] for r in call(client, "GET", "/api/v1/reviews", tokens["staff"]).json["reviews"]]
    assert review.id in ids and theirs.id not in ids
    assert call(client, "GET", f"/api/v1/reviews/{theirs.id}", tokens["staff"]).status_code == 404
    assert act(client, tokens["staff"], theirs, action="submit", reason="x").status_code == 404
    assert theirs.state is ReviewState.draft
    officer_ids = [r["id"] for r in call(client, "GET", "/api/v1/reviews", tokens["officer"]).json["reviews"]]
    assert {review.id, theirs.id} <= set(officer_ids)


def test_filters(client, create_item, create_review, people, tokens, review):
    theirs = create_review(create_item(department=people["other_dept"]), state=ReviewState.submitted)
    got = call(client, "GET", "/api/v1/reviews?state=submitted", tokens["officer"]).json["reviews"]
    assert theirs.id in [r["id"] for r in got] and all(r["state"] == "submitted" for r in got)
    code = people["other_dept"].code
    got = call(client, "GET", f"/api/v1/reviews?department={code}", tokens["officer"]).json
    assert [r["id"] for r in got["reviews"]] == [theirs.id] and got["total"] == 1
    assert got["reviews"][0]["item"]["department"] == code and got["reviews"][0]["allowed_actions"] == ["claim"]
    for query in ("state=bogus", "department=NOPE", "per_page=0", "per_page=1000", "page=x"):
        assert call(client, "GET", f"/api/v1/reviews?{query}", tokens["officer"]).status_code == 422


def test_unknown_review_is_404(client, tokens):
    assert call(client, "GET", "/api/v1/reviews/999999", tokens["officer"]).status_code == 404
    assert call(client, "POST", "/api/v1/reviews/999999/actions", tokens["officer"],
                json={"action": "claim"}).status_code == 404


@pytest.mark.parametrize("who,action", [("staff", "claim"), ("officer", "approve"), ("approver", "publish"),
                                        ("admin", "submit"), ("officer", "submit")])
def test_403_when_the_role_may_not(client, review, tokens, who, action):
    r = act(client, tokens[who], review, action=action, reason="x", decision="keep")
    assert r.status_code == 403 and r.json["error"]
    assert review.state is ReviewState.draft


def test_409_when_the_state_does_not_allow_it(client, db, review, tokens):
    r = act(client, tokens["officer"], review, action="claim")
    assert r.status_code == 409 and r.json["error"]
    assert review.state is ReviewState.draft


def test_409_when_the_review_changed_meanwhile(client, db, review, tokens):
    loaded = call(client, "GET", f"/api/v1/reviews/{review.id}", tokens["staff"]).json["version"]
    assert act(client, tokens["staff"], review, action="submit", reason="理由", version=loaded).status_code == 200
    r = act(client, tokens["officer"], review, action="claim", version=loaded)
    assert r.status_code == 409 and "api_staff" in r.json["error"]
    db.session.expire_all()
    assert review.state is ReviewState.submitted
    assert act(client, tokens["officer"], review, action="claim", version=loaded + 1).status_code == 200


@pytest.mark.parametrize("body,field", [
    ({}, "action"),
    ({"action": "fly"}, "action"),
    ({"action": 3}, "action"),
    ({"action": "propose", "decision": "keep"}, "reason"),
    ({"action": "propose", "reason": "x", "decision": "maybe"}, "decision"),
    ({"action": "propose", "reason": "x", "decision": "pending"}, "pending_on"),
    ({"action": "propose", "reason": "x" * 5001, "decision": "keep"}, "reason"),
    ({"action": "propose", "reason": "x", "decision": "pending", "pending_on": "y" * 301}, "pending_on"),
    ({"action": "propose", "reason": ["x"], "decision": "keep"}, "reason"),
    ({"action": "claim", "version": "2"}, "version"),
    ({"action": "claim", "version": True}, "version"),
    ([1, 2], "body"),
])
def test_422_for_missing_or_invalid_fields(client, review, tokens, body, field):
    review.state = ReviewState.under_review
    r = call(client, "POST", f"/api/v1/reviews/{review.id}/actions", tokens["officer"], json=body)
    assert r.status_code == 422 and r.json["field"] == field, r.json
    assert review.state is ReviewState.under_review


def test_body_that_is_not_json_is_422(client, review, tokens):
    r = call(client, "POST", f"/api/v1/reviews/{review.id}/actions", tokens["officer"], data="action=claim")
    assert r.status_code == 422


def test_oversized_body_is_refused(client, review, tokens):
    r = call(client, "POST", f"/api/v1/reviews/{review.id}/actions", tokens["officer"],
             json={"action": "claim", "reason": "x" * 70000})
    assert r.status_code == 413


def test_token_use_is_noted(client, db, people, tokens):
    call(client, "GET", "/api/v1/reviews", tokens["admin"])
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == people["admin"].id))
    db.session.refresh(token)
    assert token.last_used_at is not None
