"""Translatable labels for the enum values the public sees.

Decisions and categories are worded for the public (with the article of the law); the other
enums share the workspace's tables."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from registry.items.labels import ENUM_LABELS
from registry.items.models import ApplicantType, ApprovalLevel, Decision, InstrumentType, ItemCategory

DECISION = {
    Decision.keep: _l("Kept"),
    Decision.abolish: _l("Abolished"),
    Decision.pending: _l("Pending alignment"),
}
CATEGORY = {
    ItemCategory.safety_health: _l("Safety, environment and health (Art. 12(1))"),
    ItemCategory.public_resources: _l("Limited resources and public-interest entry (Art. 12(2))"),
    ItemCategory.qualification: _l("Qualifications (Art. 12(3))"),
    ItemCategory.inspection: _l("Equipment and product inspection (Art. 12(4))"),
    ItemCategory.establishment: _l("Establishment of organisations (Art. 12(5))"),
    ItemCategory.statutory_other: _l("Other matters named by law (Art. 12(6))"),
}
#: the same words as the workspace's (one table each, in registry/items/labels.py)
APPROVAL_LEVEL = ENUM_LABELS[ApprovalLevel]
APPLICANT = ENUM_LABELS[ApplicantType]
INSTRUMENT = ENUM_LABELS[InstrumentType]


_ALL = {"decision": DECISION, "category": CATEGORY, "approval_level": APPROVAL_LEVEL,
        "applicant": APPLICANT, "instrument": INSTRUMENT}
#: locale → the labels translated: catalogues never change while the process runs
_resolved: dict[str, dict] = {}


def all_labels() -> dict:
    """For templates: ``labels.decision[item.decision]`` etc., translated once per locale."""
    key = str(get_locale())
    found = _resolved.get(key)
    if found is None:
        found = _resolved[key] = {name: {k: str(v) for k, v in table.items()} for name, table in _ALL.items()}
    return found
