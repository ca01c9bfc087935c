"""The legal-basis table of DESIGN.md: which instruments may set a licence (Arts. 14–17).

``suggest`` reads an item's setting bases and returns a suggested decision with the
article that justifies it. Officers decide; this only suggests.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.items.models import ApprovalLevel, Decision, InstrumentType, IssuerLevel, Item, LegalBasis

#: instruments that may set a licence permanently (Art. 14 and Art. 15(1))
SETTING_INSTRUMENTS = {
    InstrumentType.law: "Art. 14",
    InstrumentType.administrative_regulation: "Art. 14",
    InstrumentType.state_council_decision: "Art. 14",
    InstrumentType.local_regulation: "Art. 15",
}
STRENGTH = list(InstrumentType)  # strongest first
HIGHER_LEVELS = {ApprovalLevel.state, ApprovalLevel.province, ApprovalLevel.city}


@dataclass(frozen=True)
class Suggestion:
    decision: Decision
    article: str
    #: a stable id of the row of the table that applied
    rule: str
    basis: LegalBasis | None = None


def provincial_rule_expires(basis: LegalBasis) -> date | None:
    """A provincial government rule may set a licence for one year only (Art. 15)."""
    if basis.effective_date is None:
        return None
    d = basis.effective_date
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def strongest_setting_basis(item: Item) -> LegalBasis | None:
    bases = item.setting_bases
    if not bases:
        return None
    return min(bases, key=lambda b: STRENGTH.index(b.instrument_type))


def suggest(item: Item, as_of: date) -> Suggestion:
    """The decision the basis table suggests for ``item`` on ``as_of``."""
    basis = strongest_setting_basis(item)
    kind = basis.instrument_type if basis else InstrumentType.none
    if kind in SETTING_INSTRUMENTS or kind is InstrumentType.provincial_rule:
        if kind is InstrumentType.provincial_rule:
            expires = provincial_rule_expires(basis)
            if expires is None or as_of >= expires:
                return Suggestion(Decision.pending, "Art. 15", "provincial_rule_expired", basis)
            article, rule = "Art. 15", "provincial_rule_temporary"
        else:
            article, rule = SETTING_INSTRUMENTS[kind], f"set_by_{kind.value}"
        if item.approval_level in HIGHER_LEVELS:
            return Suggestion(Decision.pending, article, "implemented_for_higher_level", basis)
        return Suggestion(Decision.keep, article, rule, basis)
    if kind in (InstrumentType.ministry_rule, InstrumentType.city_rule):
        return Suggestion(Decision.pending, "Arts. 14–17", f"set_by_{kind.value}", basis)
    if kind is InstrumentType.normative_document and basis.issuer_level is not IssuerLevel.district:
        return Suggestion(Decision.pending, "Arts. 14–17", "higher_normative_document", basis)
    if kind is InstrumentType.normative_document:
        return Suggestion(Decision.abolish, "Art. 17", "own_normative_document", basis)
    return Suggestion(Decision.abolish, "Art. 17", "no_basis", basis)
