"""Sample incident records for the dashboard's tests and benchmarks, without the pipeline.

`seed_records()`: incidents of the bundled seed articles (hand-coded, as the evaluation's
gold lists them), each with its real source sentence cut from seeds/*.txt.
`synthetic(n)`: n records made from those (dates, claimants and positions varied) for load
tests of the map.
"""
from __future__ import annotations

import csv
import random
import re
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

# doc, place, place_ar (as written), lat, lon, precision, event_type, claimant, date,
# date_basis, a fragment of the sentence
_SEED_INCIDENTS = [
    ("000_bcd88fbf1b362250", "Goranboy", "غوران بوي", 40.610, 46.790, "district", "shelling", "az_mod", "2020-10-08", "published", "غوران بوي"),
    ("000_bcd88fbf1b362250", "Tartar", "ترتر", 40.342, 46.932, "district", "shelling", "az_mod", "2020-10-08", "published", "وترتر"),
    ("000_bcd88fbf1b362250", "Aghdam", "آغدام", 39.993, 46.930, "district", "shelling", "az_mod", "2020-10-08", "published", "وآغدام"),
    ("000_bcd88fbf1b362250", "Aghjabadi", "أغجه بدي", 40.053, 47.459, "district", "shelling", "az_mod", "2020-10-08", "published", "وأغجه بدي"),
    ("000_bcd88fbf1b362250", "Barda", "بردي", 40.374, 47.126, "district", "shelling", "az_mod", "2020-10-08", "published", "وبردي"),
    ("001_c54f41809b093bc8", "Tonashen", "طوناشن", 40.196, 46.622, "settlement", "destruction", "az_mod", "2020-11-05", "published", "قرية طوناشن"),
    ("001_c54f41809b093bc8", "Aghdara", "آغدره", 40.213, 46.812, "district", "armed_clash", "az_mod", "2020-11-04", "weekday", "جبهتي آغدره وخوجافند"),
    ("001_c54f41809b093bc8", "Khojavend", "خوجافند", 39.792, 47.112, "district", "armed_clash", "az_mod", "2020-11-04", "weekday", "جبهتي آغدره وخوجافند"),
    ("001_c54f41809b093bc8", "Barda", "بردة", 40.374, 47.126, "settlement", "shelling", "az_prosecutor", "2020-10-28", "explicit", "على مدينة بردة"),
    ("001_c54f41809b093bc8", "Mirak", "ميراك", 39.360, 46.930, "settlement", "territory_change", "az_president", "2020-11-04", "relative", "قريتي ميراك وقاودار"),
    ("001_c54f41809b093bc8", "Gavdar", "قاودار", 39.372, 46.952, "settlement", "territory_change", "az_president", "2020-11-04", "relative", "قريتي ميراك وقاودار"),
    ("001_c54f41809b093bc8", "Basharat", "باشارات", 39.352, 46.620, "settlement", "territory_change", "az_president", "2020-11-04", "relative", "باشارات، قره كيشيلر"),
    ("001_c54f41809b093bc8", "Stepanakert", "ستيباناكيرت", 39.822, 46.752, "settlement", "shelling", "am_government", "2020-11-04", "weekday", "مدينتي ستيباناكيرت وشوشا"),
    ("001_c54f41809b093bc8", "Shusha", "شوشا", 39.758, 46.750, "settlement", "shelling", "am_government", "2020-11-04", "weekday", "مدينتي ستيباناكيرت وشوشا"),
    ("002_6cc9c1c7d50e6349", "Hadrut", "هاردوت", 39.520, 47.031, "settlement", "territory_change", "az_mod", "2020-10-09", "published", "بلدة \"هاردوت\""),
    ("002_6cc9c1c7d50e6349", "Mingachevir", "مينغاشيفير", 40.764, 47.059, "settlement", "shootdown", "az_mod", "2020-10-09", "published", "مدينة مينغاشيفير"),
    ("003_cf2544d119aa8574", "Girkhgiz", "قرق قز", 39.780, 46.640, "feature", "armed_clash", "az_mod", "2022-08-03", "published", "منطقة قرق قز"),
    ("003_cf2544d119aa8574", "Lachin corridor", "لاشين", 39.630, 46.550, "feature", "armed_clash", "unattributed", "2022-08-03", "published", "ممر \"لاشين\""),
    ("003_cf2544d119aa8574", "Saribaba", "ساريبابا", 39.840, 46.600, "feature", "ceasefire_violation", "ru_mod", "2022-08-03", "published", "منطقة ساريبابا"),
    ("004_05d92e38bd41a188", "Tonashen", "توناشين", 40.196, 46.622, "settlement", "withdrawal", "az_mod", "2020-09-30", "published", "قرية \"توناشين\""),
]

_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n\s*\n")


def _manifest(seeds: Path) -> dict[str, dict]:
    path = seeds / "manifest.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {Path(r["file"]).stem: r for r in csv.DictReader(f)}


def _sentence(text: str, fragment: str) -> tuple[str, int, int]:
    text = "\n".join(l for l in text.splitlines() if not l.strip().startswith("اقرأ أيضا"))
    flat = re.sub(r"\s*\n\s*", " ", text)
    i = flat.find(fragment)
    if i < 0:
        return fragment, 0, len(fragment)
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(flat)]
    a = max(s for s in starts if s <= i)
    ends = [m.start() for m in _SENTENCE_END.finditer(flat) if m.start() >= i + len(fragment)]
    b = ends[0] if ends else len(flat)
    return flat[a:b].strip(), a, b


def seed_records(seeds: Path = SEEDS) -> list[dict]:
    """The seed articles' incidents as the store's record dicts."""
    manifest = _manifest(seeds)
    texts: dict[str, str] = {}
    out = []
    for (doc, place, place_ar, lat, lon, precision, etype, claimant, day, basis,
         fragment) in _SEED_INCIDENTS:
        if doc not in texts:
            p = seeds / f"{doc}.txt"
            texts[doc] = p.read_text(encoding="utf-8") if p.exists() else ""
        sentence, a, b = _sentence(texts[doc], fragment)
        meta = manifest.get(doc, {})
        out.append({
            "doc": doc, "place": place, "place_ar": place_ar, "geonames_id": "",
            "lat": lat, "lon": lon, "precision": precision, "event_type": etype,
            "claimant": claimant, "date": day, "date_basis": basis, "sentence": sentence,
            "sentence_start": a, "sentence_end": b, "place_id": place.lower().replace(" ", "_"),
            "article_id": doc, "file_name": f"{doc}.txt", "published": meta.get("published", ""),
            "outlet": meta.get("outlet", ""), "url": meta.get("url", ""),
            "title": meta.get("title", ""),
        })
    return out


def synthetic(n: int, seed: int = 7, seeds: Path = SEEDS) -> list[dict]:
    """n records varied from the seed incidents (for load tests; not real claims)."""
    from extract.model import CLAIMANTS, EVENT_TYPES
    rng = random.Random(seed)
    base = seed_records(seeds)
    claimants = list(CLAIMANTS)
    start = date(2020, 9, 27)
    out = []
    for i in range(n):
        r = dict(base[i % len(base)])
        r["lat"] = round(r["lat"] + rng.uniform(-0.25, 0.25), 5)
        r["lon"] = round(r["lon"] + rng.uniform(-0.25, 0.25), 5)
        r["claimant"] = rng.choice(claimants)
        r["event_type"] = rng.choice(EVENT_TYPES)
        r["date"] = (start + timedelta(days=rng.randrange(45))).isoformat()
        r["doc"] = r["article_id"] = f"synthetic_{i // 20:05d}"
        r["title"] = f"Synthetic article {i // 20}"
        out.append(r)
    return out
