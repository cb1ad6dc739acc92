"""The codebook's vocabularies as data: one validated loader for extract/data/vocabulary.csv.

Every event type, claimant, side, precision, date basis and match code, with its label, the
claimant's side, the side's camp and colour, the event type's ACLED equivalent and marker
shape. extract/model.py, the lexicon checks, the dashboard (filters, legend, colours,
shapes) and the exports all read `VOCABULARY`, so adding a claimant is one row here (and
its patterns in claimants.csv), adding an event type one row here (and its cues in
triggers.csv). INCIDENT_VOCABULARY names another file (an analyst's extended copy).
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

DEFAULT_VOCABULARY = Path(os.environ.get("INCIDENT_VOCABULARY")
                          or Path(__file__).resolve().parent / "data" / "vocabulary.csv")
KINDS = ("side", "claimant", "event_type", "precision", "date_basis", "match")
COLUMNS = ("kind", "code", "label", "side", "camp", "acled", "color", "shape")
# optional: an event type's `merges` lists the types that can describe the same event
# (shelling|civilian_harm); a claimant's `scope` is "country" when it names only its country
# ("Azerbaijan announced"), so that its claims merge with those of any body of that side
OPTIONAL_COLUMNS = ("merges", "scope")
OTHER = "*"                      # the event-type row whose shape draws an unknown type
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_CODE = re.compile(r"^[a-z][a-z0-9_-]*$|^[A-Z][A-Za-z -]*$")


class VocabularyError(ValueError):
    """A bad row: the message names the file, the line, the column and the value."""


@dataclass(frozen=True)
class Vocabulary:
    sides: tuple[str, ...]                    # in legend order
    side_colors: Mapping[str, str]
    camps: Mapping[str, str]                  # side -> "az" | "am" (third parties absent)
    claimants: Mapping[str, str]              # code -> side
    claimant_labels: Mapping[str, str]
    event_types: tuple[str, ...]
    event_labels: Mapping[str, str]
    event_acled: Mapping[str, str]
    shapes: Mapping[str, str]                 # event type -> SVG markup in a 20x20 box
    other_shape: str
    precisions: tuple[str, ...]
    precision_labels: Mapping[str, str]
    date_bases: tuple[str, ...]
    date_basis_labels: Mapping[str, str]
    matches: tuple[str, ...]
    match_labels: Mapping[str, str]
    merging_types: frozenset[frozenset[str]] = frozenset()   # pairs that can describe one event
    country_claimants: frozenset[str] = frozenset()
    unknown_side: str = "Unattributed"

    def side_of(self, claimant: str) -> str:
        return self.claimants.get(claimant, self.unknown_side)

    def types_merge(self, a: str, b: str) -> bool:
        """Whether two event types can describe one event (the same type always can)."""
        return a == b or frozenset((a, b)) in self.merging_types

    def is_country_claimant(self, code: str) -> bool:
        return code in self.country_claimants


def load_vocabulary(path: str | Path = DEFAULT_VOCABULARY) -> Vocabulary:
    """Read and validate the vocabulary; raises VocabularyError naming file, line, column."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise VocabularyError(f"{p}: cannot read the vocabulary ({e.strerror or e})") from e
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in lines)))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise VocabularyError(f"{p}:{lines[0][0] if lines else 1}: header lacks {', '.join(missing)}")
    by_kind: dict[str, list[tuple[int, dict[str, str]]]] = {k: [] for k in KINDS}
    seen: dict[tuple[str, str], int] = {}
    for k, row in enumerate(reader, 1):
        line = lines[k][0]
        cell = {c: (row.get(c) or "").strip() for c in COLUMNS + OPTIONAL_COLUMNS}

        def bad(column: str, why: str) -> VocabularyError:
            return VocabularyError(f"{p}:{line}: column {column!r}: {why} (value {cell[column]!r})")

        if cell["kind"] not in KINDS:
            raise bad("kind", f"unknown kind (one of {', '.join(KINDS)})")
        if not (cell["code"] == OTHER and cell["kind"] == "event_type") and not _CODE.match(cell["code"]):
            raise bad("code", "not a code (lower_case, or a capitalised side name)")
        if (cell["kind"], cell["code"]) in seen:
            raise bad("code", f"duplicate (first on line {seen[(cell['kind'], cell['code'])]})")
        seen[(cell["kind"], cell["code"])] = line
        if cell["kind"] == "side" and not _COLOR.match(cell["color"]):
            raise bad("color", "a side needs a colour #RRGGBB")
        if cell["kind"] == "side" and cell["camp"] not in ("", "az", "am"):
            raise bad("camp", "az, am or empty")
        if cell["kind"] == "event_type" and not cell["shape"].lstrip().startswith("<"):
            raise bad("shape", "an event type needs an SVG shape")
        if cell["scope"] not in ("", "country") or (cell["scope"] and cell["kind"] != "claimant"):
            raise bad("scope", "only a claimant has a scope, and it is 'country' or empty")
        if cell["merges"] and cell["kind"] != "event_type":
            raise bad("merges", "only an event type merges with others")
        if cell["kind"] != "match" and not cell["label"]:
            raise bad("label", "empty")
        by_kind[cell["kind"]].append((line, cell))
    sides = tuple(c["code"] for _, c in by_kind["side"])
    for line, c in by_kind["claimant"]:
        if c["side"] not in sides:
            raise VocabularyError(f"{p}:{line}: column 'side': no such side (value {c['side']!r})")
    if "Unattributed" not in sides:
        raise VocabularyError(f"{p}: the side 'Unattributed' is needed (claims nobody is named for)")
    events = [c for _, c in by_kind["event_type"] if c["code"] != OTHER]
    event_codes = {c["code"] for c in events}
    merging: set[frozenset[str]] = set()
    for line, c in by_kind["event_type"]:
        for other_type in filter(None, c["merges"].split("|")):
            if other_type not in event_codes:
                raise VocabularyError(f"{p}:{line}: column 'merges': no such event type "
                                      f"(value {other_type!r})")
            merging.add(frozenset((c["code"], other_type)))
    other = [c for _, c in by_kind["event_type"] if c["code"] == OTHER]

    def codes(kind: str) -> tuple[str, ...]:
        return tuple(c["code"] for _, c in by_kind[kind])

    def labels(kind: str) -> dict[str, str]:
        return {c["code"]: c["label"] for _, c in by_kind[kind]}

    return Vocabulary(
        sides=sides,
        side_colors={c["code"]: c["color"] for _, c in by_kind["side"]},
        camps={c["code"]: c["camp"] for _, c in by_kind["side"] if c["camp"]},
        claimants={c["code"]: c["side"] for _, c in by_kind["claimant"]},
        claimant_labels=labels("claimant"),
        event_types=tuple(c["code"] for c in events),
        event_labels={c["code"]: c["label"] for c in events},
        event_acled={c["code"]: c["acled"] for c in events},
        shapes={c["code"]: c["shape"] for c in events},
        other_shape=other[0]["shape"] if other else '<rect x="4" y="4" width="12" height="12"/>',
        precisions=codes("precision"), precision_labels=labels("precision"),
        date_bases=codes("date_basis"), date_basis_labels=labels("date_basis"),
        matches=codes("match"), match_labels=labels("match"),
        merging_types=frozenset(merging),
        country_claimants=frozenset(c["code"] for _, c in by_kind["claimant"] if c["scope"]),
    )


VOCABULARY = load_vocabulary()
