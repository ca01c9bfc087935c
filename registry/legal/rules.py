"""The rules of the legal-basis check: one table row per rule (id, article, severity, message, test).

Each test reads an item's structured fields and legal bases and returns the message's
parameters when the rule applies, else ``None``. Messages are English msgids, translated
into the UI language when shown. Articles follow the 2003 text of the Administrative
License Law (行政许可法).
"""
from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from registry.items.models import ApprovalLevel, Decision, IssuerLevel, Item, ItemCategory, LegalBasis
from registry.items.models import InstrumentType as T
from registry.legal.basis_table import provincial_rule_expires, strongest_setting_basis


class Severity(enum.Enum):
    error = "error"  # the law forbids it as it stands
    warning = "warning"  # needs the officer's attention or the higher level's answer
    info = "info"  # a point to note


SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
SEVERITY_LABELS = {Severity.error: _l("Contrary to the law"), Severity.warning: _l("Needs attention"),
                   Severity.info: _l("For information")}
#: the cut-off of Art. 83: provisions that did not conform lapsed on this day
LAW_IN_FORCE = date(2004, 7, 1)
LOCAL_INSTRUMENTS = {T.local_regulation, T.provincial_rule}
STATUTES = {T.law, T.administrative_regulation}
CANNOT_SET = {T.ministry_rule, T.city_rule, T.normative_document}
OUT_OF_AREA = re.compile(r"本(地|市|省|区|县)(户籍|企业|生产|产品)|外地(企业|产品|商品)|限本地|限于本地")
NOT_A_LICENCE = re.compile(r"备案|年检|年审")
LEVEL_LABELS = {ApprovalLevel.state: _l("state"), ApprovalLevel.province: _l("province"),
                ApprovalLevel.city: _l("city")}


@dataclass(frozen=True)
class Context:
    item: Item
    as_of: date
    basis: LegalBasis | None

    @property
    def kind(self) -> T:
        return self.basis.instrument_type if self.basis else T.none


@dataclass(frozen=True)
class Rule:
    id: str
    article: str
    severity: Severity
    message: object  # a lazy msgid with %(name)s placeholders
    test: Callable[[Context], dict | None]
    #: the decision this finding points to, if any
    points_to: Decision | None = None


def _when(condition: bool, **params) -> dict | None:
    return params if condition else None


def _title(ctx: Context) -> str:
    return ctx.basis.title if ctx.basis and ctx.basis.title else "—"


def _provincial(ctx: Context, expired: bool) -> dict | None:
    if ctx.kind is not T.provincial_rule:
        return None
    expires = provincial_rule_expires(ctx.basis)
    is_expired = expires is None or ctx.as_of >= expires
    return _when(is_expired == expired, title=_title(ctx), expires=expires.isoformat() if expires else "?")


def _lower_implementing(ctx: Context) -> dict | None:
    low = [b for b in ctx.item.implementing_bases
           if b.instrument_type in CANNOT_SET and b.issuer_level in (IssuerLevel.city, IssuerLevel.district)]
    return _when(bool(low) and ctx.kind not in CANNOT_SET | {T.none}, title=low[0].title if low else "")


RULES: tuple[Rule, ...] = (
    Rule("art17_no_basis", "Art. 17", Severity.error,
         _l("No instrument sets this licence: without a setting basis it may not exist."),
         lambda c: _when(c.kind is T.none), Decision.abolish),
    Rule("art17_own_normative_document", "Art. 17", Severity.error,
         _l("The setting basis %(title)s is this government's own normative document, which may not set a licence."),
         lambda c: _when(c.kind is T.normative_document and c.basis.issuer_level is IssuerLevel.district,
                         title=_title(c)), Decision.abolish),
    Rule("art17_ministry_rule", "Arts. 14–17", Severity.warning,
         _l("The setting basis %(title)s is a ministry rule, which may not set a licence; only the higher level can "
            "confirm or withdraw it."),
         lambda c: _when(c.kind is T.ministry_rule, title=_title(c)), Decision.pending),
    Rule("art17_city_rule", "Arts. 14–17", Severity.warning,
         _l("The setting basis %(title)s is a city government rule, which may not set a licence; the city must "
            "confirm or withdraw it."),
         lambda c: _when(c.kind is T.city_rule, title=_title(c)), Decision.pending),
    Rule("art17_higher_normative_document", "Arts. 14–17", Severity.warning,
         _l("The setting basis %(title)s is a higher level's normative document, which may not set a licence; only "
            "that level can confirm or withdraw it."),
         lambda c: _when(c.kind is T.normative_document and c.basis.issuer_level is not IssuerLevel.district,
                         title=_title(c)), Decision.pending),
    Rule("art83_lapsed", "Art. 83", Severity.error,
         _l("%(title)s took effect before 1 July 2004 and may not set a licence: as a setting basis it lapsed on "
            "that day."),
         lambda c: _when(c.kind in CANNOT_SET and c.basis.effective_date is not None
                         and c.basis.effective_date < LAW_IN_FORCE <= c.as_of, title=_title(c))),
    Rule("art15_provincial_rule_temporary", "Art. 15", Severity.warning,
         _l("Set by the provincial government rule %(title)s: a temporary licence for one year only, until "
            "%(expires)s; if still needed, a local regulation must be requested."),
         lambda c: _provincial(c, expired=False), Decision.keep),
    Rule("art15_provincial_rule_expired", "Art. 15", Severity.error,
         _l("The provincial government rule %(title)s could set this licence for one year only; that year ended on "
            "%(expires)s (or its effective date is unknown)."),
         lambda c: _provincial(c, expired=True), Decision.pending),
    Rule("art14_state_council_decision", "Art. 14(2)", Severity.info,
         _l("Set by a State Council decision: the State Council should raise it to a law or an administrative "
            "regulation."),
         lambda c: _when(c.kind is T.state_council_decision)),
    Rule("art15_local_regulation", "Art. 15(1)", Severity.info,
         _l("Set by a local regulation: valid only while no law or administrative regulation covers the matter."),
         lambda c: _when(c.kind is T.local_regulation)),
    Rule("art15_2_nationwide_qualification", "Art. 15(2)", Severity.warning,
         _l("A local instrument may not set a qualification that should be uniform nationwide."),
         lambda c: _when(c.kind in LOCAL_INSTRUMENTS and c.item.category is ItemCategory.qualification)),
    Rule("art15_2_registration", "Art. 15(2)", Severity.warning,
         _l("A local instrument may not set the registration of enterprises or organisations, or a licence that "
            "must precede it."),
         lambda c: _when(c.kind in LOCAL_INSTRUMENTS and c.item.category is ItemCategory.establishment)),
    Rule("art15_2_out_of_area", "Art. 15(2)", Severity.warning,
         _l("The conditions seem to restrict firms or goods from other areas (“%(words)s”), which a local "
            "instrument may not do."),
         lambda c: (lambda m: _when(bool(m), words=m.group(0) if m else ""))(OUT_OF_AREA.search(c.item.conditions or ""))),
    Rule("implemented_for_higher_level", "Arts. 14–15", Severity.warning,
         _l("The approval level is %(level)s: the basis gives this licence to a higher level, so the district must "
            "align with it."),
         lambda c: _when(c.kind in STATUTES | LOCAL_INSTRUMENTS | {T.state_council_decision}
                         and c.item.approval_level in (ApprovalLevel.state, ApprovalLevel.province, ApprovalLevel.city),
                         level=LEVEL_LABELS.get(c.item.approval_level, "")), Decision.pending),
    Rule("art12_other_matter_needs_statute", "Art. 12(6)", Severity.warning,
         _l("Filed under “other matters”: Art. 12(6) covers only matters a law or administrative regulation names."),
         lambda c: _when(c.item.category is ItemCategory.statutory_other and c.kind not in STATUTES)),
    Rule("art13_may_need_no_licence", "Art. 13", Severity.info,
         _l("The name suggests a filing or an annual check (“%(words)s”): consider whether a licence is needed at "
            "all (Art. 13)."),
         lambda c: (lambda m: _when(bool(m), words=m.group(0) if m else ""))(NOT_A_LICENCE.search(c.item.name or ""))),
    Rule("art16_lower_implementing_basis", "Art. 16", Severity.info,
         _l("The implementing document %(title)s is a city or district document: check that it only details the "
            "licence and adds no licence or condition beyond the higher law."),
         _lower_implementing),
    Rule("art42_time_limit", "Art. 42", Severity.warning,
         _l("The statutory time limit is %(days)s working days; without a law or regulation allowing more, a "
            "decision is due in 20 (30 with the head's approval)."),
         lambda c: _when(c.item.statutory_days > 20 and c.kind not in STATUTES, days=c.item.statutory_days)),
    Rule("art58_fee_without_basis", "Art. 58", Severity.error,
         _l("A fee is charged but no fee basis is given; fees need a law or administrative regulation."),
         lambda c: _when(c.item.fee_charged and not (c.item.fee_basis or "").strip())),
    Rule("art58_fee_basis_not_statute", "Art. 58", Severity.warning,
         _l("The fee basis “%(basis)s” does not look like a law or administrative regulation."),
         lambda c: _when(c.item.fee_charged and bool((c.item.fee_basis or "").strip())
                         and not re.search(r"(?<!办)法|条例", c.item.fee_basis), basis=c.item.fee_basis)),
)

BY_ID = {r.id: r for r in RULES}


def context(item: Item, as_of: date) -> Context:
    return Context(item=item, as_of=as_of, basis=strongest_setting_basis(item))
