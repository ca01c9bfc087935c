"""Forms of the alignment pages (field validation only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from registry.alignment.models import ListLevel

LEVEL_LABELS = {ListLevel.state_council: _l("State Council"), ListLevel.ministry: _l("Ministry"),
                ListLevel.province: _l("Province"), ListLevel.city: _l("City")}


class ListUploadForm(FlaskForm):
    file = FileField(_l("Higher-level list (XLSX or CSV)"), validators=[FileRequired(_l("Choose a file to upload."))])
    source_list = StringField(_l("List name"), validators=[DataRequired(), Length(max=200)])
    list_version = StringField(_l("Version"), validators=[DataRequired(), Length(max=40)])
    level = SelectField(_l("Level"), choices=[SelectChoice(lv.value, label) for lv, label in LEVEL_LABELS.items()],
                        default=ListLevel.province.value)


class ConfirmMatchForm(FlaskForm):
    higher_level_item_id = IntegerField(validators=[DataRequired()])
    review_version = IntegerField()
