"""Loading the analyst-editable data files of extract/data/ (CSV, '#' lines are comments).

Every entry is normalised exactly like article text, so an analyst can type a word with or
without hamza, ta marbuta or diacritics.
"""
from __future__ import annotations

import csv
from typing import Optional
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.arabic import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"


class LexiconError(ValueError):
    pass


def read_rows(name: str, required: tuple[str, ...], data_dir: Path = DATA_DIR,
              kinds: Optional[tuple[str, ...]] = None) -> list[dict]:
    """Rows of data_dir/name as dicts; comment lines dropped; missing columns named. With
    `kinds`, a row whose `kind` is not one of them raises an error naming file and line (a
    typo must not be silently ignored). Each row carries its line number under "_line"."""
    path = data_dir / name
    numbered = [(n, l) for n, l in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
                if l.strip() and not l.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(l for _, l in numbered)))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise LexiconError(f"{path}: missing column(s) {', '.join(missing)}")
    out = []
    for k, row in enumerate(reader, 1):
        line = numbered[k][0]
        clean = {key: (v or "").strip() for key, v in row.items() if key}
        if kinds is not None and clean.get("kind", "") not in kinds:
            raise LexiconError(f"{path}:{line}: column 'kind': unknown kind {clean.get('kind', '')!r} "
                               f"(one of {', '.join(kinds)})")
        clean["_line"] = str(line)
        out.append(clean)
    return out


SPEECH_KINDS = ("say", "continue", "deny", "opening", "according", "false")
DATE_KINDS = ("month", "weekday", "relative", "duration", "future", "past")
# words that shape an expression but open none: read by kind, not looked up as phrases
DATE_MARKER_KINDS = ("day_of", "year_word", "day_noun")
CONTEXT_KINDS = ("locator", "history", "place_noun", "name_prefix", "not_name", "locative",
                 "clause", "list_opener", "ends_name", "ends_item", "not_name_ending",
                 "pronoun_ending", "caption", "address_in", "ago", "year_unit")
STATEMENT_KINDS = ("going_on", "that", "no_subject", "relay", "voice")
PAGE_KINDS = ("teaser", "teaser_more", "dangling")


@dataclass(frozen=True)
class Trigger:
    words: tuple[str, ...]       # normalised; a trailing * means "any ending"
    event_type: str              # a codebook code; "-" a phrase that is not an event; "!" a negator;
                                 # "~" a peaceful act (a visit, a meeting)


@lru_cache(maxsize=None)
def triggers(data_dir: Path = DATA_DIR) -> tuple[Trigger, ...]:
    from extract.model import EVENT_TYPES
    out = []
    for i, row in enumerate(read_rows("triggers.csv", ("trigger", "event_type"), data_dir), 2):
        etype = row["event_type"]
        if etype not in ("-", "!", "~") and etype not in EVENT_TYPES:
            raise LexiconError(f"{data_dir / 'triggers.csv'}: unknown event_type {etype!r} for {row['trigger']!r}")
        out.append(Trigger(tuple(normalize(row["trigger"]).split()), etype))
    return tuple(out)


@dataclass(frozen=True)
class ClaimantPattern:
    words: tuple[str, ...]       # normalised; ".." = up to four other words
    code: str                    # "" for generic references ("the ministry")
    role: str                    # source | subject | generic


@lru_cache(maxsize=None)
def claimant_patterns(data_dir: Path = DATA_DIR) -> tuple[ClaimantPattern, ...]:
    from extract.model import CLAIMANTS
    rows = read_rows("claimants.csv", ("pattern", "code", "role"), data_dir)
    groups = {r["pattern"][1:]: r["code"].split("|") for r in rows if r["pattern"].startswith("@")}
    out: list[ClaimantPattern] = []
    for row in rows:
        if row["pattern"].startswith("@"):
            continue
        if row["role"] not in ("source", "subject", "generic"):
            raise LexiconError(f"claimants.csv: unknown role {row['role']!r} for {row['pattern']!r}")
        if row["code"] and row["code"] not in CLAIMANTS:
            raise LexiconError(f"claimants.csv: unknown claimant code {row['code']!r} for {row['pattern']!r}")
        for text in _expand(row["pattern"], groups):
            out.append(ClaimantPattern(tuple(normalize(text).split()), row["code"], row["role"]))
    return tuple(out)


def _expand(pattern: str, groups: dict[str, list[str]]) -> list[str]:
    """'وزارة الدفاع {AZ}' -> one pattern per adjective form."""
    start = pattern.find("{")
    if start < 0:
        return [pattern]
    end = pattern.index("}", start)
    name = pattern[start + 1:end]
    if name not in groups:
        raise LexiconError(f"claimants.csv: unknown group {{{name}}} in {pattern!r}")
    return [p for form in groups[name] for p in _expand(pattern[:start] + form + pattern[end + 1:], groups)]


@lru_cache(maxsize=None)
def speech_verbs(data_dir: Path = DATA_DIR) -> dict[tuple[str, ...], str]:
    """normalised verb (as words) -> kind (say, continue, deny, according)."""
    return {tuple(normalize(r["verb"]).split()): r["kind"]
            for r in read_rows("speech_verbs.csv", ("verb", "kind"), data_dir, SPEECH_KINDS)}


@lru_cache(maxsize=None)
def statement_words(data_dir: Path = DATA_DIR) -> dict[str, frozenset[str]]:
    """kind -> normalised words (statement_words.csv): what opens a sentence that goes on
    (كما، ثم، بدوره), what "that" is after a speech verb (أن، إنه), and what, after a speech
    verb, means it has no new subject (أن، في، اليوم...)."""
    out: dict[str, set[str]] = {k: set() for k in STATEMENT_KINDS}
    for r in read_rows("statement_words.csv", ("word", "kind"), data_dir, STATEMENT_KINDS):
        out[r["kind"]].add(normalize(r["word"]))
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def date_words(data_dir: Path = DATA_DIR) -> dict[tuple[str, ...], tuple[str, int | None]]:
    """normalised word(s) -> (kind, value)."""
    out = {}
    for r in read_rows("dates.csv", ("word", "kind", "value"), data_dir, DATE_KINDS + DATE_MARKER_KINDS):
        if r["kind"] not in DATE_MARKER_KINDS:
            out[tuple(normalize(r["word"]).split())] = (r["kind"], int(r["value"]) if r["value"] else None)
    return out


@lru_cache(maxsize=None)
def date_markers(kind: str, data_dir: Path = DATA_DIR) -> frozenset[str]:
    """The normalised words of one of DATE_MARKER_KINDS in dates.csv."""
    return frozenset(normalize(r["word"]) for r in read_rows("dates.csv", ("word", "kind", "value"),
                                                              data_dir, DATE_KINDS + DATE_MARKER_KINDS)
                     if r["kind"] == kind)


@lru_cache(maxsize=None)
def page_words(kind: str, data_dir: Path = DATA_DIR) -> frozenset[str]:
    """The normalised words of one kind of page_words.csv (teaser, teaser_more, dangling)."""
    return frozenset(normalize(r["word"]) for r in read_rows("page_words.csv", ("word", "kind"),
                                                              data_dir, PAGE_KINDS)
                     if r["kind"] == kind)


def data_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """A short hash of every data file: part of the extractor version."""
    import hashlib
    h = hashlib.sha256()
    for p in sorted(data_dir.glob("*.csv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]
