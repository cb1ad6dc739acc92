"""One clitic policy for names and words: which prefixes may be stripped from a word.

Arabic glues conjunctions, prepositions and the article to the word (وترتر، بالصواريخ،
للقصف). The clitics and their roles are data (geo/data/clitics.csv); the grammar that
combines them is here: an optional conjunction, then an optional preposition, article, or
preposition and article. Every layer that strips clitics (the tokeniser's matching, the
resolver's cue words, the GeoNames look-up, the sound keys) reads this module.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from geo.arabic import normalize

CLITICS_CSV = Path(__file__).resolve().parent / "data" / "clitics.csv"
_ROLES = ("and", "then", "in", "to", "the", "to_the")


class CliticsError(ValueError):
    pass


def _load(path: Path = CLITICS_CSV) -> dict[str, str]:
    """role -> clitic (normalised); every role exactly once, errors name file and line."""
    lines = [(n, l) for n, l in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
             if l.strip() and not l.lstrip().startswith("#")]
    rows = list(csv.reader(l for _, l in lines))
    if not rows or rows[0][:2] != ["clitic", "role"]:
        raise CliticsError(f"{path}:1: the header must begin clitic,role")
    out: dict[str, str] = {}
    for (line, _), row in zip(lines[1:], rows[1:]):
        clitic, role = (row + ["", ""])[:2]
        clitic = normalize(clitic.strip())
        if role not in _ROLES:
            raise CliticsError(f"{path}:{line}: column 'role': unknown role {role!r} "
                                f"(one of {', '.join(_ROLES)})")
        if not clitic or role in out:
            raise CliticsError(f"{path}:{line}: column 'clitic': empty, or role {role!r} twice")
        out[role] = clitic
    missing = [r for r in _ROLES if r not in out]
    if missing:
        raise CliticsError(f"{path}: no row for role(s) {', '.join(missing)}")
    return out


_CLITIC = _load()
AND = _CLITIC["and"]            # also joins the items of a list of names
ARTICLE = _CLITIC["the"]
IN = _CLITIC["in"]              # makes the name after it a location
TO_THE = _CLITIC["to_the"]
CONJUNCTIONS = (AND, _CLITIC["then"])

# every prefix a word may carry, "" first and the shortest first (least stripping wins ties)
PREFIXES: tuple[str, ...] = tuple(sorted(dict.fromkeys(
    c + p for c in ("",) + CONJUNCTIONS
    for p in ("", IN, _CLITIC["to"], ARTICLE, IN + ARTICLE, TO_THE)), key=len))
_MIN_REST = 2       # a clitic split leaves at least two letters


@lru_cache(maxsize=1 << 18)
def stems(word: str) -> tuple[tuple[int, str], ...]:
    """(prefix length, remainder) for each clitic split of `word`, least stripping first."""
    return tuple((len(p), word[len(p):]) for p in PREFIXES
                 if word.startswith(p) and len(word) - len(p) >= _MIN_REST)


def readings(word: str) -> tuple[str, ...]:
    """The word and what it reads as without its clitics, least stripping first."""
    return tuple(rest for _, rest in stems(word))


def prefix_pattern() -> str:
    """A regular expression for an optional clitic prefix: the same grammar as PREFIXES, a
    conjunction as one character class (the regex is tried at every position of a sentence)."""
    rest = sorted({p for p in PREFIXES if p and p[0] not in CONJUNCTIONS}, key=len, reverse=True)
    return ("[" + "".join(CONJUNCTIONS) + "]?(?:" + "|".join(map(re.escape, rest)) + ")?")
