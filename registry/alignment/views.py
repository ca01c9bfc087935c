"""Alignment pages: the queue of pending items with candidates, confirming a match, importing a list."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.alignment import services
from registry.alignment.forms import LEVEL_LABELS, ConfirmMatchForm, ListUploadForm
from registry.alignment.matching import Matcher
from registry.alignment.models import ListLevel
from registry.auth.models import Role
from registry.auth.permissions import roles_required
from registry.errors_domain import DomainError
from registry.extensions import db
from registry.imports.parsers import Limits
from registry.items.models import Item

bp = Blueprint("alignment", __name__, url_prefix="/alignment")
VIEWERS = (Role.legal_officer, Role.approver, Role.admin)


@bp.get("/")
@roles_required(*VIEWERS)
def queue():
    """Pending items with their higher-level candidates and why each matched."""
    rows = services.latest_rows()
    return render_template("alignment/queue.html", entries=services.queue(Matcher(rows)), list_rows=len(rows),
                           form=ConfirmMatchForm(), can_confirm=current_user.has_role(Role.legal_officer))


@bp.post("/items/<int:item_id>/confirm")
@roles_required(Role.legal_officer)
def confirm(item_id: int):
    """Confirm one candidate: the review is reopened and the higher level's outcome proposed."""
    item = db.session.get(Item, item_id) or abort(404)
    form = ConfirmMatchForm()
    if not form.validate_on_submit():
        abort(400)
    candidate = next((c for c in Matcher(services.latest_rows()).candidates(item.code, item.name)
                      if c.higher.id == form.higher_level_item_id.data), None)
    if candidate is None:
        abort(404)
    try:
        services.confirm_match(item, candidate.higher, actor=current_user, method=candidate.method,
                               score=candidate.score, expected_version=form.review_version.data or None)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("alignment.queue"))
    db.session.commit()
    flash(_("%(code)s: the higher level's outcome is proposed; an approver decides next.", code=item.code), "success")
    return redirect(url_for("alignment.queue"))


@bp.route("/lists", methods=["GET", "POST"])
@roles_required(Role.legal_officer, Role.admin)
def import_list():
    """Import a higher-level list as a new version."""
    form = ListUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(Limits.from_config(current_app.config).max_bytes + 1)
        try:
            result = services.import_list(data, form.file.data.filename or "list", source_list=form.source_list.data,
                                          list_version=form.list_version.data, level=ListLevel(form.level.data),
                                          actor=current_user, limits=Limits.from_config(current_app.config))
        except DomainError as exc:
            flash(exc.message, "error")
            return render_template("alignment/lists.html", form=form, errors=[]), 422
        if result.errors:
            return render_template("alignment/lists.html", form=form, errors=result.errors), 422
        db.session.commit()
        flash(_("Imported %(n)s rows of %(name)s, version %(v)s.", n=result.rows, name=result.source_list,
                v=result.list_version), "success")
        return redirect(url_for("alignment.queue"))
    return render_template("alignment/lists.html", form=form, errors=[], levels=LEVEL_LABELS)
