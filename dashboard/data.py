"""Everything the dashboard knows about the data, without Streamlit widgets: where the store
is, reading it into a DataFrame, the filters and their URL form, claims, contested claims,
exports.

The store is read through ONE function, `read_records`; everything else sees a DataFrame of
reports (an incident as one copy of its article carried it) with the columns of `COLUMNS`,
each with its claim's fields as claim_<field> (`CLAIM_COLUMNS`), or the claim frame made
from it (`claims_frame`: one row per claim).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd

from extract.claims import CLAIM_FIELDS, build_claims
from extract.model import CLAIMANTS, PUBLISHED_FROM
from extract.output import write_csv, write_records
from extract.vocabulary import VOCABULARY

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("data") / "incidents.sqlite"
SEEDS = REPO / "seeds"

# the agreed record of extract.store.load_reports
COLUMNS = (
    "doc", "place", "place_ar", "geonames_id", "lat", "lon", "precision", "event_type",
    "claimant", "date", "date_basis", "sentence", "sentence_start", "sentence_end",
    "place_id", "match", "article_id", "file_name", "published", "outlet", "url", "title",
    "published_from",
)
TEXT_COLUMNS = tuple(c for c in COLUMNS if c not in ("lat", "lon", "sentence_start",
                                                        "sentence_end"))
# a report's identity in the store and its claim, when it comes from one (read_records)
STORE_KEYS = ("incident_id", "copy_id", "claim_id")
# what each report carries of its claim, as claim_<field> (the claim's own, from the store)
CLAIM_COLUMNS = ("date", "event_type", "claimant", "side", "reports", "outlets", "outlet_names",
                 "first_published", "last_published")

# ------------------------------------------------------------------ vocabularies / colours

# one vocabulary for every layer (extract/data/vocabulary.csv): no code is spelled here
SIDES = VOCABULARY.sides
SIDE_COLORS = VOCABULARY.side_colors
UNKNOWN_SIDE = VOCABULARY.unknown_side
# The two camps whose claims contradict each other; third parties are neither.
CAMPS = VOCABULARY.camps
CLAIMANT_LABELS = VOCABULARY.claimant_labels
EVENT_LABELS = VOCABULARY.event_labels
DATE_BASIS_LABELS = VOCABULARY.date_basis_labels
# where an article's publication date came from (extract.model.PUBLISHED_FROM)
PUBLISHED_FROM_LABELS = dict(zip(PUBLISHED_FROM, ("date from the manifest", "date from the page's markup")))
# how the place was found (the codebook's `match`); a listed spelling needs no note
MATCH_LABELS = VOCABULARY.match_labels
NO_OUTLET = "(no outlet)"


def side_of(claimant: str) -> str:
    return CLAIMANTS.get(claimant, UNKNOWN_SIDE)


# ------------------------------------------------------------------ configuration

@dataclass(frozen=True)
class Settings:
    db: Path
    tiles: str          # "osm", "none" or a tile URL template
    seeds: Path = SEEDS
    uploads: bool = True   # the upload form (off for a shared deployment: no login)


OFF = ("off", "0", "false", "no")


def parse_settings(argv: Sequence[str] | None = None,
                   env: Mapping[str, str] | None = None) -> Settings:
    """`streamlit run dashboard/app.py -- --db FILE --tiles none|osm|URL --uploads on|off`;
    else INCIDENT_DB, INCIDENT_TILES, INCIDENT_UPLOADS; else data/incidents.sqlite,
    OpenStreetMap tiles and the upload form on."""
    env = os.environ if env is None else env
    p = argparse.ArgumentParser(prog="dashboard", add_help=False)
    p.add_argument("--db", default=env.get("INCIDENT_DB") or str(DEFAULT_DB))
    p.add_argument("--tiles", default=env.get("INCIDENT_TILES") or "osm")
    p.add_argument("--seeds", default=env.get("INCIDENT_SEEDS") or str(SEEDS))
    p.add_argument("--uploads", default=env.get("INCIDENT_UPLOADS") or "on")
    args, _ = p.parse_known_args(list(argv or []))
    return Settings(db=Path(args.db), tiles=args.tiles, seeds=Path(args.seeds),
                    uploads=args.uploads.strip().lower() not in OFF)


# every ASCII punctuation character: CommonMark shows a backslash-escaped one as written
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def published_note(record: Mapping) -> str:
    """"published 2020-10-08 (date from the page's markup)", or "" when the date is unknown."""
    if not record.get("published"):
        return ""
    source = PUBLISHED_FROM_LABELS.get(record.get("published_from") or "", "")
    return f"published {record['published']}" + (f" ({source})" if source else "")


def markdown_literal(text: str) -> str:
    """`text` as Streamlit's Markdown shows it literally: no link, image, emphasis, colour
    or math (file names and ingestion messages are untrusted; a name like
    `![x](https:evil.example).txt` would make the browser fetch that host)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text))


# ------------------------------------------------------------------ the store

def read_records(db_path: str | Path) -> tuple[list[dict], list[dict]]:
    """THE data source: every report in the store as the agreed record dicts, each with its
    claim_id, and every claim (extract.claims.CLAIM_FIELDS). The claims an interrupted
    ingest left stale are rebuilt first, as `python -m extract claims` does."""
    import sqlite3

    from extract import store  # the ingestion issue's SQLite store
    conn = store.connect(db_path)
    try:
        try:
            store.rebuild_claims(conn)
        except sqlite3.OperationalError:
            pass    # a read-only store: its stale reports are grouped by records_frame
        claim_of = store.claim_of_reports(conn)
        reports = store.load_reports(conn)
        for r in reports:
            r["claim_id"] = claim_of.get((r["incident_id"], r["copy_id"]), "")
        return reports, store.load_claims(conn)
    finally:
        conn.close()


def records_frame(records: Iterable[Mapping], claims: Sequence[Mapping] = ()) -> pd.DataFrame:
    """Records (reports) -> the dashboard's DataFrame (typed, derived columns added), each
    row with its claim's fields from `claims` (the store's)."""
    df = pd.DataFrame(list(records))
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = None
    df = df[list(COLUMNS) + [c for c in STORE_KEYS if c in df.columns]].copy()
    for c in TEXT_COLUMNS:
        df[c] = df[c].fillna("").astype(str)
    for c in ("lat", "lon"):
        df[c] = pd.to_numeric(df[c], errors="coerce")
    for c in ("sentence_start", "sentence_end"):
        df[c] = pd.to_numeric(df[c], errors="coerce").fillna(0).astype(int)
    df = df[df["lat"].notna() & df["lon"].notna()].reset_index(drop=True)
    df["side"] = df["claimant"].map(side_of)
    df["day"] = pd.to_datetime(df["date"], errors="coerce").dt.date
    df["outlet_label"] = df["outlet"].where(df["outlet"] != "", NO_OUTLET)
    df["article_label"] = df["title"].where(df["title"] != "", df["doc"])
    df["uid"] = range(len(df))
    return _with_claims(df, claims)


def _with_claims(df: pd.DataFrame, claims: Sequence[Mapping]) -> pd.DataFrame:
    """`df` with claim_id and claim_<field> columns. Reports no stored claim holds (records
    given without a store, or a read-only store's stale places) are grouped here, by the
    store's own extract.claims."""
    ids = (df["claim_id"].fillna("").astype(str) if "claim_id" in df.columns
           else pd.Series("", index=df.index))
    rows = list(claims)
    loose = (ids == "").to_numpy()
    if loose.any():
        recs = df[loose].to_dict("records")
        built = build_claims(recs)
        claim_of = {id(r): c.id for c in built for r in c.reports}
        ids = ids.copy()
        ids.loc[loose] = [claim_of[id(r)] for r in recs]
        rows += [c.row() for c in built]
    table = pd.DataFrame(rows, columns=list(CLAIM_FIELDS)).drop_duplicates("claim_id")
    table = table.set_index("claim_id")
    df["claim_id"] = ids.to_numpy()
    for c in CLAIM_COLUMNS:
        df["claim_" + c] = df["claim_id"].map(table[c]).to_numpy()
    return df


def store_version(db_path: str | Path) -> tuple:
    """What changes when the store is written (the cache key of load)."""
    out = []
    for suffix in ("", "-wal"):
        p = Path(str(db_path) + suffix)
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def ensure_store(settings: Settings) -> list[str]:
    """First start: with no store, ingest the bundled seeds. Returns messages to show."""
    if settings.db.exists():
        return []
    from extract.ingest import ingest_paths
    settings.db.parent.mkdir(parents=True, exist_ok=True)
    report = ingest_paths([settings.seeds], settings.db)
    msgs = [f"First start: ingested {len(report.ingested)} seed articles into {settings.db}."]
    for name, reason in getattr(report, "failed", []) or []:
        msgs.append(f"{name}: {reason}")
    return msgs


# ------------------------------------------------------------------ filters

@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    sides: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    place: str = ""
    outlets: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    # hide region- and country-level mentions: on by default, since one region point
    # stacks thousands of rows (the URL says precise=0 when it is off)
    precise: bool = True
    outlets_min: int = 1        # claims reported by at least this many distinct outlets

    def is_empty(self) -> bool:
        return self == Filters()


# query-parameter name of each filter field
QP = {"date_from": "from", "date_to": "to", "sides": "side", "claimants": "claimant",
      "event_types": "type", "place": "place", "outlets": "outlet", "articles": "article",
      "precise": "precise", "outlets_min": "outlets_min"}
COARSE = ("region", "country")
MAX_OUTLETS_MIN = 10_000      # a larger count in a URL is junk, not a filter


def filters_to_query(f: Filters) -> dict[str, str | list[str]]:
    """The URL form of the filters: only what is set."""
    q: dict[str, str | list[str]] = {}
    if f.date_from:
        q[QP["date_from"]] = f.date_from.isoformat()
    if f.date_to:
        q[QP["date_to"]] = f.date_to.isoformat()
    for name in ("sides", "claimants", "event_types", "outlets", "articles"):
        vals = list(getattr(f, name))
        if vals:
            q[QP[name]] = vals
    if f.place.strip():
        q[QP["place"]] = f.place.strip()
    if not f.precise:
        q[QP["precise"]] = "0"
    if f.outlets_min > 1:
        q[QP["outlets_min"]] = str(f.outlets_min)
    return q


def _as_list(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v] if v != "" else []
    return [str(x) for x in v if str(x) != ""]


def _as_date(v) -> date | None:
    vals = _as_list(v)
    if not vals:
        return None
    try:
        return date.fromisoformat(vals[-1])
    except ValueError:
        return None


def _as_outlets_min(v) -> int:
    """A count of outlets from the URL: a whole number from 1 to MAX_OUTLETS_MIN, else 1."""
    vals = _as_list(v)
    text = vals[-1].strip() if vals else ""
    if not re.fullmatch(r"\d{1,6}", text):
        return 1
    n = int(text)
    return n if 1 <= n <= MAX_OUTLETS_MIN else 1


def filters_from_query(q: Mapping, allowed: Mapping[str, Iterable[str]] | None = None) -> Filters:
    """Parse URL query parameters (values str or list of str); unknown values are dropped
    when `allowed` gives the valid values of a multi-valued field."""
    allowed = allowed or {}

    def multi(name):
        vals = list(dict.fromkeys(_as_list(q.get(QP[name]))))
        if name in allowed:
            ok = set(allowed[name])
            vals = [v for v in vals if v in ok]
        return tuple(vals)

    place = _as_list(q.get(QP["place"]))
    return Filters(
        date_from=_as_date(q.get(QP["date_from"])), date_to=_as_date(q.get(QP["date_to"])),
        sides=multi("sides"), claimants=multi("claimants"), event_types=multi("event_types"),
        place=place[-1].strip() if place else "", outlets=multi("outlets"),
        articles=multi("articles"),
        precise=(_as_list(q.get(QP["precise"])) or ["1"])[-1] not in ("0", "false", "no"),
        outlets_min=_as_outlets_min(q.get(QP["outlets_min"])))


def _norm(s: str) -> str:
    try:
        from geo.arabic import normalize
        return normalize(s)
    except Exception:  # pragma: no cover - normalisation is a nicety
        return s.lower()


def filter_mask(df: pd.DataFrame, f: Filters, skip: str | None = None) -> pd.Series:
    """Rows passing every filter except `skip` (a Filters field name: for facet counts)."""
    m = pd.Series(True, index=df.index)
    if skip != "date" and (f.date_from or f.date_to):
        day = df["day"]
        ok = day.notna()
        if f.date_from:
            ok &= day.map(lambda d: d is not None and not pd.isna(d) and d >= f.date_from)
        if f.date_to:
            ok &= day.map(lambda d: d is not None and not pd.isna(d) and d <= f.date_to)
        m &= ok.astype(bool)
    if skip != "sides" and f.sides:
        m &= df["side"].isin(f.sides)
    if skip != "claimants" and f.claimants:
        m &= df["claimant"].isin(f.claimants)
    if skip != "event_types" and f.event_types:
        m &= df["event_type"].isin(f.event_types)
    if skip != "outlets" and f.outlets:
        m &= df["outlet_label"].isin(f.outlets)
    if skip != "articles" and f.articles:
        m &= df["doc"].isin(f.articles)
    if skip != "precise" and f.precise:
        m &= ~df["precision"].isin(COARSE)
    if skip != "outlets_min" and f.outlets_min > 1:
        m &= df["claim_outlets"] >= f.outlets_min
    if skip != "place" and f.place.strip():
        needle = f.place.strip()
        low, norm = needle.lower(), _norm(needle)
        m &= (df["place"].str.lower().str.contains(low, regex=False)
              | df["place_ar"].map(_norm).str.contains(norm, regex=False)
              | df["place_id"].str.lower().str.contains(low, regex=False))
    return m


def apply_filters(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    return df[filter_mask(df, f)]


def facet_counts(df: pd.DataFrame, f: Filters, field_name: str, column: str) -> dict[str, int]:
    """How many incidents each value of `column` would have with all *other* filters."""
    sub = df[filter_mask(df, f, skip=field_name)]
    return sub[column].value_counts().to_dict()


# ------------------------------------------------------------------ claims

def in_claim_order(reports: pd.DataFrame) -> pd.DataFrame:
    """Reports grouped by claim, each claim's in publication order (newest last, unknown
    publication dates after them): the order of a claim's popup and of its first report."""
    return reports.assign(_unpublished=reports["published"] == "").sort_values(
        ["claim_id", "_unpublished", "published", "uid"], kind="stable").drop(columns="_unpublished")


def claims_frame(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per claim with a report in `reports` (a selection): the claim's own fields
    (place, date, event type, claimant, side, reports, outlets... as the store grouped them),
    `shown` (how many of its reports are in `reports`), and its first report's sentence,
    article and uid (what a card shows and a click names)."""
    ordered = in_claim_order(reports)
    first = ordered.drop_duplicates("claim_id")
    shown = ordered["claim_id"].value_counts()
    own = {"claim_" + c: c for c in CLAIM_COLUMNS}
    out = first.drop(columns=list(own.values()), errors="ignore").rename(columns=own)
    # the first report's date basis is the claim's only when it gives the claim's date
    out["date_basis"] = first["date_basis"].where(first["date"] == out["date"], "")
    out["shown"] = out["claim_id"].map(shown).to_numpy()
    out["day"] = pd.to_datetime(out["date"], errors="coerce").dt.date
    return out.sort_values(["day", "place"], na_position="last", kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ contested claims

# The timeline's bar width by the span shown: days for a campaign, weeks for a war's
# months, months for years (a bar per day over three years is 1,100 slivers per side)
TIMELINE_UNITS = ((120, "day"), (730, "week"), (None, "month"))


def timeline_bins(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Dated incidents counted per period and side: (start, end, side, incidents) with
    [start, end) one period wide, and the period's name (day, week or month)."""
    days = pd.to_datetime(df["day"].dropna())
    if days.empty:
        return pd.DataFrame(columns=["start", "end", "side", "incidents"]), "day"
    span = (days.max() - days.min()).days + 1
    unit = next(u for limit, u in TIMELINE_UNITS if limit is None or span <= limit)
    sides = df.loc[days.index, "side"]
    if unit == "day":
        start = days
        end = days + pd.Timedelta(days=1)
    elif unit == "week":       # Monday to Monday
        start = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
        end = start + pd.Timedelta(days=7)
    else:
        start = days.dt.to_period("M").dt.start_time
        end = start + pd.offsets.MonthBegin(1)
    out = (pd.DataFrame({"start": start, "end": end, "side": sides})
           .groupby(["start", "end", "side"]).size().reset_index(name="incidents"))
    return out, unit


def contested_claims(df: pd.DataFrame, window_days: int = 2,
                     third_parties: bool = False, limit: int | None = None) -> pd.DataFrame:
    """Pairs of rows (claims: see claims_frame, or reports) at the same place, claimed by
    opposing sides, at most
    `window_days` apart. Opposing = Azerbaijani camp (Azerbaijan, Turkey) vs Armenian camp
    (Armenia, Nagorno-Karabakh); with `third_parties`, any two different sides. Region- and
    country-level points never pair: they are not one place.

    One row per pair: place, days apart, and a_*/b_* columns (a = the Azerbaijani camp or,
    for third parties, the alphabetically first side), ordered by place, date and gap. Time
    and memory are linear in the incidents plus the pairs returned: each side is sorted by
    (place, day) once and every a-row finds its window on the other side by binary search,
    so no place-wide cross product is built. With `limit`, at most that many pairs are made;
    `result.attrs["total"]` is the number of pairs there are."""
    import numpy as np

    cols = ["place_key", "place", "place_ar_a", "place_ar_b", "days_apart"]
    keep = ["uid", "place_key", "place", "place_ar", "side", "camp", "claimant", "event_type",
            "date", "day", "date_basis", "sentence", "doc", "title", "outlet", "url"]
    keep += [c for c in ("claim_id", "reports", "outlets") if c in df.columns]
    d = df[df["day"].notna() & ~df["precision"].isin(COARSE)]
    d = d.assign(place_key=d["place_id"].where(d["place_id"] != "", d["place"]),
                 camp=d["side"].map(CAMPS))
    if not third_parties:
        d = d[d["camp"].notna()]
    if d.empty:
        empty = pd.DataFrame(columns=cols)
        empty.attrs["total"] = 0
        return empty
    d = d[keep].reset_index(drop=True)
    place_code = pd.factorize(d["place_key"])[0].astype(np.int64)
    daynum = pd.to_datetime(d["day"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    # one sortable number per row: rows of one place are contiguous, ordered by day
    span = int(daynum.max() - daynum.min()) + 2 * window_days + 2
    comp = place_code * span + (daynum - daynum.min())

    if third_parties:
        sides = sorted(d["side"].unique())
        groups = [(d["side"].to_numpy() == a, d["side"].to_numpy() == b)
                  for i, a in enumerate(sides) for b in sides[i + 1:]]
    else:
        groups = [(d["camp"].to_numpy() == "az", d["camp"].to_numpy() == "am")]

    a_idx_parts, b_idx_parts, total = [], [], 0
    budget = limit
    for a_mask, b_mask in groups:
        a_rows = np.flatnonzero(a_mask)
        b_rows = np.flatnonzero(b_mask)
        if not len(a_rows) or not len(b_rows):
            continue
        b_rows = b_rows[np.argsort(comp[b_rows], kind="stable")]
        b_comp = comp[b_rows]
        lo = np.searchsorted(b_comp, comp[a_rows] - window_days, side="left")
        hi = np.searchsorted(b_comp, comp[a_rows] + window_days, side="right")
        counts = hi - lo
        n = int(counts.sum())
        total += n
        if n == 0 or budget == 0:
            continue
        order = np.argsort(comp[a_rows], kind="stable")
        a_rows, lo, counts = a_rows[order], lo[order], counts[order]
        if budget is not None and n > budget:
            # keep whole windows of the first a-rows, then cut the last one
            csum = np.cumsum(counts)
            cut = int(np.searchsorted(csum, budget, side="left")) + 1
            a_rows, lo, counts = a_rows[:cut], lo[:cut], counts[:cut]
        rep_a = np.repeat(a_rows, counts)
        starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
        rep_b = b_rows[starts + np.arange(len(rep_a))]
        if budget is not None:
            rep_a, rep_b = rep_a[:budget], rep_b[:budget]
            budget -= len(rep_a)
        a_idx_parts.append(rep_a)
        b_idx_parts.append(rep_b)

    if not a_idx_parts:
        empty = pd.DataFrame(columns=cols)
        empty.attrs["total"] = total
        return empty
    a_idx = np.concatenate(a_idx_parts)
    b_idx = np.concatenate(b_idx_parts)
    left = d.iloc[a_idx].reset_index(drop=True).add_suffix("_a")
    right = d.iloc[b_idx].reset_index(drop=True).add_suffix("_b")
    pairs = pd.concat([left, right], axis=1)
    pairs["place_key"] = pairs["place_key_a"]
    pairs["place"] = pairs["place_a"]
    pairs["days_apart"] = np.abs(daynum[a_idx] - daynum[b_idx]).astype(int)
    pairs = pairs.sort_values(["place", "day_a", "days_apart"], kind="stable").reset_index(drop=True)
    pairs.attrs["total"] = total
    return pairs


# ------------------------------------------------------------------ exports

EXPORT_COLUMNS = ("doc", "place", "place_ar", "geonames_id", "lat", "lon", "precision",
                  "event_type", "claimant", "side", "date", "date_basis", "sentence",
                  "published", "outlet", "url", "title", "claim_id")


def to_csv(df: pd.DataFrame) -> bytes:
    """The selected reports as CSV, written as the command line writes it (no cell a
    spreadsheet would run as a formula); utf-8-sig: spreadsheet programs then read the
    Arabic correctly."""
    out = io.StringIO()
    # column lists, zipped: a frame's to_dict("records") takes 4x as long as the writing
    write_csv(zip(*(df[c].tolist() for c in EXPORT_COLUMNS)), EXPORT_COLUMNS, out)
    return out.getvalue().encode("utf-8-sig")


def claims_to_csv(claims: pd.DataFrame) -> bytes:
    """The selected claims (claims_frame) as `python -m extract claims --format csv` writes
    them: claim id, counts and outlets (every cell through extract.output.write_csv)."""
    return _claims_as(claims, "csv").encode("utf-8-sig")


def claims_to_geojson(claims: pd.DataFrame) -> bytes:
    return _claims_as(claims, "geojson").encode("utf-8")


def _claims_as(claims: pd.DataFrame, fmt: str) -> str:
    out = io.StringIO()
    write_records(claims[list(CLAIM_FIELDS)].to_dict("records"), CLAIM_FIELDS, out, fmt)
    return out.getvalue()


def to_geojson(df: pd.DataFrame) -> bytes:
    feats = []
    for r in df[list(EXPORT_COLUMNS)].to_dict("records"):
        props = {k: v for k, v in r.items() if k not in ("lat", "lon")}
        feats.append({"type": "Feature",
                      "geometry": {"type": "Point",
                                   "coordinates": [float(r["lon"]), float(r["lat"])]},
                      "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": feats},
                      ensure_ascii=False).encode("utf-8")


# ------------------------------------------------------------------ cached load

def _cached_frame():
    import streamlit as st

    @st.cache_data(show_spinner="Reading the incident store…", max_entries=4)
    def frame(db_path: str, version: tuple) -> pd.DataFrame:  # version: cache key only
        return records_frame(*read_records(db_path))
    return frame


_FRAME = None


def load_incidents(db_path: str | Path) -> pd.DataFrame:
    """Every report in the store as the dashboard's DataFrame, re-read only when the store
    file changes (cached on its mtime/size): filter changes never touch the store."""
    global _FRAME
    if _FRAME is None:
        _FRAME = _cached_frame()
    return _FRAME(str(db_path), store_version(db_path))
