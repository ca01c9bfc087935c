"""Higher-level lists and alignment: import a list version, find candidates, confirm a match.

Confirming a match reopens the item's published pending review and proposes the higher
level's outcome through the normal workflow (``review.services.perform``, audited); an
approver then approves it as any other proposal.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from registry.alignment.matching import Candidate, Matcher
from registry.alignment.models import AlignmentMatch, HigherLevelItem, ListLevel, MatchMethod
from registry.audit.services import record, snapshot
from registry.auth.models import Role, User
from registry.db import utcnow
from registry.errors_domain import NotAllowed, ValidationFailed
from registry.extensions import db
from registry.imports.parsers import Limits, read_sheet
from registry.imports.validate import RowError, column_letter, norm_header
from registry.items.models import Decision, Item
from registry.legal.check import decision_label
from registry.review.models import Review, ReviewRound, ReviewState
from registry.review.services import perform
from registry.review.workflow import Action

#: accepted headers of a higher-level list file → field
LIST_HEADERS = {
    "code": "code", "编码": "code", "事项编码": "code",
    "name": "name", "名称": "name", "事项名称": "name",
    "department": "department", "部门": "department", "实施机关": "department", "主管部门": "department",
    "basis": "basis", "依据": "basis", "设定依据": "basis",
    "decision": "decision", "outcome": "decision", "决定": "decision", "处理意见": "decision", "处理结果": "decision",
}
OUTCOMES = {"keep": Decision.keep, "保留": Decision.keep, "abolish": Decision.abolish, "取消": Decision.abolish,
            "pending": Decision.pending, "待定": Decision.pending}


@dataclass
class ListImport:
    source_list: str
    list_version: str
    sha256: str
    rows: int = 0
    errors: list[RowError] | None = None


def _require_officer(actor: User | None, admin_ok: bool = True) -> None:
    roles = (Role.legal_officer, Role.admin) if admin_ok else (Role.legal_officer,)
    if actor is not None and not actor.has_role(*roles):
        raise NotAllowed(str(_l("Only legal officers may do this.")))


def import_list(data: bytes, filename: str, *, source_list: str, list_version: str, level: ListLevel,
                actor: User | None, limits: Limits | None = None) -> ListImport:
    """Store a higher-level list as a new version (all rows or none).

    Audits ``higher_level_item.import`` per row and one ``higher_list.import`` (name, version, sha256).
    """
    _require_officer(actor)
    source_list, list_version = (source_list or "").strip(), (list_version or "").strip()
    if not source_list or not list_version or len(source_list) > 200 or len(list_version) > 40:
        raise ValidationFailed(str(_l("Name the list (up to 200 characters) and its version (up to 40).")))
    exists = db.session.scalar(sa.select(HigherLevelItem.id).where(HigherLevelItem.source_list == source_list,
                                                                   HigherLevelItem.list_version == list_version))
    if exists:
        raise ValidationFailed(str(_l("Version %(v)s of %(name)s is already imported; give the new file a new "
                                      "version.", v=list_version, name=source_list)))
    result = ListImport(source_list, list_version, hashlib.sha256(data).hexdigest())
    sheet = read_sheet(data, filename, limits or Limits())
    fields = {i: LIST_HEADERS.get(norm_header(h)) for i, h in enumerate(sheet.headers)}
    missing = {"code", "name", "decision"} - set(fields.values())
    if missing:
        raise ValidationFailed(str(_l("The list needs the columns code, name and decision (编码、名称、处理意见); "
                                      "missing: %(cols)s.", cols=", ".join(sorted(missing)))))
    rows, errors, seen, now = [], [], {}, utcnow()
    for number, values in sheet.rows:
        v = {f: ("" if i >= len(values) or values[i] is None else str(values[i]).strip())
             for i, f in fields.items() if f}
        letter = {f: column_letter(i) for i, f in fields.items() if f}
        decision = OUTCOMES.get(v.get("decision", "").lower())
        if not v.get("code") or not v.get("name"):
            errors.append(RowError(number, None, None, _l("the code and the name are required.")))
        elif decision is None:
            errors.append(RowError(number, letter["decision"], "decision",
                                   _l("“%(value)s” is not keep, abolish or pending (保留、取消、待定).",
                                      value=v.get("decision", ""))))
        elif v["code"] in seen:
            errors.append(RowError(number, letter["code"], "code", _l("the code %(code)s already appears in row "
                                                                      "%(first)s.", code=v["code"], first=seen[v["code"]])))
        else:
            seen[v["code"]] = number
            rows.append(HigherLevelItem(source_list=source_list, list_version=list_version, level=level,
                                        code=v["code"][:40], name=v["name"][:200], department=v.get("department", "")[:200],
                                        basis=v.get("basis", ""), decision=decision, imported_at=now))
    result.rows, result.errors = len(rows), errors
    if errors:
        return result
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        record("higher_level_item.import", actor=actor, entity=row, changes=snapshot(row), reason=filename)
    record("higher_list.import", actor=actor, entity_type="higher_level_items", entity_id=result.sha256,
           reason=filename, changes={"source_list": [None, source_list], "list_version": [None, list_version],
                                     "level": [None, level.value], "rows": [None, len(rows)]})
    return result


def latest_rows() -> list[HigherLevelItem]:
    """The rows of the newest version (by import time) of every list."""
    versions = db.session.execute(
        sa.select(HigherLevelItem.source_list, HigherLevelItem.list_version, sa.func.max(HigherLevelItem.imported_at))
        .group_by(HigherLevelItem.source_list, HigherLevelItem.list_version)).all()
    newest: dict[str, tuple] = {}
    for source, version, at in versions:
        if source not in newest or at > newest[source][1]:
            newest[source] = (version, at)
    if not newest:
        return []
    pairs = [sa.and_(HigherLevelItem.source_list == s, HigherLevelItem.list_version == v)
             for s, (v, _at) in newest.items()]
    return db.session.scalars(sa.select(HigherLevelItem).where(sa.or_(*pairs)).order_by(HigherLevelItem.code)).all()


def reopenable_review(item: Item) -> Review | None:
    """The item's most recent published review with a pending decision (what alignment reopens)."""
    return db.session.scalar(
        sa.select(Review).join(ReviewRound).where(Review.item_id == item.id, Review.state == ReviewState.published,
                                                  Review.final_decision == Decision.pending)
        .order_by(ReviewRound.opened_at.desc(), Review.id.desc()).limit(1))


@dataclass
class QueueEntry:
    item: Item
    review: Review | None
    candidates: list[Candidate]


def queue(matcher: Matcher | None = None) -> list[QueueEntry]:
    """Pending items (published decision ``pending``) not yet aligned, each with its candidates."""
    matcher = matcher or Matcher(latest_rows())
    matched = sa.select(AlignmentMatch.item_id)
    items = db.session.scalars(sa.select(Item).where(Item.decision == Decision.pending, Item.id.not_in(matched))
                               .order_by(Item.code)).all()
    return [QueueEntry(i, reopenable_review(i), matcher.candidates(i.code, i.name)) for i in items]


def confirm_match(item: Item, higher: HigherLevelItem, *, actor: User, method: MatchMethod, score: float,
                  expected_version: int | None = None) -> AlignmentMatch:
    """Record the match and propose the higher level's outcome for the item's review.

    Reopens the published pending review and proposes (both through ``perform``, each audited
    as ``review.reopen`` / ``review.propose``); records ``alignment.confirm``.
    """
    _require_officer(actor, admin_ok=False)
    review = reopenable_review(item)
    if review is None:
        raise ValidationFailed(str(_l("This item has no published pending decision to align.")))
    if db.session.scalar(sa.select(AlignmentMatch.id).where(AlignmentMatch.item_id == item.id,
                                                            AlignmentMatch.higher_level_item_id == higher.id)):
        raise ValidationFailed(str(_l("This match is already confirmed.")))
    where = f"{higher.source_list} ({higher.list_version}) {higher.code} {higher.name}"
    perform(review, Action.reopen, actor=actor, expected_version=expected_version,
            reason=str(_l("Aligned with the higher-level list: %(where)s.", where=where)))
    perform(review, Action.propose, actor=actor, decision=higher.decision,
            pending_on=f"{higher.source_list} ({higher.list_version})"[:300],
            reason=str(_l("The higher level decided %(decision)s for %(where)s. Basis: %(basis)s", where=where,
                          decision=decision_label(higher.decision), basis=higher.basis or "—")))
    match = AlignmentMatch(item_id=item.id, higher_level_item_id=higher.id, method=method, score=score,
                           review_id=review.id, confirmed_by_id=actor.id)
    db.session.add(match)
    db.session.flush()
    record("alignment.confirm", actor=actor, entity=match, changes=snapshot(match), reason=where)
    return match


def propose_exact(*, actor: User, source_list: str, list_version: str) -> int:
    """Confirm every pending item whose code appears exactly once in this list version. Returns the count."""
    rows = db.session.scalars(sa.select(HigherLevelItem).where(HigherLevelItem.source_list == source_list,
                                                               HigherLevelItem.list_version == list_version)).all()
    done = 0
    for entry in queue(Matcher(rows)):
        exact = [c for c in entry.candidates if c.method is MatchMethod.code]
        if len(exact) == 1 and entry.review is not None:
            confirm_match(entry.item, exact[0].higher, actor=actor, method=MatchMethod.code, score=1.0)
            done += 1
    return done
