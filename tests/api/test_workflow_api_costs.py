"""What the workflow API costs per request: statements that do not grow with the reviews listed."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.api import workflow
from registry.auth.models import ApiToken, Role
from registry.auth.tokens import TOUCH_EVERY, issue_token
from registry.db import utcnow
from registry.items.models import Decision
from registry.review.models import ReviewState


@pytest.fixture
def people(create_user, create_department):
    small, large = create_department(), create_department()
    return {
        "officer": create_user("cost_officer", Role.legal_officer),
        "officer2": create_user("cost_officer2", Role.legal_officer),
        "approver": create_user("cost_approver", Role.approver),
        "staff": create_user("cost_staff", Role.department_staff, department=large),
        "small": small,
        "large": large,
    }


@pytest.fixture
def tokens(people):
    return {k: issue_token(people[k])[1] for k in ("officer", "approver", "staff")}


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def reviews(people, create_item, create_review, create_round):
    """3 reviews of the small department's items and 15 of the large one's, in every listed state."""
    rnd = create_round()
    kinds = [
        {"state": ReviewState.submitted},
        {"state": ReviewState.under_review, "claimed_by_id": people["officer"].id},
        {"state": ReviewState.proposed, "claimed_by_id": people["officer2"].id, "proposer_id": people["officer2"].id,
         "proposed_decision": Decision.keep, "reason": "法律设定"},
    ]
    made = {"small": [], "large": []}
    for dept, n in (("small", 3), ("large", 15)):
        for i in range(n):
            made[dept].append(create_review(create_item(department=people[dept]), rnd, **kinds[i % 3]))
    return made


def _listing(client, db, count_queries, token, query):
    """The listing's statements when nothing is loaded beforehand (the session starts empty)."""
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as n:
        r = client.get(f"/api/v1/reviews?per_page=200&{query}", headers=_bearer(token))
    assert r.status_code == 200, r.json
    return n["n"], r.json["reviews"]


@pytest.mark.parametrize("who", ["officer", "approver", "staff"])
def test_listing_statements_do_not_grow_with_the_reviews(client, db, count_queries, people, tokens, reviews, who):
    token, small_code, large_code = tokens[who], people["small"].code, people["large"].code
    assert client.get("/api/v1/reviews", headers=_bearer(token)).status_code == 200  # token use noted now
    small_n, small = _listing(client, db, count_queries, token, f"department={small_code}")
    large_n, large = _listing(client, db, count_queries, token, f"department={large_code}")
    if who == "staff":
        assert small == [] and len(large) == 15
    else:
        assert len(small) == 3 and len(large) == 15
        assert large_n == small_n
    assert large_n <= 5  # begin, the token with its user and roles, the department, the count, the page
    assert {r["claimed_by"] for r in large} == {None, "cost_officer", "cost_officer2"}


def test_listing_offers_each_user_their_actions(client, db, people, tokens, reviews):
    def offered(who):
        got = client.get("/api/v1/reviews?per_page=200", headers=_bearer(tokens[who])).json["reviews"]
        return {r["state"]: r["allowed_actions"] for r in got}

    assert offered("officer") == {"submitted": ["claim"], "under_review": ["return", "propose"], "proposed": []}
    assert offered("approver") == {"submitted": [], "under_review": [], "proposed": ["approve", "send_back"]}
    assert offered("staff") == {"submitted": [], "under_review": [], "proposed": []}


def test_an_action_answers_what_a_fresh_read_shows(client, db, tokens, reviews):
    review_id = reviews["small"][0].id
    r = client.post(f"/api/v1/reviews/{review_id}/actions", json={"action": "claim"}, headers=_bearer(tokens["officer"]))
    assert r.status_code == 200 and r.json["state"] == "under_review"
    db.session.expunge_all()
    again = client.get(f"/api/v1/reviews/{review_id}", headers=_bearer(tokens["officer"]))
    assert again.json == r.json


def _token_of(db, people, who):
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == people[who].id))


def test_last_use_is_written_only_when_due(client, db, people, tokens, monkeypatch):
    intents = []
    real = workflow.set_write_intent
    monkeypatch.setattr(workflow, "set_write_intent", lambda value: (intents.append(value), real(value)))
    assert client.get("/api/v1/reviews", headers=_bearer(tokens["officer"])).status_code == 200
    assert intents == [False, True, False]  # a read; the due stamp in a short write of its own
    token = _token_of(db, people, "officer")
    db.session.refresh(token)
    first = token.last_used_at
    assert first is not None
    intents.clear()
    assert client.get("/api/v1/reviews", headers=_bearer(tokens["officer"])).status_code == 200
    assert intents == [False]  # used a moment ago: nothing to write
    db.session.refresh(token)
    assert token.last_used_at == first
    token.last_used_at = utcnow() - TOUCH_EVERY - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/reviews", headers=_bearer(tokens["officer"])).status_code == 200
    db.session.refresh(token)
    assert token.last_used_at > first


def test_an_action_starts_as_a_writer(client, db, tokens, reviews, monkeypatch):
    intents = []
    monkeypatch.setattr(workflow, "set_write_intent", intents.append)
    review = reviews["small"][0]
    r = client.post(f"/api/v1/reviews/{review.id}/actions", json={"action": "claim"}, headers=_bearer(tokens["officer"]))
    assert r.status_code == 200 and intents == [True]

