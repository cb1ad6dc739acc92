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
from dataclasses import dataclass, field
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
_BASIS_RANK = {"explicit": 0, "weekday": 1, "relative": 2, "published": 3}


@dataclass
class Claim:
    """One claim and its reports (store records: dicts with the incident and article fields)."""
    id: str
    place_key: str
    side: str
    reports: list[dict] = field(default_factory=list)
    event_types: set[str] = field(default_factory=set)
    first_day: Optional[date] = None

    @property
    def claimant(self) -> str:
        """The most specific claimant of its reports: a named body over the country."""
        codes = Counter(r["claimant"] for r in self.reports)
        named = [c for c in codes if not VOCABULARY.is_country_claimant(c)] or list(codes)
        return max(named, key=lambda c: (codes[c], -_first_at(self.reports, "claimant", c)))

    @property
    def event_type(self) -> str:
        codes = Counter(r["event_type"] for r in self.reports)
        return max(codes, key=lambda c: (codes[c], -_first_at(self.reports, "event_type", c)))

    @property
    def date(self) -> str:
        """The date the best-dated report gives (an explicit date over a weekday, ...)."""
        return min(self.reports, key=lambda r: (_BASIS_RANK.get(r["date_basis"], 9), r["date"]))["date"]

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets, in order of first report; a report without one counts as its file."""
        return list(dict.fromkeys(outlet_of(r) for r in self.reports))

    def row(self) -> dict:
        """The claim as one flat record (for the CLI and the exports)."""
        first = self.reports[0]
        published = sorted(r["published"] for r in self.reports if r.get("published"))
        return {
            "claim_id": self.id, "place": first["place"], "place_ar": first["place_ar"],
            "place_id": first["place_id"], "lat": first["lat"], "lon": first["lon"],
            "precision": first["precision"], "date": self.date, "event_type": self.event_type,
            "claimant": self.claimant, "side": self.side, "reports": len(self.reports),
            "outlets": len(self.outlets), "outlet_names": self.outlets,
            "first_published": published[0] if published else "",
            "last_published": published[-1] if published else "",
        }


def _first_at(reports: list[dict], key: str, value: str) -> int:
    return next(k for k, r in enumerate(reports) if r[key] == value)


def outlet_of(record: dict) -> str:
    """The outlet that carried a report: the manifest's or the page's, else its file name."""
    return record.get("outlet") or record.get("file_name") or record.get("doc", "")


def place_key(record: dict) -> str:
    """What "the same place" means: the place, and for a district fallback the name as written."""
    if record.get("match") == "district-fallback":
        return f"{record['place_id']}|{' '.join(normalize(record['place_ar']).split())}"
    return record["place_id"]


def _day(record: dict) -> Optional[date]:
    try:
        return date.fromisoformat(record["date"])
    except (TypeError, ValueError):
        return None         # dates unknown: the report is its own claim


def _agrees(claim: Claim, record: dict) -> bool:
    etype, claimant = record["event_type"], record["claimant"]
    if not all(VOCABULARY.types_merge(etype, t) for t in claim.event_types):
        return False
    codes = {r["claimant"] for r in claim.reports}
    if claimant in codes:
        return True
    # a report naming only the country agrees with one naming a body of that country
    named = {c for c in codes if not VOCABULARY.is_country_claimant(c)}
    return VOCABULARY.is_country_claimant(claimant) or not named


def build_claims(records: Iterable[dict]) -> list[Claim]:
    """The claims of `records` (store records, see extract.store.load_incidents), each with
    its reports in publication order; claims ordered by first report."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        groups[(place_key(r), VOCABULARY.side_of(r["claimant"]))].append(r)
    claims: list[Claim] = []
    for (key, side), group in groups.items():
        group.sort(key=lambda r: (r["date"] or "~", r.get("published") or "", r.get("article_id") or 0,
                                  r.get("sentence_start") or 0))
        open_claims: list[Claim] = []
        for r in group:
            day = _day(r)
            if day is not None:
                open_claims = [c for c in open_claims if day - c.first_day <= WINDOW]
            claim = next((c for c in open_claims if _agrees(c, r)), None) if day is not None else None
            if claim is None:
                claim = Claim(id="", place_key=key, side=side, first_day=day)
                claims.append(claim)
                if day is not None:
                    open_claims.append(claim)
            claim.reports.append(r)
            claim.event_types.add(r["event_type"])
    for c in claims:
        c.reports.sort(key=lambda r: (r.get("published") or "", r.get("article_id") or 0,
                                      r.get("sentence_start") or 0))
    claims.sort(key=lambda c: (c.reports[0].get("published") or "", c.reports[0].get("article_id") or 0,
                               c.reports[0].get("sentence_start") or 0, c.place_key))
    _name(claims)
    return claims


def _name(claims: list[Claim]) -> None:
    """Ids that stay the same when the store is rebuilt: from what the claim says."""
    seen: Counter = Counter()
    for c in claims:
        base = hashlib.sha1("|".join((c.place_key, c.side, c.claimant, c.event_type, c.date))
                            .encode()).hexdigest()[:12]
        seen[base] += 1
        c.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


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
    return ap.parse_args(list(argv))


def main(argv: Sequence[str]) -> int:
    """`python -m extract claims --db FILE [--format F] [-o OUT] [--min-outlets N]`."""
    from extract import store                  # the store builds its claims with this module
    from extract.output import write_rows
    args = parse_args(argv)
    if not Path(args.db).is_file():
        print(f"{args.db}: no such store", file=sys.stderr)
        return 1
    try:
        conn = store.connect(args.db)
    except sqlite3.Error as e:
        print(f"{args.db}: cannot use the store ({e})", file=sys.stderr)
        return 1
    try:
        store.rebuild_claims(conn)          # places an interrupted ingest left to rebuild
        rows = store.load_claims(conn)
    finally:
        conn.close()
    rows = [r for r in rows if r["outlets"] >= args.min_outlets]
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        n = write_rows(rows, CLAIM_FIELDS, out, args.format)
    finally:
        if args.output:
            out.close()
    multi = sum(1 for r in rows if r["outlets"] > 1)
    print(f"{n} claims, {multi} carried by more than one outlet", file=sys.stderr)
    return 0
