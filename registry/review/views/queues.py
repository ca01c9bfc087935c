"""The legal officers' queue and the approvers' queue with approval of a filtered selection."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.models import Role
from registry.auth.permissions import roles_required
from registry.errors_domain import DomainError
from registry.extensions import db
from registry.items.queries import all_departments
from registry.review import queries
from registry.review.forms import ActionForm, BulkApproveForm
from registry.review.models import Review
from registry.review.services import perform
from registry.review.views import bp

#: proposals one bulk approval may name (a page of the queue holds fewer)
MAX_BULK = 500

PER_PAGE = 25


@bp.get("/queue")
@roles_required(Role.legal_officer)
def queue():
    """Submitted and under-review reviews: filter by department, state, age; sort; paginate."""
    f = queries.QueueFilter.from_args(request.args)
    page = db.paginate(queries.officer_queue(f, current_user), per_page=PER_PAGE)
    return render_template("review/queue.html", page=page, f=f, departments=all_departments(),
                           states=queries.QUEUE_STATES, sorts=queries.SORTS, claim_form=ActionForm())


@bp.get("/approvals")
@roles_required(Role.approver)
def approvals():
    """Proposals waiting for approval, with the filter that bulk approval acts on."""
    f = queries.QueueFilter.from_args(request.args)
    page = db.paginate(queries.approval_queue(f, current_user), per_page=PER_PAGE)
    return render_template("review/approvals.html", page=page, f=f, departments=all_departments(),
                           rounds=queries.open_rounds(), form=BulkApproveForm())


@bp.post("/approvals/approve")
@roles_required(Role.approver)
def approve_selection():
    """Approve the ticked proposals one by one (each checked and audited); own proposals are skipped."""
    form = BulkApproveForm()
    ids = [int(i) for i in request.form.getlist("review_id")[:MAX_BULK] if i.isdigit() and len(i) <= 9]
    if not form.validate_on_submit() or not ids:
        flash(_("Tick at least one proposal."), "error")
        return redirect(url_for("review.approvals", **request.args))
    approved, own, failed = [], [], []
    for review in db.session.scalars(db.select(Review).where(Review.id.in_(ids)).order_by(Review.id)):
        if review.proposer_id == current_user.id:
            own.append(review.item.code)
            continue
        try:
            with db.session.begin_nested():
                perform(review, "approve", actor=current_user, reason=form.reason.data)
            approved.append(review.item.code)
        except DomainError as exc:
            failed.append(f"{review.item.code}: {exc.message}")
    db.session.commit()
    _report(approved, own, failed)
    return redirect(url_for("review.approvals", **request.args))


def _report(approved, own, failed) -> None:
    flash(_("%(n)s proposals approved.", n=len(approved)), "success" if approved else "info")
    if own:
        flash(_("Skipped %(n)s proposals you made yourself (four eyes): %(codes)s", n=len(own),
                codes=", ".join(own)), "error")
    for line in failed:
        flash(_("Not approved: %(why)s", why=line), "error")


