"""The browser libraries the map needs, served by the app itself instead of a CDN.

`python -m dashboard.assets` copies them from `dashboard/node_modules` (filled by
`npm install` from `dashboard/package.json`, see scripts/install.sh) into
`dashboard/static/vendor/`, which Streamlit serves at `/app/static/vendor/` once
`server.enableStaticServing` is on. Nothing third-party is committed.

`localize(map)` rewrites every Folium element's `default_js`/`default_css` to those local
URLs and drops what the dashboard does not use (Bootstrap, Font Awesome, awesome-markers),
so neither Folium's own HTML nor streamlit-folium's loader ever names another host.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import folium
import folium.elements

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
STATIC = HERE / "static"
VENDOR = STATIC / "vendor"

# vendor path -> path inside node_modules
FILES: dict[str, str] = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "leaflet.markercluster/leaflet.markercluster.js":
        "leaflet.markercluster/dist/leaflet.markercluster.js",
    "leaflet.markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "leaflet.markercluster/MarkerCluster.Default.css":
        "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "jquery/jquery.min.js": "jquery/dist/jquery.min.js",
    # the offline base layer: Natural Earth's country borders and coasts (1:10m)
    "world-atlas/countries-10m.json": "world-atlas/countries-10m.json",
    "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    # each package's licence travels with its code
    "leaflet/LICENSE": "leaflet/LICENSE",
    "leaflet.markercluster/MIT-LICENCE.txt": "leaflet.markercluster/MIT-LICENCE.txt",
    "jquery/LICENSE.txt": "jquery/LICENSE.txt",
    "world-atlas/LICENSE": "world-atlas/LICENSE",
    "topojson-client/LICENSE": "topojson-client/LICENSE",
}

# Where the st_folium component's iframe (/component/streamlit_folium.st_folium/index.html)
# finds /app/static/vendor/: relative, so a server.baseUrlPath keeps working.
COMPONENT_BASE = "../../app/static/vendor"

# Folium resource name -> vendor file. Anything a Folium element asks for that is not
# here is dropped (the dashboard draws its own SVG markers: no Bootstrap/Font Awesome).
JS = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "topojson": "topojson-client/topojson-client.min.js",
}
# data files the page fetches itself (not scripts or styles)
DATA = {"countries": "world-atlas/countries-10m.json"}
CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css",
}


def missing(vendor: Path = VENDOR) -> list[str]:
    """Vendor files not in place (empty when the map can load offline)."""
    return [rel for rel in FILES if not (vendor / rel).is_file()]


def install(node_modules: Path = NODE_MODULES, vendor: Path = VENDOR) -> list[str]:
    """Copy the needed files from node_modules into static/vendor; return what was copied."""
    absent = [src for src in FILES.values() if not (node_modules / src).is_file()]
    if absent:
        raise FileNotFoundError(
            "not in %s (run `npm install` in dashboard/): %s" % (node_modules, ", ".join(absent)))
    copied = []
    for rel, src in FILES.items():
        dest = vendor / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / src, dest)
        copied.append(rel)
    return copied


def localize(m: folium.Element, base: str = COMPONENT_BASE) -> folium.Element:
    """Point every element of the map (or of a layer group) at the local copies; drop the
    rest. Returns `m`."""
    base = base.rstrip("/")

    def walk(el):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    for el in walk(m):
        if isinstance(el, folium.elements.JSCSSMixin):
            # instance attributes: never mutate Folium's class-level lists
            el.default_js = [(n, f"{base}/{JS[n]}") for n, _ in type(el).default_js if n in JS]
            el.default_css = [(n, f"{base}/{CSS[n]}") for n, _ in type(el).default_css
                              if n in CSS]
    return m


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--check":
        gone = missing()
        for rel in gone:
            print("missing:", VENDOR / rel, file=sys.stderr)
        return 1 if gone else 0
    copied = install()
    print(f"dashboard assets: {len(copied)} files in {VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
