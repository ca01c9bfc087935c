"""Rounds for admins: create, add items, close, publish."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.admin.forms import AddItemsForm, ConfirmForm, RoundForm
from registry.auth.models import Role
from registry.auth.permissions import roles_required
from registry.errors_domain import DomainError
from registry.extensions import db
from registry.items.queries import all_departments
from registry.review import rounds
from registry.review.models import Review, ReviewRound

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.context_processor
def _round_states():
    return {"round_states": {"open": _("open"), "closed": _("closed"), "published": _("published")}}


@bp.get("/rounds")
@roles_required(Role.admin)
def rounds_index():
    """Every round with its reviews counted by state."""
    counts: dict[int, dict] = {}
    for round_id, state, n in db.session.execute(
        sa.select(Review.round_id, Review.state, sa.func.count()).group_by(Review.round_id, Review.state)
    ):
        counts.setdefault(round_id, {})[state] = n
    all_rounds = db.session.scalars(sa.select(ReviewRound).order_by(ReviewRound.opened_at.desc())).all()
    return render_template("admin/rounds.html", rounds=all_rounds, counts=counts)


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required(Role.admin)
def round_new():
    """Open a new round."""
    form = RoundForm()
    if form.validate_on_submit():
        try:
            rnd = rounds.create_round(name=form.name.data, year=form.year.data, actor=current_user)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Round %(name)s opened.", name=rnd.name), "success")
            return redirect(url_for("admin.round_detail", round_id=rnd.id))
    return render_template("admin/round_new.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/rounds/<int:round_id>")
@roles_required(Role.admin)
def round_detail(round_id: int):
    """A round: counts by state, add items, close, publish."""
    rnd = db.get_or_404(ReviewRound, round_id)
    counts = dict(db.session.execute(
        sa.select(Review.state, sa.func.count()).where(Review.round_id == rnd.id).group_by(Review.state)).all())
    form = AddItemsForm()
    form.departments.choices = [(d.id, d.name) for d in all_departments()]
    return render_template("admin/round_detail.html", rnd=rnd, counts=counts, form=form, confirm=ConfirmForm())


@bp.post("/rounds/<int:round_id>/items")
@roles_required(Role.admin)
def round_add_items(round_id: int):
    """Add all items, or those of the chosen departments, as draft reviews."""
    rnd = db.get_or_404(ReviewRound, round_id)
    form = AddItemsForm()
    form.departments.choices = [(d.id, d.name) for d in all_departments()]
    if not form.validate_on_submit() or (form.scope.data == "departments" and not form.departments.data):
        flash(_("Choose all items or at least one department."), "error")
        return redirect(url_for("admin.round_detail", round_id=round_id))
    ids = form.departments.data if form.scope.data == "departments" else None
    return _do(round_id, lambda: _("%(n)s items added.", n=rounds.add_items(rnd, actor=current_user,
                                                                          department_ids=ids)))


@bp.post("/rounds/<int:round_id>/close")
@roles_required(Role.admin)
def round_close(round_id: int):
    """Close the round: no new items."""
    rnd = db.get_or_404(ReviewRound, round_id)
    return _do(round_id, lambda: rounds.close_round(rnd, actor=current_user) and _("Round closed."))


@bp.post("/rounds/<int:round_id>/publish")
@roles_required(Role.admin)
def round_publish(round_id: int):
    """Publish every decided review of the round (each audited) and the round itself."""
    rnd = db.get_or_404(ReviewRound, round_id)
    return _do(round_id, lambda: _("%(n)s decisions published.", n=rounds.publish_round(rnd, actor=current_user)))


def _do(round_id: int, operation):
    """Run one service call in the request's transaction: commit and report, or explain and roll back."""
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("admin.round_detail", round_id=round_id))
    try:
        message = operation()
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(message, "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))
