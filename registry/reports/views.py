"""Officers' reports: items with legal-check findings, the registry export, a round's announcement."""
from __future__ import annotations

import tempfile
from datetime import date

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _

from registry.auth.models import Role
from registry.auth.permissions import roles_required
from registry.extensions import db
from registry.items.models import Decision
from registry.legal.check import decision_label
from registry.legal.rules import Severity
from registry.reports import exports, queries
from registry.review.models import ReviewRound, RoundState

bp = Blueprint("reports", __name__, url_prefix="/reports")
OFFICERS = (Role.legal_officer, Role.approver, Role.admin)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_global("legal_decision_label")
def _decision_label(decision):
    return decision_label(decision)


def _as_of() -> date:
    try:
        return date.fromisoformat(request.args.get("as_of", ""))
    except ValueError:
        return date.today()


@bp.get("/legal-findings")
@roles_required(*OFFICERS)
def legal_findings():
    """Every item the legal-basis check has something to say about, worst first."""
    severity = request.args.get("severity")
    chosen = Severity(severity) if severity in {s.value for s in Severity} else None
    as_of = _as_of()
    rows = queries.items_with_findings(as_of, chosen)
    return render_template("reports/legal_findings.html", rows=rows, as_of=as_of, severity=chosen,
                           severities=list(Severity))


def _send_xlsx(write, name: str):
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write(spool)
    spool.seek(0)
    return send_file(spool, as_attachment=True, download_name=name, mimetype=XLSX)


@bp.get("/registry.xlsx")
@roles_required(*OFFICERS)
def registry_xlsx():
    """The whole registry with each item's latest review and its legal-check findings."""
    as_of = _as_of()
    return _send_xlsx(lambda fh: exports.write_registry(fh, as_of), f"registry-{as_of.isoformat()}.xlsx")


def _published_round(round_id: int) -> ReviewRound:
    rnd = db.session.get(ReviewRound, round_id)
    if rnd is None or rnd.state is not RoundState.published:
        abort(404)
    return rnd


@bp.get("/")
@roles_required(*OFFICERS)
def index():
    """The reports and exports on offer."""
    return render_template("reports/index.html", rounds=queries.published_rounds())


@bp.get("/rounds/<int:round_id>/announcement")
@roles_required(*OFFICERS)
def announcement(round_id: int):
    """The round's published result as a printable announcement."""
    rnd = _published_round(round_id)
    result = queries.round_result(rnd)
    return render_template("reports/announcement.html", rnd=rnd, result=result, Decision=Decision,
                           basis_text=exports.basis_text)


@bp.get("/rounds/<int:round_id>/announcement.xlsx")
@roles_required(*OFFICERS)
def announcement_xlsx(round_id: int):
    rnd = _published_round(round_id)
    return _send_xlsx(lambda fh: exports.write_announcement(fh, rnd), f"announcement-{rnd.year}-{rnd.id}.xlsx")


__all__ = ["bp", "_"]
