"""Random sequences of workflow actions by every role keep the table, four eyes and the audit trail.

A hypothesis state machine drives ``review.services.perform`` (and ``save_justification``)
with random users — staff of the right and the wrong department, two officers, an approver,
an officer who is also an approver, an admin — on three reviews. An independent model of
the transition table predicts each outcome; after every step the database must agree with
it, no review may have the same proposer and approver, every accepted action must have
written exactly one ``review.<action>`` event, and the audit chain must verify.

Each example runs in a savepoint of the test's transaction (rolled back after it); each step
in a nested savepoint, rolled back when a rule refuses, as the pages and the API do.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from registry.audit.chain import verify
from registry.audit.listeners import unaudited
from registry.audit.models import AuditEvent
from registry.auth.models import Role
from registry.errors_domain import DomainError, InvalidTransition, NotAllowed, ValidationFailed
from registry.items.models import Decision
from registry.review.models import Review, ReviewState
from registry.review.services import allowed_actions, perform, save_justification
from registry.review.workflow import Action, transition_for

#: states (and "reopened") the runs reached; the test checks the machine explored them all
SEEN: set = set()
USERS = ("staff_a", "staff_b", "officer1", "officer2", "approver", "officer_approver", "admin")
REASONS = (None, "", "   ", "依据法律第二十七条")
DECISIONS = (None, "keep", "abolish", "pending", "maybe")
PENDING_ON = (None, "", "省政府清单")


class Model:
    """What the transition table says a review should look like."""

    def __init__(self, review: Review):
        self.id = review.id
        self.department_id = review.item.implementing_department_id
        self.state = ReviewState.draft
        self.proposer_id = None
        self.proposed = None
        self.final = None
        self.draft_justification = False
        self.events: dict[str, int] = {}


def expected_refusal(m: Model, user, action: Action, reason, decision, pending_on):
    """The error class the rules demand (checked in the table's order), or None to accept."""
    t = transition_for(action)
    if not user.roles & t.roles:
        return NotAllowed
    if t.own_department and not (Role.department_staff in user.roles and user.department_id == m.department_id):
        return NotAllowed
    if m.state is not t.source:
        return InvalidTransition
    if t.not_proposer and m.proposer_id == user.id:
        return NotAllowed
    if t.only_pending and m.final is not Decision.pending:
        return InvalidTransition
    text = (reason or "").strip()
    if t.needs_reason and not text:
        return ValidationFailed
    if t.needs_decision and (decision not in ("keep", "abolish", "pending") or
                             decision == "pending" and not (pending_on or "").strip()):
        return ValidationFailed
    if action is Action.submit and not text and not m.draft_justification:
        return ValidationFailed
    return None


def apply(m: Model, user, action: Action, decision) -> None:
    m.state = transition_for(action).target
    if action is Action.submit:
        m.draft_justification = False
    elif action is Action.propose:
        m.proposer_id, m.proposed = user.id, Decision(decision)
    elif action is Action.approve:
        m.final = m.proposed
    elif action is Action.reopen:
        m.proposer_id = m.proposed = m.final = None
    m.events[action.value] = m.events.get(action.value, 0) + 1


class WorkflowMachine(RuleBasedStateMachine):
    #: set by the test: the db fixture, the users and a function making three fresh reviews
    ctx: dict = {}

    def __init__(self):
        super().__init__()
        self.db = self.ctx["db"]
        self.users = self.ctx["users"]
        self.example = self.db.session.begin_nested()
        self.reviews = self.ctx["make_reviews"]()
        self.models = [Model(r) for r in self.reviews]

    def teardown(self):
        self.example.rollback()
        self.db.session.expire_all()

    def _step(self, fn):
        """Run ``fn`` in a savepoint; on a domain error roll it back and return the error."""
        sp = self.db.session.begin_nested()
        try:
            fn()
        except DomainError as exc:
            sp.rollback()
            return exc
        sp.commit()
        return None

    def _act(self, i: int, who: str, action: Action, reason, decision, pending_on):
        review, m, user = self.reviews[i], self.models[i], self.users[who]
        want = expected_refusal(m, user, action, reason, decision, pending_on)
        offered = action in {t.action for t in allowed_actions(review, user)}
        assert offered == (want not in (NotAllowed, InvalidTransition)), (who, action, m.state)
        before = self._review_events(m)
        error = self._step(lambda: perform(review, action, actor=user, reason=reason, decision=decision,
                                           pending_on=pending_on))
        if want is None:
            assert error is None, f"{who} {action.value} on {m.state.value} refused: {error!r}"
            apply(m, user, action, decision)
            after = self._review_events(m)
            assert len(after) == len(before) + 1 and after[-1] == f"review.{action.value}"
        else:
            assert type(error) is want, f"{who} {action.value} on {m.state.value}: {error!r}, wanted {want}"
            assert self._review_events(m) == before

    def _review_events(self, m: Model) -> list[str]:
        return self.db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.entity_type == "reviews", AuditEvent.entity_id == str(m.id),
            AuditEvent.action.like("review.%"), AuditEvent.action != "review.create",
        ).order_by(AuditEvent.seq)).all()

    @initialize()
    def start(self):
        assert all(r.state is ReviewState.draft for r in self.reviews)

    @rule(i=st.integers(0, 2), who=st.sampled_from(USERS), action=st.sampled_from(list(Action)),
          reason=st.sampled_from(REASONS), decision=st.sampled_from(DECISIONS),
          pending_on=st.sampled_from(PENDING_ON))
    def anything(self, i, who, action, reason, decision, pending_on):
        """Anybody tries anything."""
        self._act(i, who, action, reason, decision, pending_on)

    def _progress(self, i, pick, decision):
        review = self.reviews[i]
        offered = [(who, t.action) for who in USERS for t in allowed_actions(review, self.users[who])]
        if offered:
            who, action = offered[pick % len(offered)]
            self._act(i, who, action, "理由", decision, "省政府清单")
        SEEN.add(self.models[i].state)
        if self.models[i].events.get("reopen"):
            SEEN.add("reopened")

    @rule(i=st.integers(0, 2), pick=st.integers(0, 50), decision=st.sampled_from(("pending", "keep", "abolish")))
    def something_allowed(self, i, pick, decision):
        """Somebody takes an action the pages would offer them, with complete fields (reaches deep states)."""
        self._progress(i, pick, decision)

    @rule(pick=st.integers(0, 50))
    def first_review_moves_on(self, pick):
        """The first review is driven further, so publication and reopening happen in short runs."""
        self._progress(0, pick, "pending")

    @rule(i=st.integers(0, 2), who=st.sampled_from(("staff_a", "staff_b")), text=st.sampled_from(("", "申报理由")))
    def justify(self, i, who, text):
        """Department staff write the justification."""
        review, m, user = self.reviews[i], self.models[i], self.users[who]
        error = self._step(lambda: save_justification(review, actor=user, reasons=text))
        mine = user.department_id == m.department_id
        if mine and m.state is ReviewState.draft:
            assert error is None
            m.draft_justification = bool(text)
        else:
            assert isinstance(error, NotAllowed if not mine else InvalidTransition)

    @invariant()
    def database_matches_the_model(self):
        for review, m in zip(self.reviews, self.models, strict=True):
            self.db.session.refresh(review)
            assert review.state is m.state and review.proposer_id == m.proposer_id
            assert review.final_decision is m.final
            assert review.approver_id is None or review.approver_id != review.proposer_id  # four eyes
            counts = {}
            for action in self._review_events(m):
                counts[action[len("review."):]] = counts.get(action[len("review."):], 0) + 1
            assert counts == m.events

    @invariant()
    def audit_is_complete_and_chained(self):
        assert not unaudited(self.db.session)
        result = verify(self.db.session)
        assert result.ok, result


@pytest.fixture
def users(create_user, create_department, dummy_department):
    other = create_department()
    return {
        "staff_a": create_user("sm_staff_a", Role.department_staff, department=dummy_department),
        "staff_b": create_user("sm_staff_b", Role.department_staff, department=other),
        "officer1": create_user("sm_officer1", Role.legal_officer),
        "officer2": create_user("sm_officer2", Role.legal_officer),
        "approver": create_user("sm_approver", Role.approver),
        "officer_approver": create_user("sm_both", Role.legal_officer, Role.approver),
        "admin": create_user("sm_admin", Role.admin),
        "_other_department": other,
    }


def test_random_workflows_keep_every_rule(db, users, create_item, create_review, create_round):
    items = [create_item(), create_item(), create_item(department=users.pop("_other_department"))]

    def make_reviews():
        rnd = create_round()
        return [create_review(item, rnd) for item in items]

    WorkflowMachine.ctx = {"db": db, "users": users, "make_reviews": make_reviews}
    SEEN.clear()
    run_state_machine_as_test(WorkflowMachine, settings=settings(
        max_examples=30, stateful_step_count=25, derandomize=True, database=None, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))
    assert SEEN >= set(ReviewState) | {"reopened"}, SEEN
