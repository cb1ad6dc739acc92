"""Online suggestions through geopy's Nominatim (OpenStreetMap) for names the gazetteer lacks.

Used only when asked for: `python -m extract unresolved PATH --geocoder nominatim` adds
OpenStreetMap's answer for each unresolved name, for a curator to check and add to the
gazetteer. Extraction itself never goes online: its output depends on the gazetteer alone.
Nominatim's usage policy asks for at most one request a second and a real user agent;
answers (found or not) are cached in a JSON file so a name is asked once. Results are
marked source="nominatim" and kept only inside the conflict region.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from geo.arabic import normalize
from geo.gazetteer import Place

ENV_CACHE = "KARABAKH_NOMINATIM_CACHE"
DEFAULT_CACHE = Path.home() / ".cache" / "karabakh-incidents" / "nominatim.json"
USER_AGENT = "karabakh-incidents/0.1 (Arabic conflict-report geocoder)"
COUNTRY_CODES = ("az", "am", "ir", "ge")
# south, north, west, east: answers outside are not the place a Karabakh report means
REGION_BBOX = (38.3, 41.95, 43.4, 50.7)
_KINDS = {"city": "city", "town": "town", "village": "village", "hamlet": "village",
          "suburb": "village", "municipality": "town", "county": "district", "state": "province",
          "peak": "heights", "ridge": "heights", "mountain_range": "heights", "reservoir": "reservoir"}


def _key(name: str) -> str:
    return " ".join(normalize(name).split())


@dataclass
class NominatimFallback:
    """Cached, rate-limited Nominatim look-ups. `geocoder` is anything with geopy's
    `geocode(query, **kwargs)`; tests pass a fake, production leaves it None (geopy's)."""
    cache_path: Path = field(default_factory=lambda: Path(os.environ.get(ENV_CACHE) or DEFAULT_CACHE))
    geocoder: Any = None
    min_interval: float = 1.0               # seconds between requests (Nominatim policy)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 10.0
    _cache: Optional[dict[str, Any]] = field(default=None, init=False, repr=False)
    _last: Optional[float] = field(default=None, init=False, repr=False)
    requests: int = field(default=0, init=False)

    def _geocoder(self) -> Any:
        if self.geocoder is None:
            from geopy.geocoders import Nominatim
            self.geocoder = Nominatim(user_agent=USER_AGENT, timeout=self.timeout)
        return self.geocoder

    def _load(self) -> dict[str, Any]:
        if self._cache is None:
            try:
                self._cache = json.loads(Path(self.cache_path).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache = {}        # no cache yet, or a broken one: start afresh
        return self._cache

    def _save(self) -> None:
        path = Path(self.cache_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename, so a crash never leaves half a cache
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".nominatim-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self._cache, f, ensure_ascii=False, indent=0, sort_keys=True)
        os.replace(tmp, path)

    def _wait_turn(self) -> None:
        if self._last is not None:
            gap = self.clock() - self._last
            if gap < self.min_interval:
                self.sleep(self.min_interval - gap)
        self._last = self.clock()

    def _ask(self, query: str) -> Optional[dict[str, Any]]:
        self._wait_turn()
        self.requests += 1
        loc = self._geocoder().geocode(query, exactly_one=True, language="en",
                                       country_codes=list(COUNTRY_CODES))
        if loc is None:
            return None
        raw = dict(getattr(loc, "raw", {}) or {})
        return {"lat": float(loc.latitude), "lon": float(loc.longitude),
                "address": str(getattr(loc, "address", "") or ""),
                "name": str(raw.get("name") or ""), "type": str(raw.get("addresstype") or raw.get("type") or ""),
                "osm": f"{raw.get('osm_type', '')}{raw.get('osm_id', '')}"}

    def lookup(self, name_ar: str) -> Optional[Place]:
        """The place Nominatim finds for an Arabic name (cached), or None."""
        key = _key(name_ar)
        if not key:
            return None
        cache = self._load()
        if key not in cache:
            cache[key] = self._ask(name_ar.strip())
            self._save()
        hit = cache[key]
        if not hit:
            return None
        s, n, w, e = REGION_BBOX
        if not (s <= hit["lat"] <= n and w <= hit["lon"] <= e):
            return None
        name_en = hit.get("name") or hit.get("address", "").split(",")[0].strip() or name_ar.strip()
        ident = hit.get("osm") or hashlib.sha1(key.encode()).hexdigest()[:10]
        return Place(id=f"nominatim-{ident}", name_en=name_en, names_ar=(name_ar.strip(),), name_az="",
                     name_hy="", kind=_KINDS.get(hit.get("type", ""), "settlement"), parent="",
                     lat=hit["lat"], lon=hit["lon"], geonames_id="", source="nominatim")
