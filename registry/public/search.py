"""Chinese full-text search: normalisation, unigram/bigram tokens and safe highlighting.

The same pure functions feed the index (``indexer.py``) and the queries, so SQLite and
PostgreSQL see identical tokens and return identical results:

- text is NFKC-normalised (full-width letters, digits and punctuation become ASCII) and
  case-folded; every character that is not a letter or a digit becomes a space;
- the index holds, per item, every unigram and bigram of each word (a run without spaces);
- a query is split into segments; an item matches when every segment is a substring of
  its normalised text. A one-character segment is looked up as a unigram, a longer one as
  the set of its bigrams (all must be present); the substring check then confirms.
"""
from __future__ import annotations

import unicodedata

from markupsafe import Markup, escape

#: the longest query taken into account (longer ones are cut, never refused)
MAX_QUERY_CHARS = 100
#: the most segments a query may have (further ones are ignored)
MAX_SEGMENTS = 8


def _keep(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _fold(ch: str) -> str:
    """One source character, normalised: possibly several characters, punctuation as spaces."""
    folded = unicodedata.normalize("NFKC", ch).casefold()
    return "".join(c if _keep(c) else " " for c in folded)


def normalise(text: str | None) -> str:
    """NFKC + casefold; punctuation and symbols become single spaces; trimmed."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(c if _keep(c) else " " for c in folded).split())


def tokens(text: str) -> set[str]:
    """Every unigram and bigram of each word of the (already normalised) ``text``."""
    out: set[str] = set()
    for word in text.split():
        out.update(word)
        out.update(word[i:i + 2] for i in range(len(word) - 1))
    return out


def query_segments(q: str | None) -> list[str]:
    """The normalised segments of a user query (cut to a sane size; duplicates dropped)."""
    segs: list[str] = []
    for seg in normalise((q or "")[:MAX_QUERY_CHARS]).split():
        if seg not in segs:
            segs.append(seg)
    return segs[:MAX_SEGMENTS]


def segment_tokens(seg: str) -> set[str]:
    """The index tokens that must all be present for ``seg`` to be a substring."""
    if len(seg) == 1:
        return {seg}
    return {seg[i:i + 2] for i in range(len(seg) - 1)}


def query_tokens(segs: list[str]) -> list[str]:
    out: set[str] = set()
    for seg in segs:
        out |= segment_tokens(seg)
    return sorted(out)


def highlight(text: str | None, q: str | None) -> Markup:
    """``text`` HTML-escaped, with the parts matching the query wrapped in ``<mark>``."""
    text = text or ""
    segs = query_segments(q)
    if not segs or not text:
        return escape(text)
    folded, owner = [], []
    for idx, ch in enumerate(text):
        f = _fold(ch)
        folded.append(f)
        owner.extend([idx] * len(f))
    flat = "".join(folded)
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
