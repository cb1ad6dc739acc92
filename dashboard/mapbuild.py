"""The incident map as a pure function of the incidents: `build_map(incidents, tiles)`.

One marker per claim, its popup listing the claim's reports in the selection. All markers
are made in the browser from ONE JSON object (FastMarkerCluster-style, but with
the dashboard's own template: a string table so repeated sentences/titles travel once,
bulk `addLayers` with chunked loading, icons shared per side x event type). Popups and
tooltips are built in JavaScript from text nodes (`textContent`) or from strings passed
through an HTML escaper, never by pasting article text into HTML.

`build_map_naive` is the baseline the benchmark compares against: one folium.Marker with
an HTML popup per incident, rendered by Python.
"""
from __future__ import annotations

import functools
import html
import json
import re

import folium
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin
from folium.template import Template
from folium.plugins import MarkerCluster

from dashboard import assets
from dashboard.data import (CLAIMANT_LABELS, DATE_BASIS_LABELS, EVENT_LABELS, MATCH_LABELS,
                            SIDE_COLORS, SIDES, UNKNOWN_SIDE, in_claim_order, side_of)
from extract.model import EVENT_TYPES
from extract.vocabulary import VOCABULARY

# The conflict zone: Karabakh and the front-line districts, Ganja to the Araz.
CENTER = (39.95, 46.85)
ZOOM = 8
ARABIC_FONTS = '"Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", "Arial", sans-serif'
# Text is put into the page in pieces of at most this many characters: Chromium re-shapes an
# unbreakable Arabic run for every line it wraps it into (a 200,000-letter word took minutes
# to lay out; in pieces, seconds), and a piece boundary is no place to break by itself
TEXT_PIECE = 1000

# One shape per event type (SVG, 20x20 box), drawn in the claimant side's colour: the
# vocabulary's (extract/data/vocabulary.csv)
SHAPES = VOCABULARY.shapes
OTHER_SHAPE = VOCABULARY.other_shape


def shape_svg(event_type: str, color: str, size: int = 18) -> str:
    """A marker/legend icon: constant markup, no data in it."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 20 20" fill="{color}" stroke="#1b1b1b" stroke-width="1.3" '
            f'stroke-linejoin="round">{SHAPES.get(event_type, OTHER_SHAPE)}</svg>')


def _safe_json(obj) -> str:
    """JSON that can sit inside an inline <script>: no '<', '>', '&' or line separators
    survive literally, so no article text can close the script or open a tag."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _frame(incidents) -> pd.DataFrame:
    if isinstance(incidents, pd.DataFrame):
        return incidents
    from dashboard.data import records_frame
    return records_frame(incidents)


def _highlight_span(sentence: str, place_ar: str) -> tuple[int, int]:
    """Where the place's Arabic name sits in the sentence (spelling-insensitive), or (-1,-1)."""
    if not sentence or not place_ar:
        return (-1, -1)
    i = sentence.find(place_ar)
    if i >= 0:
        return (i, i + len(place_ar))
    try:
        from geo.arabic import normalize, normalize_with_map
        norm, index = normalize_with_map(sentence)
        needle = normalize(place_ar).strip()
        j = norm.find(needle) if needle else -1
        if j >= 0:
            return (index[j], index[j + len(needle) - 1] + 1)
    except Exception:
        pass
    return (-1, -1)


def clicked_uid(tooltip: str | None) -> int | None:
    """The uid of the incident whose marker was clicked, from its tooltip's text (which the
    layer ends with " #uid"), or None."""
    m = re.search(r" #(\d+)$", tooltip or "")
    return int(m.group(1)) if m else None


def text_html(text: str) -> str:
    """`text` escaped for HTML, in <span>s of at most TEXT_PIECE characters when longer."""
    if len(text) <= TEXT_PIECE:
        return html.escape(text)
    return "".join(f"<span>{html.escape(text[i:i + TEXT_PIECE])}</span>"
                   for i in range(0, len(text), TEXT_PIECE))


def _string_table(columns: dict[str, pd.Series]) -> tuple[list[str], dict[str, np.ndarray]]:
    """One list of the distinct strings of `columns` (in order of first use) and each column
    as indices into it: repeated sentences, titles and names travel once."""
    codes, uniques = {}, []
    for name, col in columns.items():
        codes[name], u = pd.factorize(col, use_na_sentinel=False)
        uniques.append(np.asarray(u, dtype=object))
    where, strings = pd.factorize(np.concatenate(uniques) if uniques else np.array([], object))
    offset = 0
    for name, u in zip(columns, uniques):
        codes[name] = where[offset:offset + len(u)][codes[name]]
        offset += len(u)
    return [str(v) for v in strings], codes


def _highlights(sentences: list[str], places_ar: list[str], sentence_codes: np.ndarray,
                place_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's place span in its sentence, searched once per distinct (sentence, place)."""
    pair = pd.factorize(sentence_codes.astype(np.int64) * (int(place_codes.max(initial=0)) + 1)
                        + place_codes)[0]
    first_row = np.unique(pair, return_index=True)[1]        # the first row of each pair
    spans = np.array([_highlight_span(sentences[i], places_ar[i]) for i in first_row.tolist()],
                     dtype=np.int64).reshape(-1, 2)
    return spans[pair, 0], spans[pair, 1]


def _codes(values: pd.Series, known: dict[str, int], table: list) -> np.ndarray:
    """Indices of `values` in `table` (a vocabulary list), values it lacks appended to it."""
    for v in values.unique():
        if v not in known:
            known[v] = len(table)
            table.append(v)
    return values.map(known).to_numpy(dtype=np.int64)


def payload(incidents) -> dict:
    """The data the browser builds the map from: one marker per claim (`c`), the claims'
    reports (`r`: a claim's are contiguous, in publication order), the reports' articles
    (`a`: one per copy) and one table (`s`) of every string the others index. Whole
    columns at a time (no Python loop over the rows but one per distinct sentence)."""
    df = in_claim_order(_frame(incidents)).reset_index(drop=True)
    n = len(df)
    match = df["match"].where(df["match"] != "", VOCABULARY.matches[0])
    strings, code = _string_table({
        "place": df["place"], "place_ar": df["place_ar"], "date": df["date"],
        "basis": df["date_basis"], "sentence": df["sentence"],
        "match": match, "title": df["title"], "outlet": df["outlet"], "url": df["url"],
        "published": df["published"], "doc": df["doc"],
        "claim_date": df["claim_date"].fillna(""), "claim_claimant": df["claim_claimant"].fillna(""),
    })
    hl_a, hl_b = _highlights(df["sentence"].tolist(), df["place_ar"].tolist(),
                             code["sentence"], code["place_ar"])
    copy = pd.DataFrame({k: code[k] for k in ("title", "outlet", "url", "published", "doc")})
    article = copy.groupby(list(copy.columns), sort=False).ngroup().to_numpy()
    # a report: what its claim's marker does not say already
    rows = list(zip(code["sentence"].tolist(), article.tolist(), hl_a.tolist(), hl_b.tolist(),
                    code["date"].tolist(), code["basis"].tolist(), code["match"].tolist()))
    # a claim's marker: where its first report is, in its own side's colour and type's shape
    claim = pd.factorize(df["claim_id"])[0]
    first = np.flatnonzero(np.diff(claim, prepend=-1)) if n else np.array([], dtype=np.int64)
    shown = np.diff(np.append(first, n))
    lat = df["lat"].to_numpy(dtype=float)[first].round(5)
    lon = df["lon"].to_numpy(dtype=float)[first].round(5)
    side_idx = {name: i for i, name in enumerate(SIDES)}
    types = list(EVENT_TYPES)
    type_idx = {t: i for i, t in enumerate(types)}
    claim_side = df["claim_side"].iloc[first].map(side_idx).fillna(side_idx[UNKNOWN_SIDE])
    claim_type = _codes(df["claim_event_type"].iloc[first], type_idx, types)
    claims = list(zip(
        lat.tolist(), lon.tolist(), claim_side.astype(np.int64).tolist(), claim_type.tolist(),
        code["place"][first].tolist(), code["place_ar"][first].tolist(),
        code["claim_date"][first].tolist(), code["claim_claimant"][first].tolist(),
        first.tolist(), shown.tolist(), df["claim_reports"].to_numpy(dtype=np.int64)[first].tolist(),
        df["claim_outlets"].to_numpy(dtype=np.int64)[first].tolist(),
        df["uid"].to_numpy(dtype=np.int64)[first].tolist()))
    return {
        "s": strings, "r": rows, "c": claims, "a": copy.drop_duplicates().to_numpy().tolist(),
        "sides": [[n, SIDE_COLORS[n]] for n in SIDES],
        "types": [[t, EVENT_LABELS.get(t, t), SHAPES.get(t, OTHER_SHAPE)] for t in types],
        "claimants": CLAIMANT_LABELS, "bases": DATE_BASIS_LABELS, "matches": MATCH_LABELS,
    }


def payload_json(incidents) -> str:
    """`payload` as script-safe JSON (what the app caches per selection)."""
    return _safe_json(payload(incidents))


class RawElement(Element):
    """Text that goes into the page exactly as given. branca's MacroElement.render wraps
    each rendered macro in `Element(text)`, i.e. a new Jinja template, so the whole text --
    here megabytes of data JSON -- would be parsed and compiled once more (the slowest step
    of a large map) and any `{{ }}`/`{% %}` in article text would run as template code."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


def _macro_text(text: str) -> str:
    # what Jinja would have made of it as a template: one trailing newline dropped
    return text[:-1] if text.endswith("\n") else text


class IncidentStyles(folium.elements.MacroElement):
    """The incident layer's styles (markers, clusters, popups, legend) in the map's header:
    on the base map, so that they stay when the incident group is replaced."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.leaflet-container { background: #e9eef2; font-family: "DejaVu Sans", sans-serif; }
.inc-icon { background: none; border: none; }
.inc-icon svg { display: block; filter: drop-shadow(0 0 1px #fff); }
.inc-cluster { border-radius: 50%; display: flex; align-items: center; justify-content: center;
  box-shadow: 0 0 0 2px rgba(255,255,255,.9), 0 1px 4px rgba(0,0,0,.5); }
.inc-cluster span { background: #fff; border-radius: 50%; color: #111; font: bold 11px/1
  "DejaVu Sans", sans-serif; display: flex; align-items: center; justify-content: center; }
.inc-popup { font: 13px/1.4 "DejaVu Sans", sans-serif; color: #111; max-width: 420px;
  overflow-wrap: anywhere; }
.leaflet-tooltip.inc-tip { white-space: normal; max-width: 360px; overflow-wrap: anywhere; }
.inc-popup h4 { margin: 0 0 4px; font-size: 14px; }
.inc-popup .ar, .inc-tip .ar { font-family: {{ this.arabic_fonts }}; direction: rtl;
  unicode-bidi: isolate; }
.inc-popup .inc-sentence { direction: rtl; text-align: right; unicode-bidi: isolate;
  font-family: {{ this.arabic_fonts }}; font-size: 16px; line-height: 1.7;
  margin: 6px 0; padding: 6px 8px; background: #f7f7f2; border-right: 4px solid #888; }
.inc-popup .inc-report { border-top: 1px solid #d6d6d0; margin-top: 8px; padding-top: 4px; }
.inc-popup .inc-source { color: #333; font-weight: bold; font-size: 12px; }
.inc-popup mark { background: #ffe066; color: #000; padding: 0 2px; border-radius: 2px; }
.inc-popup table { border-collapse: collapse; }
.inc-popup td { padding: 1px 6px 1px 0; vertical-align: top; }
.inc-popup td:first-child { color: #555; white-space: nowrap; }
.inc-legend { background: rgba(255,255,255,.94); padding: 6px 8px; border-radius: 4px;
  font: 12px/1.35 "DejaVu Sans", sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.35);
  max-height: 420px; overflow: auto; }
.inc-legend b { display: block; margin: 4px 0 2px; }
.inc-legend .row { display: flex; align-items: center; gap: 5px; }
.basemap-label { color: #444; font: 11px/1.2 "DejaVu Sans", sans-serif; white-space: nowrap;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff; pointer-events: none; }
.basemap-label .ar { font-family: {{ this.arabic_fonts }}; }
.inc-legend .sw { width: 12px; height: 12px; border: 1px solid #333; display: inline-block; }
</style>
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "IncidentStyles"
        self.arabic_fonts = ARABIC_FONTS

    def render(self, **kwargs):
        # as MacroElement.render, with raw text instead of Element(text)
        self.get_root().header.add_child(
            RawElement(_macro_text(self._template.module.header(self, kwargs))),
            name=self.get_name())


class IncidentLayer(JSCSSMixin, folium.elements.MacroElement):
    """Clustered claim markers + legend, built in the browser from one data array.

    `render` puts the script macro into the page as `RawElement`s (the data is
    in the script); `_template.module.script(layer)`, which streamlit-folium calls, is
    unchanged."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var D = {{ this.data_json }};
  // the layer goes into its parent (the map, or the feature group streamlit-folium swaps
  // on a filter change without reloading the map); the legend goes on the map
  var S = D.s, target = {{ this._parent.get_name() }}, map = {{ this.map_name() }};
  if (window.incidentLegend) window.incidentLegend.remove();
  function esc(v) {
    return String(v).replace(/[&<>"'`=\\/]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }
  function put(e, text) {          // text nodes of at most TEXT_PIECE characters
    text = String(text);
    for (var i = 0; i < text.length; i += {{ this.text_piece }}) {
      e.appendChild(document.createTextNode(text.slice(i, i + {{ this.text_piece }})));
    }
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) put(e, text);
    return e;
  }
  var icons = {};
  function icon(side, type) {
    var k = side + ":" + type;
    if (!icons[k]) {
      icons[k] = L.divIcon({
        className: "inc-icon", iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8],
        tooltipAnchor: [9, 0],
        html: '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 20 20" fill="'
          + D.sides[side][1] + '" stroke="#1b1b1b" stroke-width="1.3" stroke-linejoin="round">'
          + D.types[type][2] + "</svg>"
      });
    }
    return icons[k];
  }
  function row(tbl, label, value, ar) {
    var tr = el("tr"), v = el("td", ar ? "ar" : "", value);
    if (ar) v.dir = "rtl";
    tr.appendChild(el("td", "", label)); tr.appendChild(v); tbl.appendChild(tr);
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  // a claim c: [lat, lon, side, type, place, place_ar, date, claimant, first report,
  // reports shown, reports, outlets, uid]; its reports are D.r[c[8]] .. D.r[c[8] + c[9] - 1]
  function popup(c) {
    var box = el("div", "inc-popup"), claimant = S[c[7]];
    box.appendChild(el("h4", "", S[c[4]] + " · " + D.types[c[3]][1]));
    var tbl = el("table");
    row(tbl, "Place", S[c[4]]);
    row(tbl, "Arabic", S[c[5]], true);
    row(tbl, "Event", D.types[c[3]][1]);
    row(tbl, "Claimant", (D.claimants[claimant] || claimant) + " (" + D.sides[c[2]][0] + ")");
    row(tbl, "Date", S[c[6]] || "unknown");
    row(tbl, "Carried by", plural(c[10], "report") + " from " + plural(c[11], "outlet")
        + (c[9] < c[10] ? " (" + c[9] + " match the filters)" : ""));
    box.appendChild(tbl);
    for (var k = c[8]; k < c[8] + c[9]; k++) box.appendChild(report(D.r[k]));
    return box;
  }
  // a report r: [sentence, article, highlight start, highlight end, date, date basis, match]
  function report(r) {
    var box = el("div", "inc-report"), art = D.a[r[1]], basis = S[r[5]];
    var title = S[art[0]], outlet = S[art[1]], url = S[art[2]], pub = S[art[3]];
    box.appendChild(el("div", "inc-source", [outlet || "no outlet",
      pub ? "published " + pub : "publication date unknown"].join(", ")));
    var sent = el("div", "inc-sentence");
    sent.dir = "rtl"; sent.lang = "ar";
    var t = S[r[0]], a = r[2], b = r[3];
    if (a >= 0 && b > a && b <= t.length) {
      put(sent, t.slice(0, a));
      sent.appendChild(el("mark", "", t.slice(a, b)));
      put(sent, t.slice(b));
    } else {
      put(sent, t);
    }
    box.appendChild(sent);
    var tbl = el("table");
    var how = D.matches[S[r[6]]];
    if (how) row(tbl, "Found", how);
    row(tbl, "Date", (S[r[4]] || "unknown") + " — " + (D.bases[basis] || basis || "unknown"));
    var tr = el("tr"), td = el("td");
    tr.appendChild(el("td", "", "Article"));
    var name = el("span", title ? "ar" : "", title || S[art[4]]);
    if (title) name.dir = "auto";
    if (/^https?:\\/\\//i.test(url)) {
      var link = el("a");
      link.href = url; link.target = "_blank"; link.rel = "noopener noreferrer";
      link.appendChild(name); td.appendChild(link);
    } else {
      td.appendChild(name);
    }
    tr.appendChild(td); tbl.appendChild(tr);
    box.appendChild(tbl);
    return box;
  }
  var cluster = L.markerClusterGroup({
    chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
    // clicks are ours (below): zoom with a margin, spread a stack only if it fits the view
    zoomToBoundsOnClick: false, spiderfyOnMaxZoom: false,
    iconCreateFunction: function (c) {
      var ms = c.getAllChildMarkers(), n = ms.length, counts = {}, i;
      for (i = 0; i < n; i++) { var sd = ms[i].options.side; counts[sd] = (counts[sd] || 0) + 1; }
      var stops = [], acc = 0;
      for (i = 0; i < D.sides.length; i++) {
        if (!counts[i]) continue;
        var from = acc; acc += counts[i] / n * 100;
        stops.push(D.sides[i][1] + " " + from.toFixed(2) + "% " + acc.toFixed(2) + "%");
      }
      var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 50, inner = size - 12;
      return L.divIcon({
        className: "inc-cluster-icon", iconSize: [size, size],
        html: '<div class="inc-cluster" style="width:' + size + 'px;height:' + size
          + 'px;background:conic-gradient(' + stops.join(",") + ')"><span style="width:'
          + inner + 'px;height:' + inner + 'px">' + n + "</span></div>"
      });
    }
  });
  var SPREAD_MAX = 40;   // a larger stack at one point would spiral out of the view
  cluster.on("clusterclick", function (e) {
    var c = e.layer, b = c.getBounds(), n = c.getChildCount();
    var onePoint = b.getNorthEast().equals(b.getSouthWest());
    if (!onePoint && map.getZoom() < map.getMaxZoom()) {
      c.zoomToBounds({padding: [40, 40]});        // every marker of it inside the map
    } else if (n <= SPREAD_MAX) {
      c.spiderfy();
    } else {
      var box = el("div", "inc-popup");
      box.appendChild(el("h4", "", n + " claims at this point"));
      box.appendChild(el("div", "", "Too many to spread here: they are listed under the map."));
      L.popup({maxWidth: 320}).setLatLng(c.getLatLng()).setContent(box).openOn(map);
    }
  });
  var markers = new Array(D.c.length);
  for (var i = 0; i < D.c.length; i++) {
    (function (c, i) {
      var m = L.marker([c[0], c[1]], {icon: icon(c[2], c[3]), side: c[2], uid: c[12]});
      // the uid of the claim's first report, unseen, ends the tooltip: streamlit-folium
      // reports a click with the tooltip's text, and with the marker's position, which is
      // not its place's once a stack is spread
      m.bindTooltip(
        esc(S[c[4]]) + ' <span class="ar" dir="rtl">' + esc(S[c[5]]) + "</span> · "
        + esc(S[c[6]] || "date unknown") + " · " + esc(D.types[c[3]][1]) + " · "
        + plural(c[11], "outlet") + "<span hidden> #" + c[12] + "</span>",
        {direction: "top", className: "inc-tip"});
      // maxHeight: a sentence of one 200,000-letter word scrolls instead of filling the page
      m.bindPopup(function () { return popup(c); }, {maxWidth: 440, minWidth: 260, maxHeight: 440});
      markers[i] = m;
    })(D.c[i], i);
  }
  cluster.addLayers(markers);
  cluster.addTo(target);

  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var box = el("div", "inc-legend");
    box.appendChild(el("div", "inc-count", plural(D.c.length, "claim") + " · "
                       + plural(D.r.length, "report")));
    box.lastChild.setAttribute("data-count", String(D.c.length));
    box.appendChild(el("b", "", "Claimant side"));
    D.sides.forEach(function (sd) {
      var r = el("div", "row"), sw = el("span", "sw");
      sw.style.background = sd[1]; r.appendChild(sw); r.appendChild(el("span", "", sd[0]));
      box.appendChild(r);
    });
    box.appendChild(el("b", "", "Event type"));
    D.types.forEach(function (tp) {
      var r = el("div", "row"), ic = el("span");
      ic.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" width="13" height="13" viewBox="0 0 20 20" fill="#777" stroke="#1b1b1b" stroke-width="1.3">' + tp[2] + "</svg>";
      r.appendChild(ic); r.appendChild(el("span", "", tp[1])); box.appendChild(r);
    });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legend.addTo(map);
  window.incidentLegend = legend;
  window.incidentLayer = cluster;
  window.claimCount = D.c.length;        // markers drawn
  window.reportCount = D.r.length;
  window.incidentDraws = (window.incidentDraws || 0) + 1;   // one more drawing of the layer
  return cluster;
})();
{% endmacro %}
""")

    default_js = [("markerclusterjs", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/"
                   "1.5.3/leaflet.markercluster.js")]
    default_css = [("markerclustercss", "https://cdnjs.cloudflare.com/ajax/libs/"
                    "leaflet.markercluster/1.5.3/MarkerCluster.css")]

    def __init__(self, incidents=None, data_json: str | None = None):
        super().__init__()
        self._name = "IncidentLayer"
        self.text_piece = TEXT_PIECE
        self.data_json = data_json if data_json is not None else payload_json(incidents)

    def map_name(self) -> str:
        el = self._parent
        while not isinstance(el, folium.Map):
            el = el._parent
        return el.get_name()

    def render(self, **kwargs):
        # JSCSSMixin.render + MacroElement.render, with raw text instead of Element(text)
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        module = self._template.module
        figure.script.add_child(RawElement(_macro_text(module.script(self, kwargs))),
                                name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


# Countries drawn by the offline base layer (ISO 3166 numeric, as world-atlas ids them)
BASEMAP_COUNTRIES = {"051": "Armenia", "031": "Azerbaijan", "268": "Georgia", "364": "Iran",
                     "792": "Turkey", "643": "Russia"}


@functools.lru_cache(maxsize=1)
def _basemap_places() -> tuple[list, ...]:
    """District and province names and centres from the gazetteer, for the offline layer."""
    from geo.gazetteer import load_gazetteer
    seen, out = set(), []
    for p in load_gazetteer():
        if p.kind in ("district", "province", "capital", "city") and p.name_en not in seen:
            seen.add(p.name_en)      # a district and its town of one name: one label
            out.append([p.name_en, (p.names_ar or [""])[0], round(p.lat, 4), round(p.lon, 4)])
    return tuple(out)


class OfflineBasemap(JSCSSMixin, folium.elements.MacroElement):
    """A base layer from files installed with the project: Natural Earth's borders and
    coasts (world-atlas, fetched from the app's own static folder) and the gazetteer's
    districts, provinces and cities. With no tile layer it is the background; beside one it
    is a choice in the layer control, and the map switches to it by itself when tiles fail."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }}, places = {{ this.places_json }};
  var countries = {{ this.countries_json }}, url = {{ this.data_url_json }};
  var layer = L.layerGroup(), loaded = false;
  function label(name, ar) {
    var box = document.createElement("div"), en = document.createElement("span");
    en.textContent = name; box.appendChild(en);
    if (ar) {
      var a = document.createElement("span");
      a.className = "ar"; a.dir = "rtl"; a.textContent = " " + ar; box.appendChild(a);
    }
    return box;
  }
  function load() {
    if (loaded) return;
    loaded = true;
    fetch(url).then(function (r) { return r.json(); }).then(function (world) {
      var fc = topojson.feature(world, world.objects.countries);
      fc.features = fc.features.filter(function (f) { return countries[f.id]; });
      L.geoJSON(fc, {interactive: false, style: {color: "#6b6b6b", weight: 1.2,
        fillColor: "#f3f0e8", fillOpacity: 1}}).addTo(layer);
      window.basemapCountries = fc.features.length;
    }).catch(function (e) { window.basemapError = String(e); });
    places.forEach(function (p) {
      L.marker([p[2], p[3]], {interactive: false, keyboard: false, icon: L.divIcon({
        className: "basemap-label", iconSize: null, html: label(p[0], p[1])})}).addTo(layer);
    });
  }
  layer.on("add", load);
  var tiles = [];
  map.eachLayer(function (l) { if (l instanceof L.TileLayer) tiles.push(l); });
  if (!tiles.length) {
    layer.addTo(map);
  } else {
    L.control.layers({"Map tiles (online)": tiles[0], "Offline outline": layer}, null,
                     {position: "topleft", collapsed: true}).addTo(map);
    var failed = 0;
    tiles[0].on("tileerror", function () {   // a closed network: fall back by itself
      if (++failed === 3 && map.hasLayer(tiles[0])) {
        map.removeLayer(tiles[0]);
        layer.addTo(map);
        window.basemapFellBack = true;
      }
    });
  }
  window.basemapLayer = layer;
})();
{% endmacro %}
""")

    default_js = [("topojson", "https://cdn.jsdelivr.net/npm/topojson-client@3")]

    def __init__(self, data_url: str):
        super().__init__()
        self._name = "OfflineBasemap"
        self.places_json = _safe_json(list(_basemap_places()))
        self.countries_json = _safe_json(BASEMAP_COUNTRIES)
        self.data_url_json = _safe_json(data_url)


def _base_map(tiles: str | None, attribution: str | None,
              asset_base: str = assets.COMPONENT_BASE) -> folium.Map:
    # maxZoom: the cluster layer needs one even when no tile layer sets it
    m = folium.Map(location=list(CENTER), zoom_start=ZOOM, tiles=None, control_scale=True)
    m.options["maxZoom"], m.options["minZoom"] = 18, 3
    IncidentStyles().add_to(m)
    t = (tiles or "none").strip()
    if t.lower() in ("osm", "openstreetmap"):
        folium.TileLayer("OpenStreetMap").add_to(m)
    elif t.lower() not in ("none", "off", ""):
        folium.TileLayer(tiles=t, attr=attribution or "Local tiles", max_zoom=18).add_to(m)
    OfflineBasemap(f"{asset_base.rstrip('/')}/{assets.DATA['countries']}").add_to(m)
    return m


def build_map(incidents, tiles: str | None = "osm", asset_base: str = assets.COMPONENT_BASE,
              attribution: str | None = None, data_json: str | None = None) -> folium.Map:
    """The dashboard's map. `incidents`: the dashboard DataFrame or a list of agreed record
    dicts. `tiles`: "osm" (online OpenStreetMap), None/"none" (plain background) or a tile URL
    template (e.g. a local tile server). Every script and style comes from `asset_base`.
    `data_json`: a cached `payload_json(incidents)` (then `incidents` is not read)."""
    m = _base_map(tiles, attribution, asset_base)
    IncidentLayer(incidents, data_json=data_json).add_to(m)
    return assets.localize(m, asset_base)


def incident_group(data_json: str, asset_base: str = assets.COMPONENT_BASE) -> folium.FeatureGroup:
    """The incident layer in a feature group of its own, for `st_folium(base_map,
    feature_group_to_add=...)`: a new selection replaces the group inside the map already
    drawn, instead of reloading the map's frame, its scripts and its tiles."""
    group = folium.FeatureGroup(name="Incidents", control=False)
    IncidentLayer(data_json=data_json).add_to(group)
    return assets.localize(group, asset_base)


def base_map(tiles: str | None = "osm", asset_base: str = assets.COMPONENT_BASE,
             attribution: str | None = None) -> folium.Map:
    """The map without incidents (background and controls), to which `incident_group` goes."""
    return assets.localize(_base_map(tiles, attribution, asset_base), asset_base)


def build_map_naive(incidents, tiles: str | None = "osm",
                    asset_base: str = assets.COMPONENT_BASE) -> folium.Map:
    """Baseline for the benchmark: one folium.Marker with an HTML popup per incident."""
    df = _frame(incidents)
    m = _base_map(tiles, None, asset_base)
    cluster = MarkerCluster().add_to(m)
    for r in df.to_dict("records"):
        side = side_of(r["claimant"])
        e = {k: html.escape(str(r.get(k, "") or "")) for k in
             ("place", "place_ar", "date", "date_basis", "claimant", "sentence", "title",
              "outlet", "event_type")}
        body = (f'<div class="inc-popup"><h4>{e["place"]}</h4>'
                f'<div dir="rtl" style="font-family:{html.escape(ARABIC_FONTS)}">'
                f'{e["sentence"]}</div><div>{e["event_type"]} · {e["claimant"]} · '
                f'{e["date"]} ({e["date_basis"]})</div><div>{e["title"]} {e["outlet"]}</div>'
                "</div>")
        folium.Marker(
            [float(r["lat"]), float(r["lon"])],
            popup=folium.Popup(body, max_width=420),
            tooltip=f'{e["place"]} · {e["date"]} · {e["event_type"]}',
            icon=folium.DivIcon(html=shape_svg(r["event_type"], SIDE_COLORS[side]),
                                icon_size=(18, 18), icon_anchor=(9, 9)),
        ).add_to(cluster)
    return assets.localize(m, asset_base)
