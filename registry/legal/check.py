"""The legal-basis check: findings (rule, article, severity, message) plus the suggested decision.

``check(item, as_of)`` runs every rule of ``registry.legal.rules`` on one item; the suggested
decision is the basis table's (``basis_table.suggest``), so the two never disagree. Officers
decide; the check only informs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from registry.items.models import Decision, Item
from registry.legal.basis_table import Suggestion, suggest
from registry.legal.rules import RULES, SEVERITY_LABELS, SEVERITY_ORDER, Rule, Severity, context

DECISION_LABELS = {Decision.keep: _l("keep"), Decision.abolish: _l("abolish"),
                   Decision.pending: _l("pending alignment with higher levels")}


@dataclass(frozen=True)
class Finding:
    rule: Rule
    params: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def article(self) -> str:
        return self.rule.article

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.rule.severity])

    @property
    def message(self) -> str:
        """The message in the current UI language."""
        text = str(self.rule.message)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text

    def __str__(self) -> str:
        return f"[{self.rule.article}] {self.message}"


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    suggestion: Suggestion

    @property
    def worst(self) -> Severity | None:
        return self.findings[0].severity if self.findings else None


def today() -> date:
    return date.today()


def findings(item: Item, as_of: date | None = None) -> list[Finding]:
    """Every rule that applies to ``item`` on ``as_of`` (default today), worst first."""
    ctx = context(item, as_of or today())
    out = []
    for rule in RULES:
        params = rule.test(ctx)
        if params is not None:
            out.append(Finding(rule, params))
    out.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return out


def suggestion(item: Item, as_of: date | None = None) -> Suggestion:
    """The suggested decision (the basis table's), with its article and rule id."""
    return suggest(item, as_of or today())


def check(item: Item, as_of: date | None = None) -> CheckResult:
    as_of = as_of or today()
    return CheckResult(findings(item, as_of), suggestion(item, as_of))


def decision_label(decision: Decision | None) -> str:
    return str(DECISION_LABELS[decision]) if decision else ""


def suggestion_text(s: Suggestion) -> str:
    """E.g. "keep (Art. 14)" in the current UI language."""
    return f"{decision_label(s.decision)} ({s.article})"


def findings_text(found: list[Finding]) -> str:
    """All findings as one cell of an export: one line each."""
    return "\n".join(f"{f.severity_label} · {f}" for f in found)
