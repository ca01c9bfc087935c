"""Item and legal-basis forms: field validation only, never a write."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from registry.items.labels import choices
from registry.items.models import ApplicantType, ApprovalLevel, BasisKind, InstrumentType, IssuerLevel, ItemCategory

#: blank basis rows offered under the existing ones (no script needed to add entries)
BLANK_BASIS_ROWS = 2
#: legal-basis rows one item may have (the form reads no more rows than this plus the blank ones)
MAX_BASES = 30


class ItemForm(FlaskForm):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    department_id = SelectField(_l("Department"), coerce=int, validate_choice=True)
    category = SelectField(_l("Category"), choices=choices(ItemCategory))
    approval_level = SelectField(_l("Approval level"), choices=choices(ApprovalLevel))
    applicant_type = SelectField(_l("Applicants"), choices=choices(ApplicantType))
    conditions = TextAreaField(_l("Conditions"), validators=[Length(max=20000)])
    materials = TextAreaField(_l("Materials"), validators=[Length(max=20000)])
    procedure = TextAreaField(_l("Procedure"), validators=[Length(max=20000)])
    statutory_days = IntegerField(_l("Statutory time limit (working days)"), default=20,
                                  validators=[DataRequired(), NumberRange(min=1, max=3650)])
    committed_days = IntegerField(_l("Committed time limit (working days)"),
                                  validators=[Optional(), NumberRange(min=1, max=3650)])
    fee_charged = BooleanField(_l("A fee is charged"))
    fee_rate = StringField(_l("Fee rate"), validators=[Length(max=200)])
    fee_basis = StringField(_l("Fee basis"), validators=[Length(max=300)])
    licence_document = StringField(_l("Licence document"), validators=[Length(max=200)])
    validity = StringField(_l("Validity"), validators=[Length(max=100)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=20000)])
    version = HiddenField(validators=[Length(max=12)])

    TEXT_FIELDS = ("name", "conditions", "materials", "procedure", "fee_rate", "fee_basis", "licence_document",
                   "validity", "notes")

    def load(self, item) -> None:
        """Fill the form from an item (GET of the edit page)."""
        for key in self.TEXT_FIELDS + ("statutory_days", "committed_days", "fee_charged"):
            getattr(self, key).data = getattr(item, key)
        for key in ("category", "approval_level", "applicant_type"):
            getattr(self, key).data = getattr(item, key).value
        self.code.data = item.code
        self.version.data = item.version

    def item_fields(self) -> dict:
        """The values for items.services.create_item / update_item."""
        out = {k: (getattr(self, k).data or "").strip() for k in self.TEXT_FIELDS}
        out.update(category=ItemCategory(self.category.data), approval_level=ApprovalLevel(self.approval_level.data),
                   applicant_type=ApplicantType(self.applicant_type.data), statutory_days=self.statutory_days.data,
                   committed_days=self.committed_days.data, fee_charged=bool(self.fee_charged.data))
        return out


class BasisForm(Form):
    """One legal-basis row; a row with no title and no instrument is ignored."""

    kind = SelectField(_l("Kind"), choices=choices(BasisKind))
    instrument_type = SelectField(_l("Instrument"), choices=[("", "—")] + choices(InstrumentType))
    issuer_level = SelectField(_l("Issuer level"), choices=[("", "—")] + choices(IssuerLevel))
    title = StringField(_l("Title"), validators=[Length(max=300)])
    issuer = StringField(_l("Issuer"), validators=[Length(max=200)])
    document_number = StringField(_l("Document number"), validators=[Length(max=100)])
    article = StringField(_l("Article"), validators=[Length(max=200)])
    effective_date = DateField(_l("Effective date"), validators=[Optional()])
    remove = BooleanField(_l("Remove"))

    def is_blank(self) -> bool:
        return not self.instrument_type.data and not (self.title.data or "").strip()

    def validate_instrument_type(self, field):
        if not self.is_blank() and not self.remove.data and not field.data:
            raise ValidationError(_l("Choose the kind of instrument."))

    def validate_issuer_level(self, field):
        if self.is_blank() or self.remove.data:
            return
        if self.instrument_type.data and self.instrument_type.data != "none" and not field.data:
            raise ValidationError(_l("Choose the level of government that issued it."))

    def basis(self) -> dict:
        return {
            "kind": BasisKind(self.kind.data), "instrument_type": InstrumentType(self.instrument_type.data),
            "issuer_level": IssuerLevel(self.issuer_level.data) if self.issuer_level.data else None,
            "title": (self.title.data or "").strip(), "issuer": (self.issuer.data or "").strip(),
            "document_number": (self.document_number.data or "").strip(),
            "article": (self.article.data or "").strip(), "effective_date": self.effective_date.data,
        }


class BasesForm(FlaskForm):
    """Every legal basis of an item, edited at once; rows ticked "remove" or left blank are dropped."""

    bases = FieldList(FormField(BasisForm), min_entries=0, max_entries=MAX_BASES + BLANK_BASIS_ROWS)
    version = HiddenField(validators=[Length(max=12)])

    def load(self, item) -> None:
        while len(self.bases):
            self.bases.pop_entry()
        for b in item.bases[:MAX_BASES]:
            self.bases.append_entry({
                "kind": b.kind.value, "instrument_type": b.instrument_type.value,
                "issuer_level": b.issuer_level.value if b.issuer_level else "", "title": b.title,
                "issuer": b.issuer, "document_number": b.document_number, "article": b.article,
                "effective_date": b.effective_date,
            })
        for _ in range(BLANK_BASIS_ROWS):
            self.bases.append_entry({"kind": BasisKind.setting.value if not item.bases else "implementing"})
        self.version.data = item.version

    def validate_bases(self, field):
        kept = [row for row in field if not row.form.remove.data and not row.form.is_blank()]
        if len(kept) > MAX_BASES:
            raise ValidationError(_l("At most %(n)s legal bases.", n=MAX_BASES))

    def cleaned(self) -> list[dict]:
        return [row.form.basis() for row in self.bases if not row.form.remove.data and not row.form.is_blank()]
