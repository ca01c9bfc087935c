"""The department's side of a review: justification with legal bases, attachments."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from registry.auth.permissions import owns_item, require
from registry.errors_domain import DomainError, StaleObject
from registry.extensions import db
from registry.items.services import update_item
from registry.review.attachments import add_attachment, max_bytes
from registry.review.forms import AttachmentForm, JustificationForm
from registry.review.models import Attachment, Justification
from registry.review.services import perform, save_justification
from registry.review.views import bp
from registry.review.views._common import int_or_none, load_review, stale_message


@bp.route("/<int:review_id>/justification", methods=["GET", "POST"])
@login_required
def justification(review_id: int):
    """Edit the reasons and the item's legal bases; optionally submit in the same step."""
    review = load_review(review_id)
    require(owns_item(current_user, review.item))
    form = JustificationForm()
    if not form.is_submitted():
        form.load(review.item)
        latest = review.justifications[-1] if review.justifications else None
        form.reasons.data = latest.reasons if latest else ""
        form.review_version.data = review.version
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            update_item(review.item, actor=current_user, bases=form.cleaned(), expected_version=int_or_none(form.version.data))
            save_justification(review, actor=current_user, reasons=form.reasons.data or "",
                               expected_version=int_or_none(form.review_version.data))
            if form.save_and_submit.data:
                perform(review, "submit", actor=current_user)
            db.session.commit()
        except (StaleObject, StaleDataError):
            db.session.rollback()
            flash(stale_message("reviews", review_id), "error")
            status = 409
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_("Submitted.") if form.save_and_submit.data else _("Justification saved."), "success")
            return redirect(url_for("review.detail", review_id=review_id))
        review = load_review(review_id)
    return render_template("review/justification.html", review=review, form=form, upload=AttachmentForm(),
                           max_mb=round(max_bytes() / 1024 / 1024, 1)), status


@bp.post("/<int:review_id>/attachments")
@login_required
def upload(review_id: int):
    """Attach a document; its type is checked from the content."""
    review = load_review(review_id)
    require(owns_item(current_user, review.item))
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.file.errors) or _("Choose a file."), "error")
        return redirect(url_for("review.justification", review_id=review_id))
    data = form.file.data.stream.read(max_bytes() + 1)
    try:
        att = add_attachment(review, actor=current_user, filename=form.file.data.filename or "", data=data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("%(name)s attached.", name=att.filename), "success")
    return redirect(url_for("review.justification", review_id=review_id))


@bp.get("/<int:review_id>/attachments/<int:attachment_id>")
@login_required
def download(review_id: int, attachment_id: int):
    """Download a document: always as an attachment, never sniffed by the browser."""
    review = load_review(review_id)
    att = db.session.get(Attachment, attachment_id)
    if att is None or db.session.get(Justification, att.justification_id).review_id != review.id:
        abort(404)
    response = send_file(io.BytesIO(att.data), mimetype=att.media_type, as_attachment=True,
                         download_name=att.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
