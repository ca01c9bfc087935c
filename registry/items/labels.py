"""Translated labels for the item enums, shared by forms, pages and the history view."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from registry.items.models import (
    ApplicantType,
    ApprovalLevel,
    BasisKind,
    Decision,
    DepartmentKind,
    InstrumentType,
    IssuerLevel,
    ItemCategory,
)

ENUM_LABELS: dict[type[enum.Enum], dict] = {
    ItemCategory: {
        ItemCategory.safety_health: _l("Safety, environment and health"),
        ItemCategory.public_resources: _l("Limited public resources"),
        ItemCategory.qualification: _l("Qualifications"),
        ItemCategory.inspection: _l("Equipment and product inspection"),
        ItemCategory.establishment: _l("Establishment of organisations"),
        ItemCategory.statutory_other: _l("Other matters named by law"),
    },
    ApprovalLevel: {
        ApprovalLevel.state: _l("State level"), ApprovalLevel.province: _l("Province level"), ApprovalLevel.city: _l("City level"),
        ApprovalLevel.district: _l("District level"), ApprovalLevel.township: _l("Township level"),
    },
    ApplicantType: {
        ApplicantType.citizen: _l("Citizens"), ApplicantType.organisation: _l("Organisations"),
        ApplicantType.both: _l("Citizens and organisations"),
    },
    Decision: {Decision.keep: _l("keep"), Decision.abolish: _l("abolish"), Decision.pending: _l("pending alignment")},
    BasisKind: {BasisKind.setting: _l("Setting basis"), BasisKind.implementing: _l("Implementing basis")},
    InstrumentType: {
        InstrumentType.law: _l("Law"),
        InstrumentType.administrative_regulation: _l("Administrative regulation"),
        InstrumentType.state_council_decision: _l("State Council decision"),
        InstrumentType.local_regulation: _l("Local regulation"),
        InstrumentType.provincial_rule: _l("Provincial government rule"),
        InstrumentType.ministry_rule: _l("Ministry rule"),
        InstrumentType.city_rule: _l("City government rule"),
        InstrumentType.normative_document: _l("Normative document"),
        InstrumentType.none: _l("No basis"),
    },
    IssuerLevel: {
        IssuerLevel.national: _l("National"), IssuerLevel.provincial: _l("Provincial"),
        IssuerLevel.city: _l("City"), IssuerLevel.district: _l("This district"),
    },
    DepartmentKind: {
        DepartmentKind.department: _l("District department"), DepartmentKind.township: _l("Township"),
        DepartmentKind.street: _l("Street"),
    },
}


def label(value) -> str:
    """The translated label of an enum member ('' for None, the value itself if unknown)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(ENUM_LABELS.get(type(value), {}).get(value, value.value))
    return str(value)


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field, lazily translated."""
    return [(m.value, ENUM_LABELS[enum_cls][m]) for m in enum_cls]
