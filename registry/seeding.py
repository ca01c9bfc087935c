"""Loads the reference and demo data in ``seeds/``; safe to run again (nothing duplicates)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from registry.audit.services import record, snapshot
from registry.auth.models import Role, User
from registry.auth.services import create_user
from registry.extensions import db
from registry.items import services as item_services
from registry.items.models import (
    ApplicantType,
    ApprovalLevel,
    BasisKind,
    Decision,
    Department,
    DepartmentKind,
    InstrumentType,
    IssuerLevel,
    Item,
    ItemCategory,
)
from registry.review.models import Review, ReviewRound, ReviewState, RoundState

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
#: printed by ``registry demo``; only ever set by the demo, never by a plain seed
# demo only, printed to the operator
DEMO_PASSWORD = "registry-demo-2004"  # noqa: S105  # nosec B105


class SeedError(RuntimeError):
    pass


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    def __str__(self) -> str:
        if not any(self.created.values()):
            return "nothing to do: the data is already loaded"
        return ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n) + " created"


def read_csv(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    path = seeds_dir / name
    if not path.exists():
        raise SeedError(f"seed file missing: {path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _utc(value: str) -> datetime | None:
    return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC) if value else None


def _bool(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes", "是")


def seed_departments(report: SeedReport, seeds_dir: Path) -> dict[str, Department]:
    existing = {d.code: d for d in db.session.scalars(sa.select(Department))}
    rows = read_csv("departments.csv", seeds_dir)
    for row in rows:
        if row["code"] not in existing:
            existing[row["code"]] = item_services.create_department(
                code=row["code"], name=row["name"], kind=DepartmentKind(row["kind"]))
            report.add("departments")
    for row in rows:
        dept, parent_code = existing[row["code"]], row.get("parent_code", "")
        if parent_code and dept.parent_id is None:
            item_services.update_department(dept, parent_id=existing[parent_code].id)
    return existing


def seed_items(report: SeedReport, seeds_dir: Path, departments: dict[str, Department]) -> dict[str, Item]:
    existing = {i.code: i for i in db.session.scalars(sa.select(Item))}
    bases: dict[str, list[dict]] = {}
    for row in read_csv("legal_bases.csv", seeds_dir):
        bases.setdefault(row["item_code"], []).append({
            "kind": BasisKind(row["kind"]),
            "instrument_type": InstrumentType(row["instrument_type"]),
            "issuer_level": IssuerLevel(row["issuer_level"]) if row["issuer_level"] else None,
            "title": row["title"], "issuer": row["issuer"], "document_number": row["document_number"],
            "article": row["article"], "effective_date": _day(row["effective_date"]),
        })
    rows = read_csv("items.csv", seeds_dir)
    for row in sorted(rows, key=lambda r: bool(r.get("parent_code"))):  # parents first
        if row["code"] in existing:
            continue
        existing[row["code"]] = item_services.create_item(
            code=row["code"],
            name=row["name"],
            parent_id=existing[row["parent_code"]].id if row.get("parent_code") else None,
            competent_department_id=departments[row["competent_department"]].id,
            implementing_department_id=departments[row["implementing_department"]].id,
            category=ItemCategory(row["category"]),
            approval_level=ApprovalLevel(row["approval_level"]),
            applicant_type=ApplicantType(row["applicant_type"]),
            conditions=row["conditions"], materials=row["materials"], procedure=row["procedure"],
            statutory_days=int(row["statutory_days"]),
            committed_days=int(row["committed_days"]) if row["committed_days"] else None,
            fee_charged=_bool(row["fee_charged"]), fee_rate=row["fee_rate"], fee_basis=row["fee_basis"],
            licence_document=row["licence_document"], validity=row["validity"], notes=row["notes"],
            bases=bases.get(row["code"], []),
        )
        report.add("items")
    return existing


def seed_rounds(report: SeedReport, seeds_dir: Path, items: dict[str, Item]) -> None:
    """Historical rounds with their published decisions, recorded as imported records."""
    for row in read_csv("rounds.csv", seeds_dir):
        if db.session.scalar(sa.select(ReviewRound.id).where(ReviewRound.name == row["name"])):
            continue
        rnd = ReviewRound(name=row["name"], year=int(row["year"]), state=RoundState(row["state"]),
                          opened_at=_utc(row["opened_at"]), closed_at=_utc(row["closed_at"]),
                          published_at=_utc(row["published_at"]))
        db.session.add(rnd)
        db.session.flush()
        record("round.import", entity=rnd, changes=snapshot(rnd), reason=f"seed {row['decisions_file']}")
        report.add("rounds")
        published = rnd.state is RoundState.published
        for drow in read_csv(row["decisions_file"], seeds_dir):
            item, decision = items[drow["item_code"]], Decision(drow["decision"])
            review = Review(
                item=item, round=rnd,
                state=ReviewState.published if published else ReviewState.decided,
                proposed_decision=decision, final_decision=decision, reason=drow["reason"],
                pending_on=drow["pending_on"] or None,
                proposed_at=rnd.closed_at, decided_at=rnd.closed_at,
                published_at=rnd.published_at if published else None,
            )
            db.session.add(review)
            db.session.flush()
            record("review.import", entity=review, changes=snapshot(review), reason="historical decision")
            if published:
                before = {"decision": item.decision, "decision_reason": item.decision_reason}
                item.decision, item.decision_reason = decision, drow["reason"]
                item.decision_published_at = rnd.published_at
                db.session.flush()
                record("item.publish_decision", entity=item, reason=rnd.name, changes={
                    "decision": [before["decision"], decision.value],
                    "decision_reason": [before["decision_reason"], drow["reason"]],
                })
            report.add("reviews")


def seed(seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    """Load departments, items, legal bases and historical rounds. Flushes, never commits."""
    report = SeedReport()
    departments = seed_departments(report, seeds_dir)
    items = seed_items(report, seeds_dir, departments)
    seed_rounds(report, seeds_dir, items)
    return report


def seed_demo_users(seeds_dir: Path = SEEDS_DIR) -> list[tuple[User, bool]]:
    """Create the demo users (only for ``registry demo``); returns (user, created?) pairs."""
    out = []
    departments = {d.code: d for d in db.session.scalars(sa.select(Department))}
    for row in read_csv("demo_users.csv", seeds_dir):
        user = db.session.scalar(sa.select(User).where(User.username == row["username"]))
        created = user is None
        if created:
            user = create_user(
                row["username"], display_name=row["display_name"], password=DEMO_PASSWORD,
                roles=[Role(r) for r in row["roles"].split(";") if r],
                department=departments.get(row["department_code"]) if row["department_code"] else None,
            )
        out.append((user, created))
    return out


#: the demo's open round, with reviews in every state (``registry demo`` / ``seed --demo-users`` only)
DEMO_ROUND_NAME = "2026 年度行政许可事项评估"
#: states reached, in order, by each target state of seeds/demo_round.csv
_DEMO_STEPS = {
    "draft_justified": ("justify",),
    "submitted": ("justify", "submit"),
    "returned": ("justify", "submit", "claim", "return"),
    "under_review": ("justify", "submit", "claim"),
    "proposed": ("justify", "submit", "claim", "propose"),
    "decided": ("justify", "submit", "claim", "propose", "approve"),
    "published": ("justify", "submit", "claim", "propose", "approve", "publish"),
    "reopened": ("justify", "submit", "claim", "propose", "approve", "publish", "reopen"),
}


def seed_demo_round(seeds_dir: Path = SEEDS_DIR) -> int:
    """Open the demo round and walk its reviews through the workflow as the demo users.

    Everything goes through the services (so it is audited like real work). Needs the demo
    users; does nothing when the round exists. Returns the number of reviews in the round.
    """
    from registry.review import rounds
    from registry.review.services import perform, save_justification

    if db.session.scalar(sa.select(ReviewRound.id).where(ReviewRound.name == DEMO_ROUND_NAME)):
        return 0
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    rows = read_csv("demo_round.csv", seeds_dir)
    needed = {row[k] for row in rows for k in ("staff", "officer", "approver") if row[k]} | {"admin"}
    if needed - set(users):
        raise SeedError(f"demo users missing: {', '.join(sorted(needed - set(users)))}")
    items = {i.code: i for i in db.session.scalars(sa.select(Item).where(Item.code.in_([r["item_code"] for r in rows])))}
    admin = users["admin"]
    rnd = rounds.create_round(name=DEMO_ROUND_NAME, year=2026, actor=admin)
    departments = {users[r["staff"]].department_id for r in rows}
    count = rounds.add_items(rnd, actor=admin, department_ids=departments)
    for row in rows:
        review = db.session.scalar(sa.select(Review).where(Review.round_id == rnd.id,
                                                           Review.item_id == items[row["item_code"]].id))
        staff, officer = users[row["staff"]], users.get(row["officer"])
        for step in _DEMO_STEPS[row["state"]]:
            if step == "justify":
                save_justification(review, actor=staff, reasons=row["justification"])
            elif step == "submit":
                perform(review, "submit", actor=staff)
            elif step == "claim":
                perform(review, "claim", actor=officer)
            elif step == "return":
                perform(review, "return", actor=officer, reason=row["note"])
            elif step == "propose":
                perform(review, "propose", actor=officer, decision=row["decision"], reason=row["reason"],
                        pending_on=row["pending_on"] or None)
            elif step == "approve":
                perform(review, "approve", actor=users[row["approver"]])
            elif step == "publish":
                perform(review, "publish", actor=admin)
            elif step == "reopen":
                perform(review, "reopen", actor=officer, reason=row["note"])
    return count
