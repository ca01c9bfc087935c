"""Matching local items to higher-level list items: by code first, then by normalised name.

The name score is difflib's ``SequenceMatcher.ratio`` of the two normalised names:
2 × (characters in matching blocks) / (total characters of both), from 0 (nothing shared) to
1 (identical). Names are normalised first (NFKC, no punctuation or spaces, no province /
city / district prefix, no generic suffix such as 审批 or 核发), so "江东省建设用地审批（农用地转用）"
and "建设用地审批（农用地转用）" compare as equal.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from registry.alignment.models import HigherLevelItem, MatchMethod

#: generic endings that say what kind of act, not which matter (stripped repeatedly)
SUFFIXES = ("审批", "核发", "许可", "设立", "登记", "审核", "核准", "审查", "初审", "认定", "证")
#: a leading place name: a province, then a city, then a district or county (each 2–4 characters)
PREFIX_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,3}?市)?(?:[\u4e00-\u9fff]{2,3}?(?:区|县))?")
PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)
NAME_THRESHOLD = 0.7
MAX_NAME_CANDIDATES = 3


def normalise(name: str) -> str:
    text = PUNCT_RE.sub("", unicodedata.normalize("NFKC", name or ""))
    stripped = PREFIX_RE.sub("", text, count=1)
    if len(stripped) >= 2:
        text = stripped
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)]
                changed = True
    return text


def name_score(a: str, b: str) -> float:
    """Similarity of two normalised names, 0..1 (difflib ratio)."""
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class Candidate:
    higher: HigherLevelItem
    method: MatchMethod
    score: float
    #: normalised names compared (for the "why")
    local_key: str = ""
    higher_key: str = ""


class Matcher:
    """Candidates for local items among a set of higher-level rows (names normalised once)."""

    def __init__(self, rows: list[HigherLevelItem]):
        self.rows = rows
        self.by_code: dict[str, list[HigherLevelItem]] = {}
        for r in rows:
            self.by_code.setdefault(r.code.strip().upper(), []).append(r)
        self.keys = [(r, normalise(r.name)) for r in rows]

    def candidates(self, code: str, name: str) -> list[Candidate]:
        same_code = self.by_code.get((code or "").strip().upper(), [])
        if same_code:
            return [Candidate(r, MatchMethod.code, 1.0) for r in same_code]
        key = normalise(name)
        scored = [Candidate(r, MatchMethod.name, round(name_score(key, k), 3), key, k) for r, k in self.keys]
        scored = [c for c in scored if c.score >= NAME_THRESHOLD]
        scored.sort(key=lambda c: (-c.score, c.higher.code))
        return scored[:MAX_NAME_CANDIDATES]
