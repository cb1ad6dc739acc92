"""Sample incident records for the dashboard's tests, without the pipeline (test data: it lives
here, not in dashboard/, which spells no vocabulary code).

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
        r["file_name"] = r["doc"] + ".txt"
        r["title"] = f"Synthetic article {i // 20}"
        out.append(r)
    return out


def write_store(db_path, records, extractor_version: str = "sample") -> None:
    """Put records (the store's record dicts) into a real store at `db_path`, through
    extract.store, without running extraction: each doc becomes an article whose text is
    its sentences, and offsets are rewritten to index that text."""
    from datetime import date as _date

    from extract import store
    from extract.model import Article, ArticleMeta, ArticleResult, Incident

    by_doc: dict[str, list[dict]] = {}
    for r in records:
        by_doc.setdefault(r["doc"], []).append(r)
    conn = store.connect(db_path)
    try:
        for doc, recs in by_doc.items():
            sentences = list(dict.fromkeys(r["sentence"] for r in recs))
            head = recs[0].get("title") or doc   # keeps each doc's text (its identity) unique
            text = "\n".join([head] + sentences)
            starts, pos = {}, len(head) + 1
            for s in sentences:
                starts[s] = pos
                pos += len(s) + 1
            first = recs[0]
            pub = first.get("published") or ""
            meta = ArticleMeta(file=first.get("file_name") or f"{doc}.txt",
                               published=_date.fromisoformat(pub) if pub else None,
                               outlet=first.get("outlet", ""), url=first.get("url", ""),
                               title=first.get("title", ""))
            incidents = tuple(Incident(
                doc=doc, place=r["place"], place_ar=r["place_ar"],
                geonames_id=r.get("geonames_id", ""), lat=r["lat"], lon=r["lon"],
                precision=r.get("precision", "settlement"), event_type=r["event_type"],
                claimant=r["claimant"], date=r["date"], date_basis=r["date_basis"],
                sentence=r["sentence"], sentence_start=starts[r["sentence"]],
                sentence_end=starts[r["sentence"]] + len(r["sentence"]),
                place_id=r.get("place_id", "")) for r in recs)
            article = Article(doc=doc, path="", text=text, meta=meta)
            store.save_article(conn, article, ArticleResult(doc, incidents),
                               store.content_hash(text), extractor_version)
        store.rebuild_claims(conn)          # as an ingest run ends
    finally:
        conn.close()


# A sentence an attacker could plant in an article: it must show as text, never run.
HOSTILE_SENTENCE = ('وقالت مصادر إن قصفا استهدف قرية <script>window.__pwned=1</script> '
                    'خوجالي <img src=x onerror="window.__pwned=2"> فجر اليوم.')


def fixture_records() -> list[dict]:
    """seed_records() plus what the dashboard's tests need beyond the seeds: an Armenian
    claim contradicting an Azerbaijani one at the same place a day apart (a contested
    claim), and an article whose text, title and URL try to inject markup."""
    recs = seed_records()
    recs.append({
        "doc": "test_am_hadrut", "place": "Hadrut", "place_ar": "هادروت", "geonames_id": "",
        "lat": 39.520, "lon": 47.031, "precision": "settlement", "event_type": "armed_clash",
        "claimant": "am_mod", "date": "2020-10-10", "date_basis": "relative",
        "sentence": 'وقالت المتحدثة باسم وزارة الدفاع الأرمينية إن القوات الأرمينية صدت '
                    'أمس هجوما أذربيجانيا على بلدة هادروت وإن البلدة لا تزال تحت سيطرتها.',
        "place_id": "hadrut", "file_name": "test_am_hadrut.txt", "published": "2020-10-11",
        "outlet": "Test Outlet", "url": "https://example.org/hadrut", "title": "بيان أرميني",
    })
    recs.append({
        "doc": "test_hostile", "place": "Khojaly", "place_ar": "خوجالي", "geonames_id": "",
        "lat": 39.911, "lon": 46.790, "precision": "settlement", "event_type": "shelling",
        "claimant": "unattributed", "date": "2020-10-20", "date_basis": "relative",
        "sentence": HOSTILE_SENTENCE, "place_id": "khojaly",
        "file_name": "test_hostile.txt", "published": "2020-10-20",
        "outlet": "<b>Outlet</b>", "url": "javascript:window.__pwned=3",
        "title": '<img src=x onerror="window.__pwned=4">عنوان',
    })
    recs.append({   # a third party's view of the same place: the hostile text is contested
        "doc": "test_az_khojaly", "place": "Khojaly", "place_ar": "خوجالي", "geonames_id": "",
        "lat": 39.911, "lon": 46.790, "precision": "settlement", "event_type": "shelling",
        "claimant": "az_mod", "date": "2020-10-21", "date_basis": "published",
        "sentence": "وأعلنت وزارة الدفاع الأذربيجانية أن مدفعيتها قصفت مواقع للقوات الأرمينية "
                    "قرب خوجالي.",
        "place_id": "khojaly", "file_name": "test_az_khojaly.txt", "published": "2020-10-21",
        "outlet": "", "url": "", "title": "",
    })
    return recs


# One claim in three outlets' words: the Azerbaijani MoD on the shelling of Tartar, 4
# October 2020 (file, published, outlet, text)
CLAIM_REPORTS = [
    ("aa_tartar.txt", "2020-10-04", "aa.example",
     "أعلنت وزارة الدفاع الأذربيجانية، اليوم الأحد، أن القوات الأرمينية قصفت مدينة ترتر "
     "بالمدفعية الثقيلة."),
    ("bb_tartar.txt", "2020-10-04", "bb.example",
     "قالت وزارة الدفاع في أذربيجان إن مدينة ترتر تعرضت صباح اليوم لقصف مدفعي من جانب "
     "القوات الأرمينية."),
    ("cc_tartar.txt", "2020-10-05", "cc.example",
     "وأكدت وزارة الدفاع الأذربيجانية في بيان أن مدفعية القوات الأرمينية قصفت مدينة ترتر."),
]
# ... and the Armenian MoD's account of Tartar the next day: the other side's claim
CONTESTING_REPORT = ("dd_tartar.txt", "2020-10-05", "dd.example",
                     "وقالت وزارة الدفاع الأرمينية إن القوات الأرمينية صدت صباح اليوم هجوما "
                     "أذربيجانيا قرب مدينة ترتر.")


def ingest_reports(db_path, folder: Path, reports) -> None:
    """Write `reports` (file, published, outlet, text) and their manifest into `folder`
    and ingest them into the store at `db_path`, as `python -m extract ingest` does."""
    from extract.ingest import ingest_paths
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "published", "outlet", "url", "title"])
        for name, published, outlet, text in reports:
            (folder / name).write_text(text + "\n", encoding="utf-8")
            w.writerow([name, published, outlet, f"https://{outlet}/{name}", ""])
    report = ingest_paths([folder], db_path, workers=1)
    assert report.ok, report.failed
