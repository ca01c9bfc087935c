"""Audit events rendered for people: who, when, what changed field by field in words, and why."""
from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from registry.audit.models import AuditEvent
from registry.extensions import db
from registry.items.labels import label
from registry.items.models import (
    ApplicantType,
    ApprovalLevel,
    BasisKind,
    Decision,
    DepartmentKind,
    InstrumentType,
    IssuerLevel,
    ItemCategory,
)
from registry.review.models import CommentKind, ReviewState, RoundState

FIELD_LABELS = {
    "code": _l("Code"), "name": _l("Name"), "parent_id": _l("Parent item"),
    "competent_department_id": _l("Competent department"),
    "implementing_department_id": _l("Implementing department"), "category": _l("Category"),
    "approval_level": _l("Approval level"), "applicant_type": _l("Applicants"), "conditions": _l("Conditions"),
    "materials": _l("Materials"), "procedure": _l("Procedure"), "statutory_days": _l("Statutory time limit"),
    "committed_days": _l("Committed time limit"), "fee_charged": _l("Fee charged"), "fee_rate": _l("Fee rate"),
    "fee_basis": _l("Fee basis"), "licence_document": _l("Licence document"), "validity": _l("Validity"),
    "notes": _l("Notes"), "decision": _l("Decision"), "decision_reason": _l("Reason for the decision"),
    "decision_published_at": _l("Decision published"), "version": _l("Version"), "bases": _l("Legal bases"),
    "item_id": _l("Item"), "round_id": _l("Round"), "state": _l("State"),
    "proposed_decision": _l("Proposed decision"), "final_decision": _l("Final decision"), "reason": _l("Reason"),
    "pending_on": _l("Waits on"), "claimed_by_id": _l("Claimed by"), "proposer_id": _l("Proposer"),
    "approver_id": _l("Approver"), "submitted_at": _l("Submitted"), "proposed_at": _l("Proposed"),
    "decided_at": _l("Decided"), "published_at": _l("Published"), "review_id": _l("Review"),
    "author_id": _l("Author"), "reasons": _l("Justification"), "justification_id": _l("Justification"),
    "filename": _l("File name"), "media_type": _l("File type"), "size": _l("Size"), "sha256": _l("SHA-256"),
    "uploaded_by_id": _l("Uploaded by"), "kind": _l("Kind"), "body": _l("Text"), "year": _l("Year"),
    "opened_at": _l("Opened"), "closed_at": _l("Closed"), "is_active": _l("Active"),
    "display_name": _l("Display name"), "username": _l("Username"), "department_id": _l("Department"),
    "instrument_type": _l("Instrument"), "issuer_level": _l("Issuer level"), "title": _l("Title"),
    "issuer": _l("Issuer"), "document_number": _l("Document number"), "article": _l("Article"),
    "effective_date": _l("Effective date"),
}
ACTION_LABELS = {
    "item.create": _l("Item created"), "item.update": _l("Item changed"),
    "item.publish_decision": _l("Decision published"), "review.create": _l("Review opened"),
    "review.import": _l("Historical decision imported"), "review.submit": _l("Submitted for review"),
    "review.claim": _l("Claimed"), "review.return": _l("Returned to the department"),
    "review.propose": _l("Decision proposed"), "review.approve": _l("Approved"),
    "review.send_back": _l("Sent back"), "review.publish": _l("Published"), "review.reopen": _l("Reopened"),
    "justification.create": _l("Justification written"), "justification.update": _l("Justification changed"),
    "attachment.create": _l("Attachment added"), "attachment.delete": _l("Attachment removed"),
    "comment.create": _l("Comment"), "round.create": _l("Round created"), "round.close": _l("Round closed"),
    "round.publish": _l("Round published"), "audit.export": _l("Audit trail exported"),
}
ENUM_FIELDS: dict[str, type[enum.Enum]] = {
    "category": ItemCategory, "approval_level": ApprovalLevel, "applicant_type": ApplicantType,
    "decision": Decision, "proposed_decision": Decision, "final_decision": Decision, "kind": BasisKind,
    "instrument_type": InstrumentType, "issuer_level": IssuerLevel, "state": ReviewState,
}
STATE_ENUMS = {"reviews": ReviewState, "review_rounds": RoundState, "departments": DepartmentKind,
               "comments": CommentKind}
USER_FIELDS = {"claimed_by_id", "proposer_id", "approver_id", "author_id", "uploaded_by_id", "actor_id"}
DEPARTMENT_FIELDS = {"competent_department_id", "implementing_department_id", "department_id"}
ITEM_FIELDS = {"item_id", "parent_id"}
ROUND_FIELDS = {"round_id"}
REVIEW_FIELDS = {"review_id"}
HIDDEN_FIELDS = {"version"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    event: AuditEvent
    when: str
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _names(model, ids: set[int], attr: str) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(model.id, getattr(model, attr)).where(model.id.in_(ids))).all())


class Renderer:
    """Turns stored values into words; looks up user and department names once per page."""

    def __init__(self, events: Iterable[AuditEvent]):
        from registry.auth.models import User
        from registry.items.models import Department, Item
        from registry.review.models import Review, ReviewRound

        users, depts, items, rounds, reviews = set(), set(), set(), set(), set()
        self.parsed = {}
        for ev in events:
            try:
                changes = json.loads(ev.changes or "{}")
            except ValueError:
                changes = {}
            self.parsed[ev.id] = changes if isinstance(changes, dict) else {}
            for key, pair in self.parsed[ev.id].items():
                target = (users if key in USER_FIELDS else depts if key in DEPARTMENT_FIELDS
                          else items if key in ITEM_FIELDS else rounds if key in ROUND_FIELDS
                          else reviews if key in REVIEW_FIELDS else None)
                if target is not None and isinstance(pair, list):
                    target.update(v for v in pair if isinstance(v, int))
        self.users = _names(User, users, "display_name")
        self.depts = _names(Department, depts, "name")
        self.items = {i: f"{code} {name}" for i, code, name in db.session.execute(
            sa.select(Item.id, Item.code, Item.name).where(Item.id.in_(items))).all()} if items else {}
        self.rounds = _names(ReviewRound, rounds, "name")
        #: a review (case) in words: its round and its item
        self.reviews = {i: f"{rnd} · {code} {name}" for i, rnd, code, name in db.session.execute(
            sa.select(Review.id, ReviewRound.name, Item.code, Item.name).join(Review.round).join(Review.item)
            .where(Review.id.in_(reviews))).all()} if reviews else {}

    def value(self, key: str, value, entity_type: str = "") -> str:
        if value is None or value == "" or value == []:
            return "—"
        if key in USER_FIELDS:
            return self.users.get(value, f"#{value}")
        if key in DEPARTMENT_FIELDS:
            return self.depts.get(value, f"#{value}")
        if key in ITEM_FIELDS:
            return self.items.get(value, f"#{value}")
        if key in ROUND_FIELDS:
            return self.rounds.get(value, f"#{value}")
        if key in REVIEW_FIELDS:
            return self.reviews.get(value, f"#{value}")
        enum_cls = STATE_ENUMS.get(entity_type) if key in ("state", "kind") else None
        enum_cls = enum_cls or ENUM_FIELDS.get(key)
        if enum_cls is not None:
            try:
                member = enum_cls(value)
            except ValueError:
                return str(value)
            if enum_cls is ReviewState:
                from registry.review.services import state_label

                return state_label(member)
            return label(member) if enum_cls in _LABELLED else str(value)
        if key == "bases" and isinstance(value, list):
            return "; ".join(self.basis(b) for b in value)
        if isinstance(value, bool):
            return str(_l("yes") if value else _l("no"))
        if isinstance(value, str) and key.endswith(("_at", "_date")):
            return _when(value)
        return str(value)

    def basis(self, b: dict) -> str:
        parts = [self.value("kind", b.get("kind")), self.value("instrument_type", b.get("instrument_type")),
                 b.get("title") or "", b.get("document_number") or "", b.get("article") or ""]
        return " ".join(p for p in parts if p and p != "—")

    def entry(self, ev: AuditEvent) -> Entry:
        changes = [
            Change(str(FIELD_LABELS.get(k, k)), self.value(k, pair[0], ev.entity_type),
                   self.value(k, pair[1], ev.entity_type))
            for k, pair in sorted(self.parsed.get(ev.id, {}).items())
            if k not in HIDDEN_FIELDS and isinstance(pair, list) and len(pair) == 2
        ]
        who = ev.actor_username or "system"
        return Entry(ev, format_datetime(ev.created_at, "medium"), who, action_label(ev.action), ev.reason, changes)


_LABELLED = {ItemCategory, ApprovalLevel, ApplicantType, Decision, BasisKind, InstrumentType, IssuerLevel,
             DepartmentKind}


def _when(value: str) -> str:
    try:
        if "T" in value:
            return format_datetime(datetime.fromisoformat(value), "medium")
        return format_date(date.fromisoformat(value), "medium")
    except ValueError:
        return value


def render(events: list[AuditEvent]) -> list[Entry]:
    r = Renderer(events)
    return [r.entry(ev) for ev in events]


def events_for(keys: Iterable[tuple[str, object]]) -> list[AuditEvent]:
    """Every event about the given (entity_type, entity_id) pairs, oldest first."""
    conds = [sa.and_(AuditEvent.entity_type == t, AuditEvent.entity_id == str(i)) for t, i in keys]
    if not conds:
        return []
    return list(db.session.scalars(sa.select(AuditEvent).where(sa.or_(*conds)).order_by(AuditEvent.seq)))


def last_change(entity_type: str, entity_id) -> tuple[str, str]:
    """(who, when) of the latest event on an entity, for "changed by X at T" messages."""
    ev = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        .order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    if ev is None:
        return "?", "?"
    return ev.actor_username or "system", format_datetime(ev.created_at, "short")
