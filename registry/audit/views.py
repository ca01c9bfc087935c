"""The administrators' audit view: filter by who, what and when; paginate; export as CSV (itself audited)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.audit import history
from registry.audit.models import AuditEvent
from registry.audit.services import record
from registry.auth.models import Role
from registry.auth.permissions import roles_required
from registry.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PER_PAGE = 50
EXPORT_LIMIT = 100_000
CSV_COLUMNS = ("seq", "created_at", "actor_username", "actor_roles", "ip", "request_id", "entity_type",
               "entity_id", "action", "changes", "reason", "hash")


@dataclass
class AuditFilter:
    who: str = ""
    action: str = ""
    entity_type: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> AuditFilter:
        def day(key):
            try:
                return date.fromisoformat(args.get(key, "")) if args.get(key) else None
            except ValueError:
                return None

        return cls(who=args.get("who", "").strip()[:64], action=args.get("action", "").strip()[:60],
                   entity_type=args.get("entity_type", "").strip()[:40], date_from=day("from"), date_to=day("to"))

    def args(self) -> dict:
        out = {"who": self.who, "action": self.action, "entity_type": self.entity_type,
               "from": self.date_from.isoformat() if self.date_from else "",
               "to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in out.items() if v}

    def statement(self) -> sa.Select:
        """Events matching the filter, newest first; dates are local (REGISTRY_TIMEZONE) days."""
        tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))
        stmt = sa.select(AuditEvent)
        if self.who:
            stmt = stmt.where(AuditEvent.actor_username == self.who)
        if self.action:
            stmt = stmt.where(sa.or_(AuditEvent.action == self.action, AuditEvent.action.startswith(self.action + ".")))
        if self.entity_type:
            stmt = stmt.where(AuditEvent.entity_type == self.entity_type)
        if self.date_from:
            stmt = stmt.where(AuditEvent.created_at >= datetime.combine(self.date_from, time.min, tz))
        if self.date_to:
            stmt = stmt.where(AuditEvent.created_at < datetime.combine(self.date_to + timedelta(days=1), time.min, tz))
        return stmt.order_by(AuditEvent.seq.desc())


@bp.get("/")
@roles_required(Role.admin)
def index():
    """Audit events filtered by who, what and when."""
    f = AuditFilter.from_args(request.args)
    page = db.paginate(f.statement(), per_page=PER_PAGE)
    entries = history.render(list(page.items))
    types = db.session.scalars(sa.select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)).all()
    return render_template("audit/index.html", page=page, entries=entries, f=f, entity_types=types)


@bp.post("/export")
@roles_required(Role.admin)
def export():
    """The filtered events as CSV; the export itself is recorded as ``audit.export``."""
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("audit.index"))
    f = AuditFilter.from_args(request.form)
    events = db.session.scalars(f.statement().limit(EXPORT_LIMIT)).all()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for ev in events:
        writer.writerow([ev.created_at.isoformat() if c == "created_at" else getattr(ev, c) for c in CSV_COLUMNS])
    record("audit.export", actor=current_user, entity_type="audit_events", entity_id="",
           changes={"filter": [None, f.args()], "rows": [None, len(events)]}, reason="CSV export")
    db.session.commit()
    name = f"audit-{date.today().isoformat()}.csv"
    return Response("\ufeff" + buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}",
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})
