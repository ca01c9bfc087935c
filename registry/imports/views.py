"""Import pages: the template download, upload, preview and confirmation (staff: own department)."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.models import Role
from registry.auth.permissions import require, roles_required
from registry.errors_domain import DomainError
from registry.extensions import db
from registry.imports import services
from registry.imports.export import write_template
from registry.imports.forms import ConfirmForm, UploadForm
from registry.imports.parsers import Limits

bp = Blueprint("imports", __name__, url_prefix="/imports")
IMPORTERS = (Role.admin, Role.department_staff)


@bp.get("/items/template.xlsx")
@roles_required(*IMPORTERS, Role.legal_officer)
def template():
    """The empty import template with its help sheet."""
    buf = io.BytesIO()
    write_template(buf)
    buf.seek(0)
    return send_file(buf, as_attachment=True, download_name="licensing-items-template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/items", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def upload():
    """Upload a file; it is kept in the database until confirmed, then previewed."""
    require(services.can_import(current_user))
    form = UploadForm()
    if form.validate_on_submit():
        limits = Limits.from_config(current_app.config)
        data = form.file.data.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            flash(_("The file is larger than %(limit)s MB. Split it into smaller files.",
                    limit=round(limits.max_bytes / 1048576, 1)), "error")
            return render_template("imports/upload.html", form=form), 413
        upload = services.store_upload(data, form.file.data.filename or "upload", actor=current_user)
        db.session.commit()
        return redirect(url_for("imports.preview", upload_id=upload.id))
    return render_template("imports/upload.html", form=form, own_department_only=not current_user.has_role(Role.admin)
                           ), 400 if form.errors else 200


def _plan(upload):
    try:
        return services.plan_import(upload.data, upload.filename, actor=current_user,
                                    limits=Limits.from_config(current_app.config)), None
    except DomainError as exc:
        return None, exc.message


@bp.get("/items/<int:upload_id>")
@roles_required(*IMPORTERS)
def preview(upload_id: int):
    """New / changed / unchanged counts and every error; the confirm button only when clean."""
    upload = services.get_upload(upload_id, actor=current_user) or abort(404)
    plan, refused = _plan(upload)
    return render_template("imports/preview.html", upload=upload, plan=plan, refused=refused,
                           form=ConfirmForm(sha256=upload.sha256)), 422 if refused else 200


@bp.post("/items/<int:upload_id>/confirm")
@roles_required(*IMPORTERS)
def confirm(upload_id: int):
    """Write the previewed file: all rows in one transaction, or nothing."""
    upload = services.get_upload(upload_id, actor=current_user) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit() or form.sha256.data != upload.sha256:
        abort(400)
    plan, refused = _plan(upload)
    if refused or not plan.ok:
        flash(_("The file has errors; nothing was imported."), "error")
        return render_template("imports/preview.html", upload=upload, plan=plan, refused=refused, form=form), 422
    try:
        counts = services.run_import(plan, actor=current_user)
        services.discard_upload(upload)
        db.session.commit()
    except (DomainError, sa.exc.IntegrityError):  # the registry changed between the check and the write
        db.session.rollback()
        flash(_("The registry changed while importing; nothing was imported. Check the file again."), "error")
        return redirect(url_for("imports.preview", upload_id=upload_id))
    flash(_("Imported %(name)s: %(new)s new and %(changed)s changed items, %(unchanged)s unchanged.",
            name=plan.filename, **counts), "success")
    return redirect(url_for("imports.upload"))
