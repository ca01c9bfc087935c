"""Writes on departments, items and legal bases — each change audited."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l

from registry.audit.services import diff, record, snapshot, to_jsonable
from registry.db import utcnow
from registry.errors_domain import StaleObject, ValidationFailed
from registry.extensions import db
from registry.items.models import Department, Item, LegalBasis

#: Item fields a caller may set through create_item / update_item (never decision or version)
EDITABLE_ITEM_FIELDS = (
    "name", "parent_id", "competent_department_id", "implementing_department_id", "category",
    "approval_level", "applicant_type", "conditions", "materials", "procedure", "statutory_days",
    "committed_days", "fee_charged", "fee_rate", "fee_basis", "licence_document", "validity", "notes",
)
BASIS_FIELDS = ("kind", "instrument_type", "issuer_level", "title", "issuer", "document_number", "article",
                "effective_date")


def _check_time_limits(statutory: int | None, committed: int | None) -> None:
    if statutory is None or statutory <= 0:
        raise ValidationFailed(str(_l("The statutory time limit must be a positive number of working days.")),
                               field="statutory_days")
    if committed is not None and not (0 < committed <= statutory):
        raise ValidationFailed(str(_l("The committed time limit cannot exceed the statutory one.")),
                               field="committed_days")


def create_department(*, code: str, name: str, kind, parent: Department | None = None, actor=None) -> Department:
    """Create a department. Audits ``department.create``."""
    dept = Department(code=code, name=name, kind=kind, parent=parent)
    db.session.add(dept)
    db.session.flush()
    record("department.create", actor=actor, entity=dept, changes=snapshot(dept))
    return dept


def update_department(dept: Department, *, actor=None, **fields: Any) -> Department:
    """Change a department's name, kind or parent. Audits ``department.update`` if anything changed."""
    for key in ("name", "kind", "parent_id", "is_active"):
        if key in fields:
            setattr(dept, key, fields[key])
    changes = diff(dept)
    if changes:
        db.session.flush()
        record("department.update", actor=actor, entity=dept, changes=changes)
    return dept


def _basis_dict(b: LegalBasis) -> dict:
    return {k: to_jsonable(getattr(b, k)) for k in BASIS_FIELDS}


def create_item(*, code: str, actor=None, bases: Iterable[dict] = (), **fields: Any) -> Item:
    """Create an item with its legal bases. Audits ``item.create`` (bases included)."""
    return create_items([{"code": code, "bases": bases, **fields}], actor=actor)[0]


def update_item(item: Item, *, actor=None, expected_version: int | None = None,
                bases: Iterable[dict] | None = None, **fields: Any) -> Item:
    """Change an item's editable fields (and optionally replace its bases).

    ``expected_version`` is the version the editor loaded; a different current version
    raises ``StaleObject`` (no silent overwrite). Audits ``item.update`` with field diffs.
    """
    if expected_version is not None and expected_version != item.version:
        raise StaleObject(str(_l("This item was changed by someone else meanwhile; reload it.")))
    unknown = set(fields) - set(EDITABLE_ITEM_FIELDS)
    if unknown:
        raise ValidationFailed(f"unknown item fields: {', '.join(sorted(unknown))}")
    _check_time_limits(fields.get("statutory_days", item.statutory_days),
                       fields.get("committed_days", item.committed_days))
    for key, value in fields.items():
        setattr(item, key, value)
    changes = diff(item)
    if bases is not None:
        old = [_basis_dict(b) for b in item.bases]
        new_bases = [LegalBasis(position=pos, **{k: b.get(k) for k in BASIS_FIELDS if k in b})
                     for pos, b in enumerate(bases)]
        new = [_basis_dict(b) for b in new_bases]
        if old != new:
            item.bases = new_bases
            changes["bases"] = [old, new]
    if changes:
        if "bases" in changes and len(changes) == 1:
            item.updated_at = utcnow()  # bases live in another table: still a new item version
        db.session.flush()
        record("item.update", actor=actor, entity=item, changes=changes)
    return item


def create_items(specs: Iterable[dict], *, actor=None) -> list[Item]:
    """Create many items exactly as ``create_item`` would, with one flush for all of them (bulk import).

    Each spec holds ``code``, optional ``bases`` and editable fields; the checks are those of
    ``create_item``, and each item gets its own ``item.create`` audit event (bases included).
    Parents must already have ids. Returns the new items in order.
    """
    items = []
    for spec in specs:
        fields = dict(spec)
        code = (fields.pop("code", "") or "").strip()
        bases = fields.pop("bases", ())
        if not code:
            raise ValidationFailed(str(_l("An item code is required.")), field="code")
        unknown = set(fields) - set(EDITABLE_ITEM_FIELDS)
        if unknown:
            raise ValidationFailed(f"unknown item fields: {', '.join(sorted(unknown))}")
        _check_time_limits(fields.get("statutory_days", 20), fields.get("committed_days"))
        item = Item(code=code, **fields)
        for pos, b in enumerate(bases):
            item.bases.append(LegalBasis(position=pos, **{k: b.get(k) for k in BASIS_FIELDS if k in b}))
        db.session.add(item)
        items.append(item)
    db.session.flush()
    for item in items:
        changes = snapshot(item)
        changes["bases"] = [None, [_basis_dict(b) for b in item.bases]]
        record("item.create", actor=actor, entity=item, changes=changes)
    return items
