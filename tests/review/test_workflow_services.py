"""The workflow services follow the transition table, four eyes and the required fields."""
import pytest
import sqlalchemy as sa

from registry.audit.chain import verify
from registry.audit.models import AuditEvent
from registry.auth.models import Role
from registry.errors_domain import InvalidTransition, NotAllowed, StaleObject, ValidationFailed
from registry.items.models import Decision
from registry.review import rounds
from registry.review.models import ReviewState
from registry.review.services import allowed_actions, perform, save_justification
from registry.review.workflow import TRANSITIONS, Action


@pytest.fixture
def people(create_user, dummy_department):
    return {
        "staff": create_user("staff", Role.department_staff, department=dummy_department),
        "officer": create_user("officer", Role.legal_officer),
        "approver": create_user("approver", Role.approver),
        "both": create_user("both", Role.legal_officer, Role.approver),
        "admin": create_user("admin", Role.admin),
    }


@pytest.fixture
def review(create_item, create_review):
    return create_review(create_item())


def events(db, review):
    return db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "reviews", AuditEvent.entity_id == str(review.id)).order_by(AuditEvent.seq)).all()


def test_table_has_one_entry_per_action():
    assert sorted(t.action.value for t in TRANSITIONS) == sorted(a.value for a in Action)


def test_full_journey_to_publication(db, review, people):
    save_justification(review, actor=people["staff"], reasons="依据《食品卫生法》第二十七条")
    perform(review, "submit", actor=people["staff"])
    perform(review, "claim", actor=people["officer"])
    perform(review, "return", actor=people["officer"], reason="请补充实施依据")
    assert review.state is ReviewState.draft
    perform(review, "submit", actor=people["staff"], reason="已补充")
    perform(review, "claim", actor=people["officer"])
    perform(review, "propose", actor=people["officer"], decision="keep", reason="设定依据为法律")
    perform(review, "approve", actor=people["approver"])
    perform(review, "publish", actor=people["admin"])
    assert review.state is ReviewState.published and review.item.decision is Decision.keep
    assert events(db, review)[-3:] == ["review.propose", "review.approve", "review.publish"]
    assert verify(db.session).ok


def test_four_eyes_refuses_own_proposal(db, review, people):
    review.state = ReviewState.under_review
    perform(review, "propose", actor=people["both"], decision="abolish", reason="无依据")
    with pytest.raises(NotAllowed):
        perform(review, "approve", actor=people["both"])
    assert Action.approve not in [t.action for t in allowed_actions(review, people["both"])]
    perform(review, "approve", actor=people["approver"])
    assert review.final_decision is Decision.abolish


@pytest.mark.parametrize("action,fields,field", [
    ("return", {}, "reason"),
    ("propose", {"reason": "x"}, "decision"),
    ("propose", {"decision": "keep"}, "reason"),
    ("propose", {"decision": "pending", "reason": "x"}, "pending_on"),
])
def test_required_fields(db, review, people, action, fields, field):
    review.state = ReviewState.under_review
    with pytest.raises(ValidationFailed) as exc:
        perform(review, action, actor=people["officer"], **fields)
    assert exc.value.field == field


def test_wrong_state_is_an_invalid_transition(db, review, people):
    with pytest.raises(InvalidTransition):
        perform(review, "approve", actor=people["approver"])


def test_wrong_role_and_other_department_are_refused(db, review, people, create_user, create_department):
    with pytest.raises(NotAllowed):
        perform(review, "claim", actor=people["staff"])
    other = create_user("other", Role.department_staff, department=create_department())
    with pytest.raises(NotAllowed):
        perform(review, "submit", actor=other, reason="x")


def test_admin_cannot_approve(db, review, people):
    review.state = ReviewState.under_review
    perform(review, "propose", actor=people["officer"], decision="keep", reason="ok")
    with pytest.raises(NotAllowed):
        perform(review, "approve", actor=people["admin"])


def test_stale_version_is_refused(db, review, people):
    loaded = review.version
    save_justification(review, actor=people["staff"], reasons="理由")
    perform(review, "submit", actor=people["staff"])
    with pytest.raises(StaleObject, match="staff"):
        perform(review, "claim", actor=people["officer"], expected_version=loaded)


def test_reopen_only_a_published_pending_decision(db, review, people):
    review.state = ReviewState.under_review
    perform(review, "propose", actor=people["officer"], decision="pending", reason="待对接", pending_on="省审改办")
    perform(review, "approve", actor=people["approver"])
    perform(review, "publish", actor=people["admin"])
    perform(review, "reopen", actor=people["officer"], reason="上级已决定保留")
    assert review.state is ReviewState.under_review and review.item.decision is Decision.pending


def test_reopen_of_a_kept_decision_is_refused(db, review, people):
    review.state = ReviewState.under_review
    perform(review, "propose", actor=people["officer"], decision="keep", reason="ok")
    perform(review, "approve", actor=people["approver"])
    perform(review, "publish", actor=people["admin"])
    with pytest.raises(InvalidTransition):
        perform(review, "reopen", actor=people["officer"], reason="x")


def test_round_lifecycle(db, people, create_item, dummy_department, create_department):
    create_item(), create_item(department=create_department())
    rnd = rounds.create_round(name="2026 评估", year=2026, actor=people["admin"])
    assert rounds.add_items(rnd, actor=people["admin"], department_ids=[dummy_department.id]) == 1
    assert rounds.add_items(rnd, actor=people["admin"]) == 1  # the rest, nothing twice
    review = rnd.reviews[0]
    review.state = ReviewState.under_review
    perform(review, "propose", actor=people["officer"], decision="keep", reason="ok")
    perform(review, "approve", actor=people["approver"])
    rounds.close_round(rnd, actor=people["admin"])
    assert rounds.publish_round(rnd, actor=people["admin"]) == 1
    assert review.item.decision is Decision.keep
    with pytest.raises(NotAllowed):
        rounds.create_round(name="x", year=2026, actor=people["officer"])


def test_publish_event_records_the_state_change(db, review, people):
    import json

    review.state = ReviewState.under_review
    perform(review, "propose", actor=people["officer"], decision="keep", reason="ok")
    perform(review, "approve", actor=people["approver"])
    perform(review, "publish", actor=people["admin"])
    db.session.flush()
    ev = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "review.publish")).one()
    assert json.loads(ev.changes)["state"] == ["decided", "published"]


def test_refused_submit_leaves_the_review_unchanged(db, review, people):
    with pytest.raises(ValidationFailed):
        perform(review, "submit", actor=people["staff"])  # no justification yet
    assert review.state is ReviewState.draft and review.submitted_at is None


def test_too_long_pending_on_names_its_field(db, review, people):
    review.state = ReviewState.under_review
    with pytest.raises(ValidationFailed) as exc:
        perform(review, "propose", actor=people["officer"], decision="pending", reason="x", pending_on="省" * 400)
    assert exc.value.field == "pending_on"
