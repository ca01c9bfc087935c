"""The demo's open round: reviews in every state, made through the services by the demo users."""
import sqlalchemy as sa
from flask import g

from registry import seeding
from registry.audit.chain import verify
from registry.auth.models import User
from registry.review.models import CommentKind, Review, ReviewRound, ReviewState, RoundState


def test_demo_round_has_every_state_and_works_for_each_role(db, client, login_as):
    seeding.seed()
    seeding.seed_demo_users()
    n = seeding.seed_demo_round()
    db.session.flush()
    rnd = db.session.scalar(sa.select(ReviewRound).where(ReviewRound.name == seeding.DEMO_ROUND_NAME))
    assert rnd.state is RoundState.open and n == db.session.scalar(
        sa.select(sa.func.count()).where(Review.round_id == rnd.id))
    reviews = db.session.scalars(sa.select(Review).where(Review.round_id == rnd.id)).all()
    assert {r.state for r in reviews} == set(ReviewState)
    returned = [r for r in reviews if r.state is ReviewState.draft and r.submitted_at is not None]
    assert returned and all(any(c.kind is CommentKind.return_reason for c in r.comments) for r in returned)
    reopened = [r for r in reviews if r.state is ReviewState.under_review and r.published_at is not None]
    assert reopened and reopened[0].item.decision.value == "pending"
    assert seeding.seed_demo_round() == 0  # safe to run again
    assert verify(db.session).ok
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    for name, page in (("weisheng", "/inbox/"), ("fazhi", "/reviews/queue"), ("lingdao", "/reviews/approvals"),
                       ("admin", f"/admin/rounds/{rnd.id}")):
        g.pop("_login_user", None)
        login_as(users[name])
        assert client.get(page).status_code == 200
    text = client.get("/reviews/approvals")  # admin may not approve
    assert text.status_code == 403
