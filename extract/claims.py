"""Claims: the incidents of different reports that state the same thing (codebook, Claims).

A ministry's statement is carried by the wire agencies and republished by dozens of sites;
every copy is an incident of its own article. A claim groups them: the same place (for a
district fallback, the same written name too, so that five unknown villages of one district
stay five claims), the same claimant or, where one report names the ministry and another
only the country, the same side; event types that can describe one event
(extract/data/vocabulary.csv, column `merges`); event dates at most one day apart.

Grouping is by place and side, then one pass over each group in date order: a report joins
an open claim that agrees with it, else opens one, and a claim closes once the dates move
past its window. Cost: a sort and a pass, never a comparison of all pairs.
"""
from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from operator import itemgetter
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Optional, Sequence

from extract.vocabulary import VOCABULARY
from geo.arabic import normalize

# one row per claim (the CLI, the exports, the store's claims table)
CLAIM_FIELDS = ("claim_id", "place", "place_ar", "place_id", "lat", "lon", "precision", "date",
                "event_type", "claimant", "side", "reports", "outlets", "outlet_names",
                "first_published", "last_published")
WINDOW = timedelta(days=1)          # event dates of one claim are at most this far apart
# the vocabulary lists date bases from the most specific (an explicit date) to the least
_BASIS_RANK = {basis: rank for rank, basis in enumerate(VOCABULARY.date_bases)}


class Claim:
    """One claim and its reports (store records: dicts with the incident and article fields).
    A plain class with slots: a store makes one for most of its incidents."""
    __slots__ = ("id", "place_key", "side", "first_day", "reports", "codes", "named", "allowed",
                 "claimant", "event_type", "date")

    def __init__(self, place_key: str, side: str, first_day: Optional[int]):
        self.id = ""
        self.place_key, self.side = place_key, side
        self.first_day = first_day              # ordinal of the earliest event date, None: unknown
        self.reports: list[dict] = []
        self.codes: set[str] = set()            # claimant codes of its reports
        self.named = False                      # a report names a body, not only the country
        self.allowed: frozenset[str] = frozenset()  # event types that agree with all its reports
        self.claimant = self.event_type = self.date = ""    # what it says (see _settle)

    def add(self, record: dict) -> None:
        etype, code = record["event_type"], record["claimant"]
        self.allowed = self.allowed & _COMPATIBLE[etype] if self.reports else _COMPATIBLE[etype]
        self.reports.append(record)
        self.codes.add(code)
        self.named = self.named or code not in _COUNTRY

    def agrees(self, record: dict) -> bool:
        """Whether the report states what the claim states (its event date aside)."""
        if record["event_type"] not in self.allowed:
            return False
        code = record["claimant"]
        # a report naming only the country agrees with one naming a body of that country
        return code in self.codes or code in _COUNTRY or not self.named

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets, in order of first report; a report without one counts as its file."""
        return list(dict.fromkeys(outlet_of(r) for r in self.reports))

    def row(self) -> dict:
        """The claim as one flat record (CLAIM_FIELDS: the CLI, the exports, the store)."""
        first = self.reports[0]
        published = sorted(r["published"] for r in self.reports if r.get("published"))
        outlets = self.outlets
        return {
            "claim_id": self.id, "place": first["place"], "place_ar": first["place_ar"],
            "place_id": first["place_id"], "lat": first["lat"], "lon": first["lon"],
            "precision": first["precision"], "date": self.date, "event_type": self.event_type,
            "claimant": self.claimant, "side": self.side, "reports": len(self.reports),
            "outlets": len(outlets), "outlet_names": outlets,
            "first_published": published[0] if published else "",
            "last_published": published[-1] if published else "",
        }


class _Compatible(dict):
    """event type -> the types that can describe the same event; a type the vocabulary
    lacks (an old store) agrees with itself only."""
    def __missing__(self, key: str) -> frozenset[str]:
        return frozenset((key,))


_COUNTRY = VOCABULARY.country_claimants
_COMPATIBLE = _Compatible({t: frozenset(u for u in VOCABULARY.event_types if VOCABULARY.types_merge(t, u))
                           for t in VOCABULARY.event_types})


def _most_common(values: list[str]) -> str:
    """The most frequent value, the first met among equals."""
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], -values.index(v)))


def _settle(claim: Claim) -> None:
    """What the claim says: the most specific claimant of its reports (a named body over
    the country), its most frequent type, the date its best-dated report gives."""
    reports = claim.reports
    if len(reports) == 1:           # the common case
        r = reports[0]
        claim.claimant, claim.event_type, claim.date = r["claimant"], r["event_type"], r["date"]
        return
    codes = [r["claimant"] for r in reports]
    claim.claimant = _most_common([c for c in codes if c not in _COUNTRY] or codes)
    claim.event_type = _most_common([r["event_type"] for r in reports])
    claim.date = min(reports, key=lambda r: (_BASIS_RANK.get(r["date_basis"], 9), r["date"]))["date"]


def outlet_of(record: dict) -> str:
    """The outlet that carried a report: the manifest's or the page's, else its file name."""
    return record.get("outlet") or record.get("file_name") or record.get("doc", "")


def place_key(record: dict) -> str:
    """What "the same place" means: the place, and for a district fallback the name as written."""
    if record.get("match") == "district-fallback":
        return f"{record['place_id']}|{' '.join(normalize(record['place_ar']).split())}"
    return record["place_id"]


@lru_cache(maxsize=1 << 14)
def _day(iso: str) -> Optional[int]:
    try:
        return date.fromisoformat(iso).toordinal()
    except (TypeError, ValueError):
        return None         # dates unknown: the report is its own claim


# reports in publication order, then article and sentence (store records always carry these;
# published is "" when unknown, see extract.store.load_reports)
_order = itemgetter("published", "article_id", "sentence_start")
_in_group = itemgetter("date", "published", "article_id", "sentence_start")


def build_claims(records: Iterable[dict]) -> list[Claim]:
    """The claims of `records` (store records, see extract.store.load_reports), each with
    its reports in publication order; claims by place and side, then by date (the order
    depends only on each place's own reports, so a rebuild of some places names alike)."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    side_of = VOCABULARY.side_of
    for r in records:
        groups[(place_key(r), side_of(r["claimant"]))].append(r)
    claims: list[Claim] = []
    window = WINDOW.days
    for (key, side), group in groups.items():
        group.sort(key=_in_group)
        open_claims: list[Claim] = []
        last_day = None
        for r in group:
            day = _day(r["date"])
            if day is not None and day != last_day:
                open_claims = [c for c in open_claims if day - c.first_day <= window]
                last_day = day
            for claim in open_claims:
                if claim.agrees(r):
                    claim.add(r)
                    break
            else:
                claim = Claim(key, side, day)
                claim.add(r)
                claims.append(claim)
                if day is not None:
                    open_claims.append(claim)
    for c in claims:
        if len(c.reports) > 1:
            c.reports.sort(key=_order)
        _settle(c)
    _name(claims)
    return claims


def _name(claims: list[Claim]) -> None:
    """Ids that stay the same when the store is rebuilt: from what the claim says."""
    seen: dict[str, int] = {}
    sha1 = hashlib.sha1
    for c in claims:
        base = sha1(f"{c.place_key}|{c.side}|{c.claimant}|{c.event_type}|{c.date}".encode()).hexdigest()[:12]
        n = seen[base] = seen.get(base, 0) + 1
        c.id = base if n == 1 else f"{base}-{n}"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m extract claims",
        description="One row per claim of the store: its place, date, type and claimant, how "
                    "many reports and distinct outlets carried it, and which outlets.")
    ap.add_argument("--db", required=True, metavar="FILE", help="the SQLite store (python -m extract ingest)")
    ap.add_argument("--format", choices=("jsonl", "csv", "geojson"), default="jsonl")
    ap.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    ap.add_argument("--min-outlets", type=int, default=1, metavar="N",
                    help="only claims carried by at least N distinct outlets")
    ap.add_argument("--rebuild", action="store_true",
                    help="regroup every place first (after changing the claim rules: the "
                         "merges and scope columns of extract/data/vocabulary.csv)")
    return ap.parse_args(list(argv))


def main(argv: Sequence[str]) -> int:
    """`python -m extract claims --db FILE [--format F] [-o OUT] [--min-outlets N]`."""
    from extract import store                  # the store builds its claims with this module
    from extract.output import output_problem, write_records
    args = parse_args(argv)
    if not Path(args.db).is_file():
        print(f"{args.db}: no such store", file=sys.stderr)
        return 1
    problem = output_problem(args.output, [Path(args.db)]) if args.output else ""
    if problem:
        print(f"error: {args.output}: {problem}", file=sys.stderr)
        return 2
    try:
        conn = store.connect(args.db)
    except sqlite3.Error as e:
        print(f"{args.db}: cannot use the store ({e})", file=sys.stderr)
        return 1
    try:
        store.rebuild_claims(conn, args.rebuild)    # and places an interrupted ingest left
        rows = store.load_claims(conn)
    finally:
        conn.close()
    rows = [r for r in rows if r["outlets"] >= args.min_outlets]
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        n = write_records(rows, CLAIM_FIELDS, out, args.format)
    finally:
        if args.output:
            out.close()
    multi = sum(1 for r in rows if r["outlets"] > 1)
    print(f"{n} claims, {multi} carried by more than one outlet", file=sys.stderr)
    return 0
