"""Arabic normalisation for matching, keeping a map back to the original characters.

Matching must not care whether a reporter wrote آغدام or اغدام, شوشة or شوشه, or put a
tatweel or a diacritic in a name; display must keep exactly what was written. So every
normalised string comes with, for each of its characters, the index of the original
character it came from.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

# Characters dropped for matching: harakat, superscript alef, Quranic marks, tatweel,
# zero-width and bidi controls that copy-paste from web pages leaves behind.
_DROP = set(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u06E1", "\u06ED"]
    + ["\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\uFEFF", "\u061C", "\u00AD"]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + [chr(c) for c in range(0x202A, 0x202F)]
)

# Letter variants folded together. Persian letters appear in names of Iranian and
# Armenian places copied from Persian sources (قلی بیگلو).
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي", "ؤ": "و",
    "ک": "ك", "گ": "ك", "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف",
    "ـ": "",
    # Arabic-Indic and Persian digits to ASCII, so dates parse the same
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    # typographic quotes and dashes to plain ones
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'",
    "–": "-", "—": "-", "\u00A0": " ",
}


# Fast path: every fold above is one character to one or none. str.translate would look up
# every character of the text in a dict (~100 ns each); replacing only the characters that
# occur is a few fast scans of the string, several times quicker on Arabic news.
_TABLE: dict[int, Optional[str]] = {ord(c): None for c in _DROP}
_TABLE.update({ord(k): (v or None) for k, v in _FOLD.items()})
_TABLE.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_REPLACEMENTS = tuple((chr(k), v or "") for k, v in _TABLE.items())
_DROPPED_RE = re.compile("[" + "".join(re.escape(chr(k)) for k, v in _TABLE.items() if v is None) + "]+")
_PRESENTATION = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFF]")


def _has_presentation_forms(text: str) -> bool:
    return _PRESENTATION.search(text) is not None


# Hamza forms, ta marbuta and alef maqsura are in nearly every sentence: always tried. One
# regex pass tells whether any other character to fold or drop (or a presentation form) is there.
_COMMON = tuple((ch, rep) for ch, rep in _REPLACEMENTS if ch in "أإآةىئؤ")
_OTHERS = tuple((ch, rep) for ch, rep in _REPLACEMENTS if ch not in "أإآةىئؤ")
_UNCOMMON_RE = re.compile("[" + "".join(re.escape(ch) for ch, _ in _OTHERS) + "\uFB50-\uFDFF\uFE70-\uFEFF]")


def normalize(text: str) -> str:
    """The matching form of `text`: what is compared with lexicons and the gazetteer."""
    uncommon = _UNCOMMON_RE.search(text) is not None
    if uncommon and _has_presentation_forms(text):
        return _normalize_slow(text)[0]
    for ch, rep in (_REPLACEMENTS if uncommon else _COMMON):
        if ch in text:
            text = text.replace(ch, rep)
    return text


def index_map(text: str) -> list[int]:
    """For each character of normalize(text), the index in `text` it came from."""
    if _has_presentation_forms(text):
        return _normalize_slow(text)[1]
    out: list[int] = []
    kept_from = 0
    for m in _DROPPED_RE.finditer(text):
        out.extend(range(kept_from, m.start()))
        kept_from = m.end()
    out.extend(range(kept_from, len(text)))
    return out


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index in `text` it came from."""
    return normalize(text), index_map(text)


def _normalize_slow(text: str) -> tuple[str, list[int]]:
    """Character by character, for text with presentation forms (NFKC may expand one to two)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        if ch in _FOLD:
            rep = _FOLD[ch]
        elif "\uFB50" <= ch <= "\uFEFF":
            # presentation forms (old PDFs and pages): NFKC gives the base letter
            rep = "".join(_FOLD.get(c, c) for c in unicodedata.normalize("NFKC", ch) if c not in _DROP)
        else:
            rep = ch.lower() if ch.isascii() else ch
        for r in rep:
            out.append(r)
            index.append(i)
    return "".join(out), index
