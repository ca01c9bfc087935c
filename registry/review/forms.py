"""Review forms: justification with legal bases, workflow actions, comments, attachments, bulk approval."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from registry.items.forms import BasesForm
from registry.items.labels import choices
from registry.items.models import Decision


class JustificationForm(BasesForm):
    """The department's reasons and the item's legal bases, saved together."""

    reasons = TextAreaField(_l("Reasons for keeping this licence"), validators=[Length(max=20000)])
    review_version = HiddenField(validators=[Length(max=12)])
    save = SubmitField(_l("Save"))
    save_and_submit = SubmitField(_l("Save and submit"))


class ActionForm(FlaskForm):
    """One workflow action; which fields matter comes from the transition table."""

    action = HiddenField(validators=[DataRequired(), Length(max=20)])
    version = HiddenField(validators=[Length(max=12)])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000)])
    decision = SelectField(_l("Decision"), choices=[("", "—")] + choices(Decision), validators=[Optional()])
    pending_on = StringField(_l("Waits on (higher-level body or list)"), validators=[Length(max=300)])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])
    kind = SelectField(_l("Kind"), choices=[("note", _l("Note")), ("question", _l("Question"))],
                       validators=[Optional()])


class AttachmentForm(FlaskForm):
    file = FileField(_l("Document (PDF, image, Word, Excel or OpenDocument)"),
                     validators=[FileRequired(_l("Choose a file."))])


class BulkApproveForm(FlaskForm):
    """The ids of the proposals shown under the current filter, approved one by one."""

    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=5000)])
