"""Round administration forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange


class RoundForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=1949, max=2200)])


class AddItemsForm(FlaskForm):
    scope = RadioField(_l("Which items"), choices=[("all", _l("All items")), ("departments", _l("Items of the chosen departments"))],
                       default="all")
    departments = SelectMultipleField(_l("Departments"), coerce=int)


class ConfirmForm(FlaskForm):
    """An empty form: only the CSRF token (close, publish)."""
