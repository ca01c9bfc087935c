"""The review workflow as one table: pages, the API, services and tests all read it."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from registry.auth.models import Role
from registry.review.models import ReviewState as S


class Action(enum.Enum):
    submit = "submit"
    claim = "claim"
    return_ = "return"
    propose = "propose"
    approve = "approve"
    send_back = "send_back"
    publish = "publish"
    reopen = "reopen"


@dataclass(frozen=True)
class Transition:
    action: Action
    source: S
    target: S
    #: any one of these roles may act
    roles: frozenset[Role]
    label: object
    needs_reason: bool = False
    needs_decision: bool = False
    #: department staff may act only on their own department's items
    own_department: bool = False
    #: the actor may not be the review's proposer (four eyes)
    not_proposer: bool = False
    #: only when the published decision is ``pending`` (reopen after alignment)
    only_pending: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.submit, S.draft, S.submitted, frozenset({Role.department_staff}), _l("Submit"),
               own_department=True),
    Transition(Action.claim, S.submitted, S.under_review, frozenset({Role.legal_officer}), _l("Claim")),
    Transition(Action.return_, S.under_review, S.draft, frozenset({Role.legal_officer}),
               _l("Return to the department"), needs_reason=True),
    Transition(Action.propose, S.under_review, S.proposed, frozenset({Role.legal_officer}), _l("Propose a decision"),
               needs_reason=True, needs_decision=True),
    Transition(Action.approve, S.proposed, S.decided, frozenset({Role.approver}), _l("Approve"), not_proposer=True),
    Transition(Action.send_back, S.proposed, S.under_review, frozenset({Role.approver}), _l("Send back"),
               needs_reason=True, not_proposer=True),
    Transition(Action.publish, S.decided, S.published, frozenset({Role.admin}), _l("Publish")),
    Transition(Action.reopen, S.published, S.under_review, frozenset({Role.legal_officer}), _l("Reopen"),
               needs_reason=True, only_pending=True),
)

BY_ACTION: dict[Action, Transition] = {t.action: t for t in TRANSITIONS}


def transition_for(action: Action) -> Transition:
    return BY_ACTION[action]


def parse_action(value: str) -> Action | None:
    try:
        return Action(value)
    except ValueError:
        return None
