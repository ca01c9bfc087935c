"""Item import: plan it (new / changed / unchanged, every error), then write all of it or nothing.

``plan_import`` reads and checks the whole file and compares it with the registry without
writing. ``run_import`` writes a clean plan through the item services (each change audited)
plus one ``import.run`` event naming the actor and the file's sha256. Neither commits: the
caller commits once, so the import is one transaction.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from registry.audit.models import AuditEvent
from registry.audit.services import record, to_jsonable
from registry.auth.models import Role, User
from registry.db import utcnow
from registry.errors_domain import NotAllowed, ValidationFailed
from registry.extensions import db
from registry.imports.columns import BY_FIELD, COLUMNS
from registry.imports.models import ImportUpload
from registry.imports.parsers import Limits, read_sheet
from registry.imports.validate import ParsedRow, RowError, parse_rows
from registry.items import services as item_services
from registry.items.models import BasisKind, Department, Item

#: spreadsheet field → Item attribute (the others share their name)
FIELD_MAP = {"competent_department": "competent_department_id", "implementing_department": "implementing_department_id"}
ITEM_FIELDS = ("name", "competent_department", "implementing_department", "category", "approval_level",
               "applicant_type", "conditions", "materials", "procedure", "statutory_days", "committed_days",
               "fee_charged", "fee_rate", "fee_basis", "licence_document", "validity", "notes")
BASIS_MAP = {"basis_instrument_type": "instrument_type", "basis_issuer_level": "issuer_level",
             "basis_title": "title", "basis_issuer": "issuer", "basis_document_number": "document_number",
             "basis_article": "article", "basis_effective_date": "effective_date"}
BASIS_KEYS = ("kind",) + tuple(BASIS_MAP.values())
UPLOAD_TTL = timedelta(hours=24)
CHUNK = 500
#: items created per flush; written items then leave the session (a 100,000-row import stays small)
BATCH = 500


#: changed field → the spreadsheet header shown in the preview
CHANGE_HEADERS = {FIELD_MAP.get(c.field, c.field): c.header for c in COLUMNS} | {
    "bases": "设定依据", "parent_id": BY_FIELD["parent_code"].header}


@dataclass(slots=True)
class PlannedRow:
    row: int
    code: str
    fields: dict
    #: the setting basis as the file states it (replaces the item's setting bases)
    setting: dict | None
    #: None when the file has no parent column (the parent is then left alone)
    parent_code: str | None = None
    has_parent_column: bool = False
    item: Item | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def changed_headers(self) -> list[str]:
        return [CHANGE_HEADERS.get(f, f) for f in self.changed]


@dataclass
class Plan:
    filename: str
    sha256: str
    rows: int = 0
    new: list[PlannedRow] = field(default_factory=list)
    changed: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def can_import(user: User | None) -> bool:
    """Admins import for any department, department staff for their own; ``None`` is the CLI system user."""
    if user is None:
        return True
    return user.has_role(Role.admin) or (user.has_role(Role.department_staff) and user.department_id is not None)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def department_index() -> dict[str, int]:
    """Code (as written and upper-case) and full name of every active department → id."""
    out: dict[str, int] = {}
    for d in db.session.scalars(sa.select(Department).where(Department.is_active.is_(True))):
        out[d.code] = out[d.code.upper()] = out[d.name] = d.id
    return out


def _load_items(codes: list[str]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    for i in range(0, len(codes), CHUNK):
        chunk = codes[i:i + CHUNK]
        stmt = sa.select(Item).where(Item.code.in_(chunk)).options(selectinload(Item.bases))
        found.update((it.code, it) for it in db.session.scalars(stmt))
    return found


def _item_ids(codes: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    codes_l = sorted(codes)
    for i in range(0, len(codes_l), CHUNK):
        out.update(db.session.execute(sa.select(Item.code, Item.id).where(Item.code.in_(codes_l[i:i + CHUNK]))).all())
    return out


def basis_dict(b) -> dict:
    get = b.get if isinstance(b, dict) else (lambda k: getattr(b, k))
    return {k: to_jsonable(get(k)) for k in BASIS_KEYS}


def plan_import(data: bytes, filename: str, *, actor: User | None, limits: Limits | None = None) -> Plan:
    """Read, check and compare the whole file; writes nothing. Raises ``FileRefused`` for a bad file."""
    if not can_import(actor):
        raise NotAllowed(str(_l("Only administrators and department staff may import items.")))
    plan = Plan(filename=filename, sha256=sha256_of(data))
    sheet = read_sheet(data, filename, limits or Limits())
    plan.rows = len(sheet.rows)
    rows, plan.errors = parse_rows(sheet, department_index())
    del sheet
    existing = _load_items([r.values["code"] for r in rows])
    file_codes = {r.values["code"] for r in rows}
    parent_codes = {r.values["parent_code"] for r in rows if r.values.get("parent_code")}
    parents = _item_ids(parent_codes - file_codes)
    for r in rows:
        planned = _plan_row(r, existing.get(r.values["code"]), parents, file_codes, actor, plan.errors)
        r.values = {}  # converted into the planned row: let it go (a 100,000-row file stays small)
        if planned is None:
            continue
        if planned.item is None:
            plan.new.append(planned)
        elif planned.changed:
            plan.changed.append(planned)
        else:
            plan.unchanged += 1
    _check_parent_order(plan)
    plan.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return plan


def _plan_row(r: ParsedRow, item: Item | None, parents: dict[str, int], file_codes: set[str],
              actor: User | None, errors: list[RowError]) -> PlannedRow | None:
    v = r.values
    fields = {FIELD_MAP.get(f, f): v[f] for f in ITEM_FIELDS if f in v}
    setting = None
    if "basis_instrument_type" in v:
        setting = {"kind": BasisKind.setting, **{BASIS_MAP[k]: v.get(k) for k in BASIS_MAP}}
        setting = {k: ("" if val is None and k in ("title", "issuer", "document_number", "article") else val)
                   for k, val in setting.items()}
    planned = PlannedRow(r.row, v["code"], fields, setting, v.get("parent_code"), "parent_code" in v, item)
    if not _in_scope(actor, fields, item):
        errors.append(RowError(r.row, None, None, _l("the item %(code)s belongs to another department; you may "
                                                     "import only your own department's items.", code=v["code"])))
        return None
    pc = planned.parent_code
    if pc and pc not in file_codes and pc not in parents:
        errors.append(RowError(r.row, None, BY_FIELD["parent_code"].header,
                               _l("the parent item %(code)s exists neither in the registry nor in the file.",
                                  code=pc)))
        return None
    if item is not None:
        planned.changed = [f for f, val in fields.items() if getattr(item, f) != val]
        if setting is not None and [basis_dict(b) for b in item.setting_bases] != [basis_dict(setting)]:
            planned.changed.append("bases")
        if planned.has_parent_column and item.parent_id != (parents.get(pc) if pc else None):
            planned.changed.append("parent_id")
    return planned


def _in_scope(actor: User | None, fields: dict, item: Item | None) -> bool:
    if actor is None or actor.has_role(Role.admin):
        return True
    own = actor.department_id
    if item is not None and own not in (item.competent_department_id, item.implementing_department_id):
        return False
    depts = {fields.get("competent_department_id"), fields.get("implementing_department_id")} - {None}
    return own in depts


def _check_parent_order(plan: Plan) -> None:
    """New items whose parents form a cycle inside the file cannot be created."""
    try:
        _parents_first_waves(plan.new)
    except ValueError as exc:
        for pr in exc.args[0]:
            plan.errors.append(RowError(pr.row, None, BY_FIELD["parent_code"].header,
                                        _l("the parent items in the file form a cycle.")))


def _parents_first_waves(rows: list[PlannedRow]) -> list[list[PlannedRow]]:
    """New rows in waves: each wave's parents exist already or were created in an earlier wave.

    Raises ``ValueError(rows)`` with the rows whose parents form a cycle inside the file.
    """
    new_codes = {pr.code for pr in rows}
    done: set[str] = set()
    waves, waiting = [], list(rows)
    while waiting:
        ready = [pr for pr in waiting if not pr.parent_code or pr.parent_code not in new_codes
                 or pr.parent_code in done]
        if not ready:
            raise ValueError(waiting)
        waves.append(ready)
        done.update(pr.code for pr in ready)
        ready_ids = {id(pr) for pr in ready}
        waiting = [pr for pr in waiting if id(pr) not in ready_ids]
    return waves


def run_import(plan: Plan, *, actor: User | None,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Write a clean plan (and use it up): creates in batches, then updates, through the item services.

    Records ``import.run`` (actor, file name, sha256, counts). Flushes, never commits.
    Returns the counts written.
    """
    if not plan.ok:
        raise ValidationFailed(str(_l("The file has errors; nothing was imported.")))
    counts = {"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged}
    record("import.run", actor=actor, entity_type="imports", entity_id=plan.sha256, reason=plan.filename,
           changes={"file": [None, plan.filename], "sha256": [None, plan.sha256], **{k: [None, n]
                                                                                      for k, n in counts.items()}})
    ids = _item_ids({pr.parent_code for pr in plan.new + plan.changed if pr.parent_code})
    total, done = len(plan.new) + len(plan.changed), 0
    for wave in _parents_first_waves(plan.new):
        for start in range(0, len(wave), BATCH):
            chunk = wave[start:start + BATCH]
            specs = [{"code": pr.code, "bases": [pr.setting] if pr.setting else [], **pr.fields,
                      **({"parent_id": ids[pr.parent_code]} if pr.parent_code else {})} for pr in chunk]
            items = item_services.create_items(specs, actor=actor)
            ids.update((item.code, item.id) for item in items)
            for pr in chunk:
                pr.fields, pr.setting = {}, None  # a plan is used up by writing it; let rows go as they are written
            _release(items)
            done += len(chunk)
            if progress and done // 1000 > (done - len(chunk)) // 1000:
                progress(done, total)
    for pr in plan.changed:
        item = pr.item
        extra = {"parent_id": ids.get(pr.parent_code) if pr.parent_code else None} if pr.has_parent_column else {}
        bases = None
        if pr.setting is not None and "bases" in pr.changed:
            bases = [pr.setting] + [{k: getattr(b, k) for k in BASIS_KEYS} for b in item.implementing_bases]
        fields = {f: pr.fields[f] for f in pr.changed if f in pr.fields}
        item_services.update_item(item, actor=actor, expected_version=item.version, bases=bases, **fields, **extra)
        done += 1
        if progress and done % 1000 == 0:
            progress(done, total)
    db.session.flush()
    return counts


def _release(items: list[Item]) -> None:
    """Flush, then let go of the items just created and the flushed audit events (memory stays flat).

    They stay written in the open transaction; only the session forgets them.
    """
    db.session.flush()
    for item in items:
        for basis in item.bases:
            db.session.expunge(basis)
        db.session.expunge(item)
    for obj in [o for o in db.session.identity_map.values() if isinstance(o, AuditEvent)]:
        db.session.expunge(obj)
    items.clear()


# --- uploads kept between preview and confirmation ---------------------------------------

def store_upload(data: bytes, filename: str, *, actor: User) -> ImportUpload:
    """Keep an uploaded file for its preview and confirmation; purges uploads older than a day."""
    db.session.execute(sa.delete(ImportUpload).where(ImportUpload.created_at < utcnow() - UPLOAD_TTL))
    upload = ImportUpload(kind="items", filename=(filename or "upload")[-255:], size=len(data),
                          sha256=sha256_of(data), data=data, uploaded_by_id=actor.id)
    db.session.add(upload)
    db.session.flush()
    return upload


def get_upload(upload_id: int, *, actor: User) -> ImportUpload | None:
    """The actor's own upload (anyone else's is as good as missing)."""
    upload = db.session.get(ImportUpload, upload_id)
    if upload is None or upload.uploaded_by_id != actor.id:
        return None
    return upload


def discard_upload(upload: ImportUpload) -> None:
    db.session.delete(upload)
    db.session.flush()
