"""The seeded demo data: counts, idempotence, and decisions that agree with the law."""
from datetime import date

import pytest
import sqlalchemy as sa

from registry import seeding
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.items.models import Decision, Department, Item, LegalBasis
from registry.legal.basis_table import suggest
from registry.review.models import Review, ReviewRound, ReviewState, RoundState

ROUND_2004 = "2004 行政许可事项清理"


def counts(db):
    return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Department, Item, LegalBasis, ReviewRound, Review, User, AuditEvent)}


@pytest.fixture
def seeded(db):
    seeding.seed()
    db.session.flush()
    return db


def test_seed_loads_the_illustrative_district(seeded):
    c = counts(seeded)
    assert 20 <= c["Department"] <= 30
    assert c["Item"] == 220
    assert c["User"] == 0, "a plain seed never creates accounts"
    rnd = seeded.session.scalar(sa.select(ReviewRound).where(ReviewRound.name == ROUND_2004))
    assert rnd.state is RoundState.published
    by_decision = dict(seeded.session.execute(
        sa.select(Review.final_decision, sa.func.count()).where(Review.round_id == rnd.id).group_by(Review.final_decision)
    ).all())
    assert by_decision == {Decision.keep: 90, Decision.pending: 112, Decision.abolish: 18}


def test_seeding_twice_changes_nothing(seeded):
    before = counts(seeded)
    report = seeding.seed()
    seeded.session.flush()
    assert counts(seeded) == before
    assert "nothing to do" in str(report)


def test_every_seeded_decision_agrees_with_the_basis_table(seeded):
    rnd = seeded.session.scalar(sa.select(ReviewRound).where(ReviewRound.name == ROUND_2004))
    reviewed_on = date(2004, 6, 30)
    disagreements = []
    for review in seeded.session.scalars(sa.select(Review).where(Review.round_id == rnd.id)):
        s = suggest(review.item, reviewed_on)
        if s.decision is not review.final_decision:
            disagreements.append((review.item.code, review.final_decision.value, s.decision.value, s.rule))
    assert disagreements == []


def test_every_item_has_a_setting_basis_and_pending_items_say_what_they_wait_on(seeded):
    for item in seeded.session.scalars(sa.select(Item)):
        assert item.setting_bases, item.code
    pending = seeded.session.scalars(sa.select(Review).where(Review.final_decision == Decision.pending)).all()
    assert pending and all(r.pending_on for r in pending)


def test_published_decisions_reach_the_items(seeded):
    published = seeded.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.decision.is_not(None)))
    assert published == 220
    assert all(r.state is ReviewState.published for r in seeded.session.scalars(sa.select(Review)))


def test_seeding_is_audited(seeded):
    actions = dict(seeded.session.execute(
        sa.select(AuditEvent.action, sa.func.count()).group_by(AuditEvent.action)).all())
    assert actions["item.create"] == 220
    assert actions["review.import"] == 220


def test_demo_users_cover_every_role(seeded):
    users = seeding.seed_demo_users()
    roles = set().union(*(u.roles for u, _ in users))
    assert {r.value for r in roles} == {"department_staff", "legal_officer", "approver", "admin"}
    again = seeding.seed_demo_users()
    assert not any(created for _, created in again)


def test_stats_api_and_home_page_show_the_published_round(seeded, client):
    seeded.session.commit()  # releases the test's savepoint; the outer transaction still rolls back
    body = client.get("/api/v1/stats").get_json()
    assert body["total"] == 220 and body["keep"] == 90 and body["abolish"] == 18 and body["pending"] == 112
    assert body["round"] == ROUND_2004
    html = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "本轮共清理行政许可事项 220 项，保留 90 项，取消 18 项，待与上级对接 112 项" in html
