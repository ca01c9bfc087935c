"""Chinese full-text search: normalisation, index tokens, query terms and safe highlighting.

The same pure functions feed the index (``indexer.py``) and the queries, so SQLite and
PostgreSQL see identical tokens and return identical results:

- text is NFKC-normalised (full-width letters, digits and punctuation become ASCII),
  case-folded and folded from Traditional to Simplified Chinese character by character
  (OpenCC's table), so 許可 finds 许可; every character that is not a letter or a digit
  becomes a space;
- a word (a run without spaces) is split into script runs: a run of ideographs and other
  syllabic letters (Unicode category ``Lo``) is indexed by its unigrams and bigrams; a run
  of Latin letters and digits (codes, years, document numbers) by its suffixes, cut to
  ``MAX_TOKEN`` characters, so that any substring of it is the prefix of one token: a code
  query is one index range scan instead of the digit bigrams ("00", "01"…) that every item has;
- an item matches when every query segment is a substring of its normalised text. Each
  segment becomes terms (a token that must be present, or a prefix that a token must
  have); the terms select candidates from the index and, where they are not exact, a
  substring check confirms;
- results come by relevance: the items whose name is the query, starts with it, contains
  its first segment, then the rest (``name_rank``), each group by code.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

#: the longest query taken into account (longer ones are cut, never refused)
MAX_QUERY_CHARS = 100
#: the most segments a query may have (further ones are ignored)
MAX_SEGMENTS = 8
#: the longest suffix token of a Latin/digit run (the column holds 16 characters)
MAX_TOKEN = 16


@lru_cache(maxsize=1)
def _t2s() -> dict[int, str]:
    """Traditional → Simplified, one character to one character (OpenCC's t2s table)."""
    import opencc

    conv = opencc.OpenCC("t2s")
    ranges = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00), range(0x20000, 0x2A6E0))
    table = {}
    for rng in ranges:
        chunk = "".join(map(chr, rng))
        converted = conv.convert(chunk)
        if len(converted) != len(chunk):  # never expected: fall back to one call per character
            converted = "".join(c if len(s := conv.convert(c)) != 1 else s for c in chunk)
        table.update({ord(a): b for a, b in zip(chunk, converted, strict=True) if a != b})
    return table


def _keep(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """One source character, normalised: possibly several characters, punctuation as spaces."""
    folded = unicodedata.normalize("NFKC", ch).casefold().translate(_t2s())
    return "".join(c if _keep(c) else " " for c in folded)


def normalise(text: str | None) -> str:
    """NFKC + casefold + Traditional→Simplified; punctuation and symbols become single spaces."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_t2s())
    return " ".join("".join(c if _keep(c) else " " for c in folded).split())


def _is_syllabic(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo"


def runs(word: str) -> list[tuple[bool, str]]:
    """``word`` split into (is_syllabic, run) pieces: ideograph runs and Latin/digit runs."""
    out: list[tuple[bool, str]] = []
    for ch in word:
        kind = _is_syllabic(ch)
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + ch)
        else:
            out.append((kind, ch))
    return out


def tokens(text: str) -> set[str]:
    """The index tokens of the (already normalised) ``text``."""
    out: set[str] = set()
    for word in text.split():
        for syllabic, run in runs(word):
            if syllabic:
                out.update(run)
                out.update(run[i:i + 2] for i in range(len(run) - 1))
            else:
                out.update(run[i:i + MAX_TOKEN] for i in range(len(run)))
    return out


@dataclass(frozen=True)
class Term:
    """One index condition: a token equal to ``value``, or (``prefix``) starting with it."""

    value: str
    prefix: bool = False


def segment_terms(seg: str) -> list[Term]:
    """The index conditions that all hold when ``seg`` is a substring of a document."""
    terms: list[Term] = []
    for syllabic, run in runs(seg):
        if not syllabic:
            terms.append(Term(run[:MAX_TOKEN], prefix=True))
        elif len(run) == 1:
            terms.append(Term(run))
        else:
            terms.extend(Term(run[i:i + 2]) for i in range(len(run) - 1))
    return list(dict.fromkeys(terms))


def is_exact(seg: str) -> bool:
    """Whether the index alone decides that ``seg`` is a substring (no text check needed)."""
    parts = runs(seg)
    if len(parts) != 1:
        return False
    syllabic, run = parts[0]
    return len(run) <= 2 if syllabic else len(run) <= MAX_TOKEN


def name_rank(text: str, name: str) -> int:
    """How well the (normalised) ``name`` matches ``text``: 0 it is ``text``, 1 it starts with it,
    2 it contains it, 3 not at all. Searches sort by this rank, then by code; the index stores
    each token's rank in its item's name (``ItemSearchToken.name_rank``)."""
    if name == text:
        return 0
    if name.startswith(text):
        return 1
    return 2 if text in name else 3


def query_segments(q: str | None) -> list[str]:
    """The normalised segments of a user query (cut to a sane size; duplicates dropped)."""
    return list(_segments((q or "")[:MAX_QUERY_CHARS]))


@lru_cache(maxsize=256)
def _segments(q: str) -> tuple[str, ...]:
    segs: list[str] = []
    for seg in normalise(q).split():
        if seg not in segs:
            segs.append(seg)
    return tuple(segs[:MAX_SEGMENTS])


def highlight(text: str | None, q: str | None) -> Markup:
    """``text`` HTML-escaped, with the parts matching the query wrapped in ``<mark>``."""
    text = text or ""
    segs = _segments((q or "")[:MAX_QUERY_CHARS])
    if not segs or not text:
        return escape(text)
    return _highlight(text, segs)


@lru_cache(maxsize=4096)
def _highlight(text: str, segs: tuple[str, ...]) -> Markup:
    """``highlight`` of a non-empty text (remembered: lists repeat department names and codes)."""
    folded = [_fold(ch) for ch in text]
    flat = "".join(folded)
    if not any(seg in flat for seg in segs):
        return escape(text)
    owner = [idx for idx, f in enumerate(folded) for _ in f]
    marked = [False] * len(text)
    for seg in segs:
        start = flat.find(seg)
        while start >= 0:
            for k in range(start, start + len(seg)):
                marked[owner[k]] = True
            start = flat.find(seg, start + 1)
    parts, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        chunk = escape(text[i:j])
        parts.append(Markup("<mark>%s</mark>") % chunk if marked[i] else chunk)
        i = j
    return Markup("").join(parts)
