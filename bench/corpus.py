"""A deterministic synthetic corpus: the seed articles' sentences recombined, with other
places (Arabic names from gazetteer.csv) and other dates.

`make_corpus(n, out_dir)` writes n articles of about 5 KB (UTF-8) plus a manifest.csv;
the same n, seed, seeds/ and gazetteer.csv always give byte-identical files.
`map_records(n)` makes n incident records (the store's record dicts) with distinct
sentences, for the map-build benchmark, without running the pipeline.
"""
from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
GAZETTEER = REPO / "gazetteer.csv"

TARGET_BYTES = 5_000
DEFAULT_SEED = 20201027

# Places swap within a class, so "قرية X" stays a village and "محافظة X" a district;
# countries, regions and the like keep their names (they carry who is speaking).
_CLASSES = {
    "village": "settlement", "town": "settlement", "city": "settlement",
    "district": "district", "province": "district", "county": "district",
    "heights": "feature", "corridor": "feature", "border_post": "feature",
}
_MONTHS = [
    ("كانون الثاني/يناير", "يناير"), ("شباط/فبراير", "فبراير"), ("آذار/مارس", "مارس"),
    ("نيسان/أبريل", "أبريل"), ("أيار/مايو", "مايو"), ("حزيران/يونيو", "يونيو"),
    ("تموز/يوليو", "يوليو"), ("آب/أغسطس", "أغسطس"), ("أيلول/سبتمبر", "سبتمبر"),
    ("تشرين الأول/أكتوبر", "أكتوبر"), ("تشرين الثاني/نوفمبر", "نوفمبر"),
    ("كانون الأول/ديسمبر", "ديسمبر"),
]
_MONTH_WORDS = sorted({w for pair in _MONTHS for w in pair}
                      | {"سبتمبر", "أيلول", "أكتوبر", "نوفمبر", "ديسمبر", "يوليو", "أغسطس"},
                      key=len, reverse=True)
# "27 أيلول/سبتمبر": the day number before a month name (the month itself is kept)
_DAY_MONTH = re.compile(r"(?<!\d)([0-3]?\d)(\s+(?:" + "|".join(map(re.escape, _MONTH_WORDS)) + r"))")
_OUTLETS = ("Anadolu Agency", "Al Jazeera", "RT Arabic", "Sputnik Arabic", "Al Arabiya",
            "Sky News Arabia", "")
_WAR = (date(2020, 9, 27), 45)          # the 44-day war
_LATER = (date(2021, 5, 1), 900)        # border clashes, 2021-2023
_AR = "\u0600-\u06FF"
# share of settlement names replaced by a made-up name, and what those are made of
UNKNOWN_SHARE = 0.03
_SYLLABLES = ("كار", "بول", "ساري", "تاز", "قوش", "مير", "زان", "لي", "كند", "جا", "آغ", "دره")
_NUMBER = re.compile(r"(?<![\d/])\d{1,3}(?![\d/])")   # counts ("10 دبابات"), not years


@dataclass(frozen=True)
class GazPlace:
    name_en: str
    name_ar: str
    cls: str
    lat: float
    lon: float
    precision: str


@lru_cache(maxsize=2)
def _gazetteer(path: str = str(GAZETTEER)) -> tuple[GazPlace, ...]:
    out = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            cls = _CLASSES.get((row.get("kind") or "").strip())
            names = [n.strip() for n in (row.get("names_ar") or "").split("|") if n.strip()]
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (KeyError, TypeError, ValueError):
                continue
            for n in names:
                out.append(GazPlace(row.get("name_en", ""), n, cls or "", lat, lon,
                                    "settlement" if cls == "settlement" else cls or "region"))
    return tuple(out)


@lru_cache(maxsize=2)
def _place_pattern(path: str = str(GAZETTEER)) -> re.Pattern:
    names = sorted({p.name_ar for p in _gazetteer(path) if p.cls}, key=len, reverse=True)
    return re.compile(rf"(?<![{_AR}])([وبلف]?)(" + "|".join(map(re.escape, names)) + rf")(?![{_AR}])")


@lru_cache(maxsize=2)
def _by_class(path: str = str(GAZETTEER)) -> dict[str, tuple[GazPlace, ...]]:
    out: dict[str, list[GazPlace]] = {}
    for p in _gazetteer(path):
        if p.cls:
            out.setdefault(p.cls, []).append(p)
    return {k: tuple(v) for k, v in sorted(out.items())}


@lru_cache(maxsize=2)
def _class_of(path: str = str(GAZETTEER)) -> dict[str, str]:
    return {p.name_ar: p.cls for p in _gazetteer(path) if p.cls}


@lru_cache(maxsize=1)
def seed_runs(seeds: str = str(SEEDS)) -> tuple[tuple[str, ...], ...]:
    """Each seed article as its list of sentences (teasers and trailing headlines dropped
    by the pipeline's own splitter), in file order."""
    from extract.sentences import split_sentences
    runs = []
    for p in sorted(Path(seeds).glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        sents = tuple(s.text.strip() for s in split_sentences(text) if len(s.text.strip()) > 20)
        if sents:
            runs.append(sents)
    return tuple(runs)


def _vary_places(sentence: str, rng: random.Random, gaz: str = str(GAZETTEER)
                 ) -> tuple[str, list[GazPlace]]:
    """Other places of the same class, other day numbers; and the places put in."""
    by_class, class_of = _by_class(gaz), _class_of(gaz)
    put: list[GazPlace] = []

    def place(m: re.Match) -> str:
        cls = class_of.get(m.group(2))
        pool = by_class.get(cls or "", ())
        if not pool:
            return m.group(0)
        if cls == "settlement" and rng.random() < UNKNOWN_SHARE:
            # real reports name villages no gazetteer has: exercise that path too
            return m.group(1) + _invented_name(rng, class_of)
        new = rng.choice(pool)
        put.append(new)
        return m.group(1) + new.name_ar

    sentence = _place_pattern(gaz).sub(place, sentence)
    return _DAY_MONTH.sub(lambda m: f"{rng.randint(1, 28)}{m.group(2)}", sentence), put


def _invented_name(rng: random.Random, known: dict) -> str:
    while True:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        if name not in known:
            return name


def _vary(sentence: str, rng: random.Random) -> str:
    return _vary_places(sentence, rng)[0]


def _published(rng: random.Random) -> date:
    start, days = _WAR if rng.random() < 0.8 else _LATER
    return start + timedelta(days=rng.randrange(days))


def article_text(rng: random.Random, target_bytes: int = TARGET_BYTES) -> str:
    """About `target_bytes` of article: runs of 2-5 consecutive seed sentences (so a
    "وأضاف" still follows its speaker), one or two sentences a paragraph."""
    runs = seed_runs()
    paras: list[str] = []
    size = 0
    while size < target_bytes:
        run = runs[rng.randrange(len(runs))]
        k = rng.randint(2, 5)
        i = rng.randrange(max(1, len(run) - k + 1))
        sents = [_vary(s, rng) for s in run[i:i + k]]
        j = 0
        while j < len(sents):
            step = rng.choice((1, 1, 2))
            para = " ".join(sents[j:j + step])
            paras.append(para)
            size += len(para.encode("utf-8")) + 1
            j += step
    return "\n".join(paras) + "\n"


def make_corpus(n: int, out_dir: Path | str, seed: int = DEFAULT_SEED,
                target_bytes: int = TARGET_BYTES) -> list[Path]:
    """Write n synthetic articles and their manifest.csv into out_dir; the article paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    rows = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")          # article i does not depend on n
        text = article_text(rng, target_bytes)
        name = f"synth_{i:06d}.txt"
        (out / name).write_text(text, encoding="utf-8", newline="\n")
        paths.append(out / name)
        outlet = rng.choice(_OUTLETS)
        title = text.split("\n", 1)[0][:90] if rng.random() < 0.6 else ""
        url = f"https://example.org/news/{seed}/{i}" if outlet else ""
        rows.append((name, _published(rng).isoformat() if rng.random() < 0.97 else "",
                     outlet, url, title))
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("file", "published", "outlet", "url", "title"))
        w.writerows(rows)
    return paths


def map_records(n: int, seed: int = DEFAULT_SEED, per_article: int = 6) -> list[dict]:
    """n incident records as the store gives them (extract.store.load_incidents), made like
    the corpus: recombined seed sentences with other places, so nearly every record has its
    own sentence (the map cannot win by sharing strings the real data would not share)."""
    from extract.model import CLAIMANTS, EVENT_TYPES
    rng = random.Random(f"{seed}:map")
    pattern = _place_pattern(str(GAZETTEER))
    with_place = [s for run in seed_runs() for s in run if pattern.search(s)]
    claimants = sorted(CLAIMANTS)
    out = []
    sentence, put = "", []
    for i in range(n):
        a = i // per_article
        if i % per_article == 0:
            published = _published(rng)
            title = f"مقال تجريبي رقم {a}"
            outlet = rng.choice(_OUTLETS)
        if not put or rng.random() < 0.6:       # a sentence names one to a few incidents
            put = []
            while not put:                      # (a made-up name has no coordinates)
                sentence, put = _vary_places(rng.choice(with_place), rng)
            sentence = _NUMBER.sub(lambda m: str(rng.randint(2, 250)), sentence)
        p = put.pop(0)
        day = published - timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        out.append({
            "doc": f"synth_{a:06d}", "place": p.name_en, "place_ar": p.name_ar, "geonames_id": "",
            "lat": round(p.lat, 5), "lon": round(p.lon, 5),
            "precision": p.precision, "event_type": rng.choice(EVENT_TYPES),
            "claimant": rng.choice(claimants), "date": day.isoformat(),
            "date_basis": rng.choice(("explicit", "weekday", "relative", "published")),
            "sentence": sentence, "sentence_start": 0, "sentence_end": len(sentence),
            "place_id": p.name_en.lower().replace(" ", "_"), "article_id": a,
            "file_name": f"synth_{a:06d}.txt", "published": published.isoformat(),
            "outlet": outlet, "url": f"https://example.org/news/{a}" if outlet else "",
            "title": title,
        })
    return out


def corpus_bytes(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths)



def main(argv: list[str] | None = None) -> int:
    """`python -m bench.corpus OUT N [--store DB [--incidents M]]`: write N synthetic articles
    (and manifest.csv) into OUT; with --store, also a store of M synthetic incidents (default
    N x 9, the corpus's own density) for trying the dashboard at scale without extracting:
    `streamlit run dashboard/app.py -- --db DB`."""
    import argparse
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=main.__doc__)
    ap.add_argument("out", type=Path, help="folder for the articles and manifest.csv")
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--store", type=Path, help="also write a store of synthetic incidents here")
    ap.add_argument("--incidents", type=int, help="incidents in the store (default 9 an article)")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be 0 or more")
    paths = make_corpus(args.n, args.out, args.seed)
    print(f"{len(paths)} articles, {corpus_bytes(paths) / 1e6:.1f} MB, in {args.out} "
          f"(manifest.csv beside them)")
    if args.store:
        write_store(args.store, args.incidents or args.n * 9, args.seed)
    return 0


def write_store(db: Path, n: int, seed: int = DEFAULT_SEED, per_article: int = 6) -> None:
    """A store of n synthetic incidents (map_records), one article row per `per_article`."""
    from extract import store
    from extract.model import Article, ArticleMeta, ArticleResult, Incident, INCIDENT_FIELDS
    recs = map_records(n, seed, per_article)
    conn = store.connect(db)
    try:
        by_doc: dict[str, list[dict]] = {}
        for r in recs:
            by_doc.setdefault(r["doc"], []).append(r)
        for doc, rows in by_doc.items():
            text = "\n".join(dict.fromkeys(r["sentence"] for r in rows))
            published = rows[0].get("published") or None
            meta = ArticleMeta(file=f"{doc}.txt", outlet=rows[0].get("outlet", ""),
                               url=rows[0].get("url", ""), title=rows[0].get("title", ""),
                               published=date.fromisoformat(published) if published else None)
            art = Article(doc, "", text, meta)
            incs = tuple(Incident(**{k: r.get(k, "") for k in INCIDENT_FIELDS if k != "match"},
                                  place_id=r.get("place_id", ""), match=r.get("match", "curated"))
                         for r in rows)
            store.save_article(conn, art, ArticleResult(doc, incs), store.content_hash(text), "synthetic")
        store.rebuild_claims(conn)          # as an ingest run ends
    finally:
        conn.close()
    print(f"store {db}: {len(recs)} incidents")


if __name__ == "__main__":
    raise SystemExit(main())
