"""The analysts' dashboard: `streamlit run dashboard/app.py [-- --db FILE --tiles osm|none|URL]`.

Map, filters (kept in the URL), timeline, table + downloads, contested claims, uploads.
Article text is untrusted: it reaches the page only as text nodes, through html.escape, or
in Streamlit's canvas table.
"""
from __future__ import annotations

import html
import sys
from datetime import date
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:  # `streamlit run dashboard/app.py` without an installed package
    sys.path.insert(0, str(_REPO))

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import assets, data as D, mapbuild  # noqa: E402

st.set_page_config(page_title="Karabakh incidents", layout="wide")

AR = html.escape(mapbuild.ARABIC_FONTS, quote=True)
st.html(f"""<style>
.ar, .inc-card .sentence {{ font-family: {mapbuild.ARABIC_FONTS}; direction: rtl;
  unicode-bidi: isolate; text-align: right; }}
.inc-card {{ border: 1px solid #d0d4d9; border-radius: 6px; padding: 8px 10px; margin: 6px 0;
  background: #fff; overflow-wrap: anywhere; }}
.inc-card .meta {{ color: #444; font-size: 0.85rem; }}
.inc-card .sentence {{ font-size: 1.05rem; line-height: 1.8; margin: 4px 0; max-height: 24em;
  overflow-y: auto; }}
.inc-card mark {{ background: #ffe066; color: #000; padding: 0 2px; }}
.inc-card .side {{ display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #333;
  margin-right: 4px; vertical-align: -1px; }}
[data-testid="stMultiSelectTagsContainer"] span, [role="option"] {{ unicode-bidi: plaintext; }}
.inc-read {{ width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 0.9rem; }}
.inc-read th, .inc-read td {{ border-bottom: 1px solid #e3e6ea; padding: 4px 6px; vertical-align: top;
  text-align: left; overflow-wrap: anywhere; }}
.inc-read th {{ background: #f4f5f7; }}
.inc-read th:nth-child(1), .inc-read td:nth-child(1) {{ width: 7.5em; }}
.inc-read th:nth-child(2), .inc-read td:nth-child(2) {{ width: 9em; }}
.inc-read th:nth-child(3), .inc-read td:nth-child(3),
.inc-read th:nth-child(4), .inc-read td:nth-child(4) {{ width: 8em; }}
.inc-read th:nth-child(6), .inc-read td:nth-child(6) {{ width: 8em; }}
.inc-read td.sent {{ font-family: {mapbuild.ARABIC_FONTS}; direction: rtl; text-align: right;
  unicode-bidi: isolate; font-size: 1.02rem; line-height: 1.75; white-space: normal; }}
.inc-read th.sent {{ text-align: right; }}
.inc-read mark {{ background: #ffe066; color: #000; padding: 0 2px; }}
.inc-read .sub {{ color: #666; font-size: 0.8rem; }}
.inc-read .ar {{ font-family: {mapbuild.ARABIC_FONTS}; }}
.facet-counts {{ color: #555; font-size: 0.78rem; margin-top: -0.6rem; }}
</style>""")

settings = D.parse_settings(sys.argv[1:])

# ------------------------------------------------------------------ the store

try:
    for msg in D.ensure_store(settings):
        st.toast(msg)
except Exception as exc:  # ingestion not available or failed: say so, keep the page alive
    st.error(f"No incident store at `{settings.db}` and the seed articles could not be "
             f"ingested: {exc}")
    st.stop()

try:
    df = D.load_incidents(settings.db)
except Exception as exc:
    st.error(f"Cannot read the incident store `{settings.db}`: {exc}")
    st.stop()

if not st.get_option("server.enableStaticServing"):
    st.error("Static serving is off, so the map cannot load its local scripts. Start the app "
             "from the repository root (`streamlit run dashboard/app.py`, which reads "
             "`.streamlit/config.toml`) or pass `--server.enableStaticServing true`.")
if st.get_option("browser.gatherUsageStats"):
    st.warning("Usage statistics are on: start from the repository root (its "
               "`.streamlit/config.toml` turns them off) or pass "
               "`--browser.gatherUsageStats false`.")
if assets.missing():
    st.warning("The map's browser libraries are not installed in dashboard/static/vendor/ "
               "(run `cd dashboard && npm install && python -m dashboard.assets`).")

# ------------------------------------------------------------------ filter state <-> URL

days = sorted(d for d in df["day"].dropna().unique())
DMIN, DMAX = (days[0], days[-1]) if days else (date(2020, 9, 27), date(2020, 11, 10))

allowed = {
    "sides": D.SIDES, "claimants": list(D.CLAIMANT_LABELS), "event_types": list(D.EVENT_LABELS),
    "outlets": sorted(df["outlet_label"].unique()), "articles": sorted(df["doc"].unique()),
}
KEYS = {"sides": "f_sides", "claimants": "f_claimants", "event_types": "f_types",
        "outlets": "f_outlets", "articles": "f_articles"}


def _clamp(d: date | None, default: date) -> date:
    return default if d is None else min(max(d, DMIN), DMAX)


ss = st.session_state
if "_from_url" not in ss:  # first run of this session: the URL seeds the widgets
    ss["_from_url"] = True
    qp = st.query_params.to_dict()
    qp.update({k: st.query_params.get_all(k) for k in st.query_params.keys()
               if len(st.query_params.get_all(k)) > 1})
    f0 = D.filters_from_query(qp, allowed)
    ss["f_dates"] = (_clamp(f0.date_from, DMIN), _clamp(f0.date_to, DMAX))
    for name, key in KEYS.items():
        ss[key] = list(getattr(f0, name))
    ss["f_place"] = f0.place
    ss["f_precise"] = f0.precise
    ss["f_outlets_min"] = f0.outlets_min
    try:
        ss["f_window"] = min(max(int(qp.get("window", 2)), 0), 7)
    except (TypeError, ValueError):
        ss["f_window"] = 2
    ss["f_third"] = qp.get("third", "") in ("1", "true", "yes")
    ss["_bounds"] = (DMIN, DMAX)
elif ss.get("_bounds") != (DMIN, DMAX):  # the store grew: widen a full-range selection
    old = ss.get("_bounds")
    cur = tuple(ss.get("f_dates", ()))
    lo = DMIN if not cur or cur[0] == old[0] else _clamp(cur[0], DMIN)
    hi = DMAX if len(cur) < 2 or cur[1] == old[1] else _clamp(cur[1], DMAX)
    ss["f_dates"] = (lo, hi)
    ss["_bounds"] = (DMIN, DMAX)


# Streamlit drops the state of a widget a run does not draw: the contested tab's two
# settings are written back each run so that they survive while another tab is open
ss["f_window"], ss["f_third"] = ss.get("f_window", 2), ss.get("f_third", False)
ss["f_rows"] = ss.get("f_rows", "Claims")       # the table's rows, likewise


def current_filters() -> D.Filters:
    dates = tuple(ss.get("f_dates") or ())
    lo = dates[0] if len(dates) >= 1 else None
    hi = dates[1] if len(dates) >= 2 else None
    return D.Filters(
        date_from=lo if lo and lo != DMIN else None,
        date_to=hi if hi and hi != DMAX else None,
        sides=tuple(ss.get("f_sides", [])), claimants=tuple(ss.get("f_claimants", [])),
        event_types=tuple(ss.get("f_types", [])), place=ss.get("f_place", "") or "",
        outlets=tuple(ss.get("f_outlets", [])), articles=tuple(ss.get("f_articles", [])),
        precise=bool(ss.get("f_precise", True)), outlets_min=int(ss.get("f_outlets_min", 1)))


# ------------------------------------------------------------------ sidebar

f = current_filters()  # the widgets' state as this run starts: the selection drawn


def facet_caption(counts: dict, label=lambda v: v) -> None:
    """How many incidents each value would have with the other filters, under its widget.
    (Not in the option labels: a multiselect's choice travels as its label, so a label
    whose count changes between runs is no longer recognised and the choice is lost.)"""
    if counts:
        top = sorted(counts.items(), key=lambda kv: -kv[1])
        text = " · ".join(f"{label(v)} {n:,}" for v, n in top[:8]) + (" · …" if len(top) > 8 else "")
        st.html(f'<div class="facet-counts">{html.escape(text)}</div>')


def options(name: str, column: str, counts: dict | None = None) -> list[str]:
    """The values the other filters leave (and those chosen): a long list (thousands of
    articles) is sent to the browser on every run, so it carries only what can still match.
    `counts`: this facet's `D.facet_counts`, when the page shows them (the same rows)."""
    present = list(counts if counts is not None else
                   df.loc[D.filter_mask(df, f, skip=name), column].unique())
    order = {"sides": list(D.SIDES), "claimants": list(D.CLAIMANT_LABELS),
             "event_types": list(D.EVENT_LABELS)}.get(name)
    vals = set(present) | set(ss.get(KEYS[name], []))
    if order:
        return [v for v in order if v in vals] + sorted(vals - set(order))
    return sorted(vals)


titles = dict(zip(df["doc"], df["article_label"]))

view = D.apply_filters(df, f)
tiles = ss.get("f_tiles", settings.tiles)
TILE_CHOICES = list(dict.fromkeys([settings.tiles, "osm", "none"]))

qp_out = D.filters_to_query(f)
if ss.get("f_window", 2) != 2:
    qp_out["window"] = str(ss["f_window"])
if ss.get("f_third"):
    qp_out["third"] = "1"
if {k: st.query_params.get_all(k) for k in st.query_params.keys()} != \
        {k: v if isinstance(v, list) else [v] for k, v in qp_out.items()}:
    st.query_params.from_dict(qp_out)

# ------------------------------------------------------------------ header + map

st.title("Karabakh incidents from Arabic news")
n_claims = view["claim_id"].nunique()
n_places = view["place"].nunique()
n_articles = view["doc"].nunique()
span = ""
vdays = view["day"].dropna()
if len(vdays):
    span = f" · {min(vdays).isoformat()} – {max(vdays).isoformat()}"
def _n(k: int, word: str) -> str:
    return f"**{k:,}** {word}{'' if k == 1 else 's'}"


st.markdown(f"{_n(n_claims, 'claim')} from **{len(view):,}** of {len(df):,} reports · "
            f"{_n(n_places, 'place')} · {_n(n_articles, 'article')}{span}")
st.caption("One marker per claim (the reports of different outlets that state the same "
           "thing). Colour: claimant side · shape: event type. Click a marker for its reports' "
           "source sentences; the reports at that place are listed under the map.")

if df.empty:
    st.info("The store has no reports yet. Add articles in the *Add articles* tab.")


@st.cache_data(max_entries=16, show_spinner=False)
def _map_data(version: tuple, uids: tuple) -> str:  # the marker array of one selection
    return mapbuild.payload_json(df[df["uid"].isin(uids)])


# the base map keeps its frame across reruns (a stable key); a new selection only swaps the
# incident group inside it
clicked = st_folium(mapbuild.base_map(tiles), key="incident_map", height=560,
                    use_container_width=True,
                    feature_group_to_add=mapbuild.incident_group(
                        _map_data(D.store_version(settings.db), tuple(view["uid"]))),
                    returned_objects=["last_object_clicked_tooltip"])

def draw_sidebar() -> None:
    """The filter widgets. Drawn after the map (the page sends its parts in script order, and
    the map is what a reader waits for); the filters were read from the session above."""
    with st.sidebar:
        st.header("Filters")
        st.date_input("Date range", min_value=DMIN, max_value=DMAX, key="f_dates",
                      help="Event dates as resolved from the text. Incidents with no known date "
                           "are shown only when the full range is selected.")
        claimant_label = lambda c: D.CLAIMANT_LABELS.get(c, c)   # noqa: E731
        type_label = lambda t: D.EVENT_LABELS.get(t, t)            # noqa: E731
        counts = {name: D.facet_counts(df, f, name, column) for name, column in
                  (("sides", "side"), ("claimants", "claimant"), ("event_types", "event_type"))}
        st.multiselect("Claimant side", options("sides", "side", counts["sides"]),
                       key="f_sides", placeholder="All sides")
        facet_caption(counts["sides"])
        st.multiselect("Claimant body", options("claimants", "claimant", counts["claimants"]),
                       key="f_claimants", format_func=claimant_label, placeholder="All claimants")
        facet_caption(counts["claimants"], claimant_label)
        st.multiselect("Event type", options("event_types", "event_type", counts["event_types"]),
                       key="f_types", format_func=type_label, placeholder="All event types")
        facet_caption(counts["event_types"], type_label)
        st.text_input("Place", key="f_place", placeholder="e.g. Tartar or ترتر",
                      help="Part of the English or Arabic place name.")
        n_coarse = int(df[D.filter_mask(df, f, skip="precise")]["precision"].isin(D.COARSE).sum())
        st.checkbox(f"Only places finer than a region · hides {n_coarse}", key="f_precise",
                    help="Hide incidents placed only at region or country level (e.g. "
                         "'in Karabakh'), which all sit on one point of the map.")
        st.multiselect("Outlet", options("outlets", "outlet_label"), key="f_outlets",
                       placeholder="All outlets")
        st.number_input("Reported by at least N outlets", min_value=1,
                        max_value=D.MAX_OUTLETS_MIN, step=1, key="f_outlets_min",
                        help="Only claims that this many distinct outlets carried.")
        st.multiselect("Article", options("articles", "doc"), key="f_articles",
                       format_func=lambda d: titles.get(d, d), placeholder="All articles")
        st.selectbox(
            "Map background", TILE_CHOICES, key="f_tiles",
            format_func=lambda t: {"osm": "OpenStreetMap (online)",
                                   "none": "None (offline)"}.get(t, f"Tiles: {t}"))


draw_sidebar()
# a widget that changed its own value while drawn (none should): draw once more, never loop
if current_filters() != f and not ss.get("_drawn_again"):
    ss["_drawn_again"] = True
    st.rerun()
ss["_drawn_again"] = False


def sentence_html(sentence: str, place_ar: str) -> str:
    a, b = mapbuild._highlight_span(sentence, place_ar)
    if a < 0:
        return mapbuild.text_html(sentence)
    return (mapbuild.text_html(sentence[:a]) + "<mark>" + mapbuild.text_html(sentence[a:b])
            + "</mark>" + mapbuild.text_html(sentence[b:]))


def carried_by(r) -> str:
    """A claim's corroboration, "3 reports from 2 outlets"."""
    return (f'{r["reports"]} report{"s" if r["reports"] != 1 else ""} from {r["outlets"]} '
            f'outlet{"s" if r["outlets"] != 1 else ""}')


def card(r) -> str:
    """A report, or a claim (a claims_frame row: its first report's sentence and its counts)."""
    side = r["side"]
    title = r["title"] or r["doc"]
    link = ""
    if r["url"].lower().startswith(("http://", "https://")):
        link = (f' · <a href="{html.escape(r["url"], quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">link</a>')
    return (
        '<div class="inc-card">'
        f'<div class="meta"><span class="side" style="background:{D.SIDE_COLORS[side]}">'
        f'</span><b>{html.escape(r["place"])}</b> <span class="ar" dir="rtl">'
        f'{html.escape(r["place_ar"])}</span> · {html.escape(D.EVENT_LABELS.get(r["event_type"], r["event_type"]))}'
        f' · {html.escape(D.CLAIMANT_LABELS.get(r["claimant"], r["claimant"]))} ({html.escape(side)})'
        f' · {html.escape(r["date"] or "date unknown")} '
        f'({html.escape(D.DATE_BASIS_LABELS.get(r["date_basis"], r["date_basis"]))})</div>'
        + (f'<div class="meta found">{html.escape(D.MATCH_LABELS.get(r.get("match", ""), ""))}</div>'
           if D.MATCH_LABELS.get(r.get("match", ""), "") else "") +
        f'<div class="sentence" dir="rtl" lang="ar">{sentence_html(r["sentence"], r["place_ar"])}</div>'
        f'<div class="meta"><span dir="auto">{mapbuild.text_html(title)}</span>'
        f'{" · " + mapbuild.text_html(r["outlet"]) if r["outlet"] else ""}'
        f'{" · " + html.escape(D.published_note(r)) if D.published_note(r) else ""}{link}</div>'
        + (f'<div class="meta carried"><b>{html.escape(carried_by(r))}</b></div>'
           if "outlets" in r else "") +
        "</div>")


def incidents_at_click(tip: str) -> pd.DataFrame:
    """The selection's reports at the place of the marker clicked (its tooltip names its
    claim's first report: a spread marker's position is not its place's), the clicked
    claim's first."""
    uid = mapbuild.clicked_uid(tip)
    hit = df[df["uid"] == uid]
    # uids number the rows of one reading of the store: the place's name checks the tooltip
    # is of the map drawn from this one
    if hit.empty or hit.iloc[0]["place"] not in tip:
        return view.iloc[0:0]
    lat, lon = hit.iloc[0]["lat"], hit.iloc[0]["lon"]
    near = view[((view["lat"] - lat).abs() < 1e-4) & ((view["lon"] - lon).abs() < 1e-4)]
    return near.assign(_clicked=near["claim_id"] == hit.iloc[0]["claim_id"]).sort_values(
        ["_clicked", "day"], ascending=[False, True])


near = incidents_at_click((clicked or {}).get("last_object_clicked_tooltip") or "")
if len(near):
    with st.container(border=True, key="selected_place"):
        st.subheader(f"{D.markdown_literal(near.iloc[0]['place'])}: {len(near)} report"
                     f"{'s' if len(near) != 1 else ''} here")
        st.html("".join(card(r) for r in near.head(50).to_dict("records")))

# ------------------------------------------------------------------ timeline

st.subheader("Timeline")
tl = view[view["day"].notna()]
if tl.empty:
    st.caption("No dated reports in this selection.")
else:
    bins, unit = D.timeline_bins(tl)
    present = [s for s in D.SIDES if s in set(bins["side"])]
    date_format = {"day": "%d %b %Y", "week": "week of %d %b %Y", "month": "%B %Y"}[unit]
    # explicit start and end: every bar is one period wide, a lone bar too
    chart = (alt.Chart(bins).mark_bar().encode(
        x=alt.X("start:T", title=f"Event date (one bar per {unit})"),
        x2="end:T",
        y=alt.Y("sum(incidents):Q", title="Reports", stack="zero"),
        color=alt.Color("side:N", title="Claimant side",
                        scale=alt.Scale(domain=present,
                                        range=[D.SIDE_COLORS[s] for s in present])),
        order=alt.Order("side:N"),
        tooltip=[alt.Tooltip("start:T", title=unit.capitalize(), format=date_format),
                 alt.Tooltip("side:N", title="Side"),
                 alt.Tooltip("sum(incidents):Q", title="Reports")],
    ).properties(height=220))
    st.altair_chart(chart, width="stretch")
    undated = len(view) - len(tl)
    if undated:
        st.caption(f"{undated} report(s) without a known date are not on the timeline.")

# ------------------------------------------------------------------ tabs

# only the open tab's body runs (on_change="rerun"): the contested pairs, the sortable table
# and the upload form are not built, nor sent, while another tab is shown
tab_table, tab_contested, tab_add = st.tabs(["Incidents", "Contested claims", "Add articles"],
                                            key="tab", on_change="rerun")

READ_ROWS = 100      # rows of the reading table (the sortable table and the CSV have all)
# a sortable table this long is megabytes for the browser on every run (20,000 rows: 15 MB):
# above it, the table is drawn when asked for
SORTABLE_ROWS = 2000


def outlets_cell(r) -> str:
    """The reading table's last cell: a report's outlet, or who carried a claim."""
    if "outlet_names" not in r:
        return f'<span dir="auto">{mapbuild.text_html(r["outlet"])}</span>'
    names = " · ".join(map(str, r["outlet_names"]))
    return (f'{html.escape(carried_by(r))}<div class="sub" dir="auto">'
            f'{mapbuild.text_html(names)}</div>')


def published_sub(r) -> str:
    """Under a report's outlet: its publication date and where that date came from."""
    note = D.published_note(r)
    return f'<div class="sub">{html.escape(note)}</div>' if note else ""


def reading_table(rows, claims: bool) -> str:
    """The reports (or claims, with their first report's sentence) an analyst reads: whole
    sentences wrapped, right to left, the place marked; every cell escaped."""
    out = ['<table class="inc-read"><thead><tr><th>Date</th><th>Place</th><th>Event</th>'
           '<th>Claimant</th><th class="sent">Source sentence</th>'
           f'<th>{"Carried by" if claims else "Outlet"}</th></tr></thead><tbody>']
    for r in rows:
        out.append(
            f'<tr><td>{html.escape(r["date"] or "unknown")}<div class="sub">'
            f'{html.escape(D.DATE_BASIS_LABELS.get(r["date_basis"], r["date_basis"]))}</div></td>'
            f'<td>{html.escape(r["place"])}<div class="ar" dir="rtl">{html.escape(r["place_ar"])}</div></td>'
            f'<td>{html.escape(D.EVENT_LABELS.get(r["event_type"], r["event_type"]))}</td>'
            f'<td>{html.escape(D.CLAIMANT_LABELS.get(r["claimant"], r["claimant"]))}</td>'
            f'<td class="sent" dir="rtl" lang="ar">{sentence_html(r["sentence"], r["place_ar"])}</td>'
            f'<td>{outlets_cell(r)}{"" if claims else published_sub(r)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


# the sortable table's columns: (claims, reports) both, then each's own
TABLE_COLUMNS = ["date", "place", "place_ar", "event", "claimant_body", "side"]
CLAIM_TABLE_COLUMNS = ["reports", "outlets", "outlet_list", "sentence", "first_published",
                       "last_published", "claim_id"]
REPORT_TABLE_COLUMNS = ["sentence", "date_from", "outlet", "published", "title", "url", "doc",
                        "claim_id"]


def sortable_table(rows: pd.DataFrame, claims: bool) -> None:
    table = rows.assign(
        event=rows["event_type"].map(lambda t: D.EVENT_LABELS.get(t, t)),
        claimant_body=rows["claimant"].map(lambda c: D.CLAIMANT_LABELS.get(c, c)),
        date_from=rows["date_basis"].map(lambda b: D.DATE_BASIS_LABELS.get(b, b)))
    if claims:
        table["outlet_list"] = table["outlet_names"].map(lambda names: " · ".join(map(str, names)))
    st.dataframe(
        table, hide_index=True, key="incident_table",
        column_order=TABLE_COLUMNS + (CLAIM_TABLE_COLUMNS if claims else REPORT_TABLE_COLUMNS),
        column_config={
            "date": "Date", "place": "Place", "event": "Event", "side": "Side",
            "claimant_body": "Claimant",
            "place_ar": st.column_config.TextColumn("Place (Arabic)", alignment="right"),
            "sentence": st.column_config.TextColumn(
                "First report's sentence" if claims else "Source sentence", alignment="right",
                width="large"),
            "date_from": "Date from", "outlet": "Outlet", "title": "Article",
            "url": "URL", "doc": "Doc", "claim_id": "Claim", "reports": "Reports",
            "outlets": "Outlets", "outlet_list": "Carried by", "published": "Published",
            "first_published": "First published", "last_published": "Last published"},
    )


def incidents_tab() -> None:
    """Claims or reports: the reading table, the sortable table of every row, the downloads."""
    claims = st.radio("Rows", ["Claims", "Reports"], key="f_rows", horizontal=True,
                      help="A claim is the reports of different outlets that state the same "
                           "thing; a report is one outlet's sentence.") == "Claims"
    rows = D.claims_frame(view) if claims else view.sort_values(
        ["day", "place"], na_position="last", kind="stable")
    word = "claims" if claims else "reports"
    st.caption(f"The first {min(READ_ROWS, len(rows))} of {len(rows)} {word} by date, whole "
               "sentences; the sortable table below and the downloads have every row.")
    st.html(reading_table(rows.head(READ_ROWS).to_dict("records"), claims))
    if len(rows) <= SORTABLE_ROWS or st.toggle(
            f"Sortable table of all {len(rows):,} {word}", key="f_sortable",
            help=f"Over {SORTABLE_ROWS:,} rows the table is drawn only when asked for; the "
                 "downloads below always have every row."):
        sortable_table(rows, claims)
    csv, geojson = (D.claims_to_csv, D.claims_to_geojson) if claims else (D.to_csv, D.to_geojson)
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(f"CSV ({len(rows)} {word})", lambda: csv(rows), f"{word}.csv",
                       "text/csv", on_click="ignore", key="dl_csv")
    c2.download_button(f"GeoJSON ({len(rows)} {word})", lambda: geojson(rows),
                       f"{word}.geojson", "application/geo+json", on_click="ignore",
                       key="dl_geojson")

def contested_tab() -> None:
    """Opposing claims about one place within the window, each with its outlet count."""
    st.caption("Places where opposing sides make claims within a few days of each other: "
               "the Azerbaijani side (Azerbaijan, Turkey) against the Armenian side "
               "(Armenia, Nagorno-Karabakh). Each claim shows its first report and how many "
               "outlets carried it.")
    cc1, cc2 = st.columns([2, 2])
    cc1.slider("Days apart at most", 0, 7, key="f_window")
    cc2.checkbox("Any two different sides (include Russia, Iran, media…)", key="f_third")
    # only the pairs drawn are made: the total is counted, not built
    pairs = D.contested_claims(D.claims_frame(view), window_days=ss["f_window"], third_parties=ss["f_third"],
                               limit=100)
    total_pairs = pairs.attrs.get("total", len(pairs))
    if pairs.empty:
        st.info("No contested claims in this selection (region- and country-level points "
                "are not compared).")
    else:
        st.markdown(f"**{total_pairs}** contested pair(s); the first at "
                    f"**{pairs['place_key'].nunique()}** place(s) shown")
        for i, p in enumerate(pairs.to_dict("records")):
            a = {k[:-2]: v for k, v in p.items() if k.endswith("_a")}
            b = {k[:-2]: v for k, v in p.items() if k.endswith("_b")}
            for r in (a, b):
                r.setdefault("date_basis", "")
            st.markdown(f"##### {D.markdown_literal(p['place'])} · {p['days_apart']} day(s) apart")
            left, right = st.columns(2)
            left.html(card(a))
            right.html(card(b))
        if total_pairs > len(pairs):
            st.caption(f"First {len(pairs)} of {total_pairs} pairs shown; narrow the filters.")

def add_tab() -> None:
    """Uploads, through the same ingestion as the command line."""
    if not settings.uploads:
        st.info("Uploads are turned off on this server (`--uploads off` or INCIDENT_UPLOADS). "
                "Articles are added with `python -m extract ingest` on the machine that "
                "holds the store.")
        return
    st.caption("Upload .txt or .html articles. They go through the same extraction and "
               "ingestion as `python -m extract ingest`.")
    report = ss.pop("_upload_report", None)
    if report:
        for kind, text in report:
            getattr(st, kind)(D.markdown_literal(text))       # file names are untrusted
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Articles", type=["txt", "html", "htm"],
                                 accept_multiple_files=True, key="up_files")
        published = st.date_input("Publication date", value=None, key="up_published")
        u1, u2 = st.columns(2)
        outlet = u1.text_input("Outlet (optional)", key="up_outlet")
        url = u2.text_input("URL (optional, single article)", key="up_url")
        title = st.text_input("Title (optional, single article)", key="up_title")
        submitted = st.form_submit_button("Add to the store", key="up_submit")
    if submitted:
        if not files:
            st.warning("Choose at least one file.")
        else:
            lines = []
            if published is None:
                # as the command line does: nothing is thrown away, and the user is told
                lines.append(("warning", "No publication date given: the articles are stored with "
                              "their dates unknown (a date in the text cannot be resolved). "
                              "Upload them again with the date to date their incidents."))
            try:
                from extract.ingest import ingest_bytes
                from extract.model import ArticleMeta
                from extract.read import MAX_BYTES
            except ImportError as exc:
                lines.append(("error", f"Ingestion is not available: {exc}"))
            else:
                for up in files:
                    if up.size > MAX_BYTES:     # (the config's cap is in whole megabytes)
                        lines.append(("error", f"{up.name}: larger than the article limit "
                                      f"({up.size:,} bytes; limit {MAX_BYTES:,})"))
                        continue
                    meta = ArticleMeta(file=up.name, published=published, outlet=outlet.strip(),
                                       url=url.strip() if len(files) == 1 else "",
                                       title=title.strip() if len(files) == 1 else "")
                    try:
                        rep = ingest_bytes(settings.db, up.name, up.getvalue(), meta)
                    except Exception as exc:
                        lines.append(("error", f"{up.name}: {exc}"))
                        continue
                    failed = list(getattr(rep, "failed", []) or [])
                    for name, reason in failed:
                        lines.append(("error", f"{name}: {reason}"))
                    for w in getattr(rep, "warnings", []) or []:
                        # ingestion's warnings already name the file
                        lines.append(("warning", w if up.name in w else f"{up.name}: {w}"))
                    if not failed:
                        what = ("already in the store, unchanged" if getattr(rep, "unchanged", 0)
                                else "replaced" if getattr(rep, "replaced", 0) else "added")
                        lines.append(("success", f"{up.name}: {what}"))
            ss["_upload_report"] = lines
            st.rerun()


for tab, show in ((tab_table, incidents_tab), (tab_contested, contested_tab), (tab_add, add_tab)):
    if tab.open:
        with tab:
            show()

