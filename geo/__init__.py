"""Gazetteer loading, validation and place resolution.

- geo.gazetteer: load_gazetteer() -> Gazetteer of Place records (gazetteer.csv, validated)
- geo.resolve: resolve() picks among places sharing a spelling, using sentence context
- geo.geonames: lookup_arabic() offline fallback on GeoNames' Arabic alternate names
- geo.nominatim: optional, explicitly enabled online fallback (cached, 1 request/s)
- python -m geo check | unresolved

gazetteer.csv `source` values: `geonames:cities500` (coordinates of that GeoNames point),
`geonames:<id> (admin centre)` (a district placed at its administrative centre's GeoNames
point), `wikipedia` / `wikipedia-approx` (coordinates as given by the English Wikipedia
article, rounded), `estimate` (position known to within a few km only; verify before
precise use).
"""
from geo.gazetteer import Gazetteer, GazetteerError, Place, load_gazetteer, DEFAULT_GAZETTEER

__all__ = ["Gazetteer", "GazetteerError", "Place", "load_gazetteer", "DEFAULT_GAZETTEER"]
