"""The review page (item, justifications, attachments, suggestion, history) and its actions."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from registry.audit import history
from registry.auth.permissions import owns_item
from registry.errors_domain import DomainError, StaleObject
from registry.extensions import db
from registry.legal import check as legal_check
from registry.review import queries
from registry.review.forms import ActionForm, CommentForm
from registry.review.models import CommentKind
from registry.review.services import add_comment, allowed_actions, perform
from registry.review.views import bp
from registry.review.views._common import int_or_none, load_review, stale_message


def render_case(review, *, action_form=None, failed_action=None, comment_form=None, status=200):
    entries = history.render(history.events_for(queries.history_keys(review)))
    return render_template(
        "review/detail.html", review=review, item=review.item, transitions=allowed_actions(review, current_user),
        suggestion=legal_check.suggestion(review.item, date.today()),
        findings=legal_check.findings(review.item, date.today()), entries=entries, action_form=action_form or ActionForm(),
        failed_action=failed_action, comment_form=comment_form or CommentForm(),
        owns=owns_item(current_user, review.item),
    ), status


@bp.get("/<int:review_id>")
@login_required
def detail(review_id: int):
    """The case: item, legal bases, suggested decision, justifications, comments, history, actions."""
    return render_case(load_review(review_id))


@bp.post("/<int:review_id>/act")
@login_required
def act(review_id: int):
    """Take one workflow action; a refused action is explained, never a 500."""
    review = load_review(review_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form was incomplete; try again."), "error")
        return render_case(review, action_form=form, failed_action=form.action.data, status=422)
    try:
        perform(review, form.action.data, actor=current_user, reason=form.reason.data,
                decision=form.decision.data or None, pending_on=form.pending_on.data,
                expected_version=int_or_none(form.version.data))
        db.session.commit()
    except (StaleObject, StaleDataError):
        db.session.rollback()
        flash(stale_message("reviews", review_id), "error")
        return render_case(load_review(review_id), action_form=form, failed_action=form.action.data, status=409)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return render_case(load_review(review_id), action_form=form, failed_action=form.action.data,
                           status=exc.status)
    flash(_("Done: the review is now %(state)s.", state=_state(review)), "success")
    return redirect(url_for("review.detail", review_id=review_id))


@bp.post("/<int:review_id>/comments")
@login_required
def comment(review_id: int):
    """A comment or question (officers, approvers) or an answer (the department)."""
    review = load_review(review_id)
    form = CommentForm()
    if form.validate_on_submit():
        kind = CommentKind.answer if owns_item(current_user, review.item) else (
            CommentKind.question if form.kind.data == "question" else CommentKind.note)
        try:
            add_comment(review, actor=current_user, body=form.body.data, kind=kind)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return render_case(review, comment_form=form, status=exc.status)
        flash(_("Comment added."), "success")
        return redirect(url_for("review.detail", review_id=review_id))
    return render_case(review, comment_form=form, status=422)


@bp.get("/<int:review_id>/history")
@login_required
def history_page(review_id: int):
    """The whole case's history: who, when, what changed, why."""
    review = load_review(review_id)
    entries = history.render(history.events_for(queries.history_keys(review)))
    return render_template("review/history.html", review=review, entries=entries)


def _state(review) -> str:
    from registry.review.services import state_label

    return state_label(review.state)

