"""Article references of the Administrative License Law, translated for display."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ARTICLE_LABELS = {
    "Art. 12(6)": _l("Art. 12(6)"),
    "Art. 13": _l("Art. 13"),
    "Art. 14": _l("Art. 14"),
    "Art. 14(2)": _l("Art. 14(2)"),
    "Art. 15": _l("Art. 15"),
    "Art. 15(1)": _l("Art. 15(1)"),
    "Art. 15(2)": _l("Art. 15(2)"),
    "Art. 16": _l("Art. 16"),
    "Art. 17": _l("Art. 17"),
    "Art. 42": _l("Art. 42"),
    "Art. 58": _l("Art. 58"),
    "Art. 83": _l("Art. 83"),
    "Arts. 14–15": _l("Arts. 14–15"),
    "Arts. 14–17": _l("Arts. 14–17"),
}


def article_label(article: str) -> str:
    """The article in the current UI language (unknown references are shown as they are)."""
    label = ARTICLE_LABELS.get(article)
    return str(label) if label is not None else article
