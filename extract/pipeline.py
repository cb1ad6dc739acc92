"""Article in, incidents out: a list of named stages over one document.

    sentences -> speakers -> places -> events -> dates -> claimants -> incidents

As in spaCy's `Language.__call__`, `extract_article` makes a `Document` (extract/document.py)
and hands it to each stage in turn; a stage reads the layers it `needs` and writes the ones
it `adds`, and the order is checked when this module loads. A stage is a plain function, so
a replacement (another place resolver, a trained claimant model) is one entry of `STAGES`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from extract import claimants as claims
from extract.dates import clause_breaks, event_date, find_dates
from extract.document import Document, Resources, SentenceLayers
from extract.events import event_type_at, find_triggers
from extract.lexicon import data_fingerprint
from extract.model import Article, ArticleResult, Incident, UnresolvedPlace
from extract.place_stage import original_spelling, places_stage
from extract.places import NameIndex, PlaceMention
from extract.sentences import split_sentences
from extract.tokens import tokenize
from geo.arabic import normalize
from geo.gazetteer import DEFAULT_GAZETTEER, load_gazetteer

CODE_VERSION = "1"


@lru_cache(maxsize=4)
def load_resources(gazetteer_path: str = str(DEFAULT_GAZETTEER)) -> Resources:
    gazetteer = load_gazetteer(gazetteer_path)
    return Resources(gazetteer, NameIndex(gazetteer))


def extractor_version(gazetteer_path: Path = DEFAULT_GAZETTEER) -> str:
    """Changes whenever the extraction code, a lexicon or the gazetteer changes, so the store
    knows which articles to re-extract (nobody has to remember to bump a number)."""
    h = hashlib.sha256()
    for src in sorted(Path(__file__).parent.glob("*.py")) + sorted((Path(__file__).parent.parent / "geo").glob("*.py")):
        h.update(src.read_bytes())
    h.update(Path(gazetteer_path).read_bytes())
    return f"{CODE_VERSION}-{data_fingerprint()}-{h.hexdigest()[:10]}"


EXTRACTOR_VERSION = extractor_version() if DEFAULT_GAZETTEER.exists() else CODE_VERSION


def sentences_stage(doc: Document) -> None:
    """The article's sentences, each normalised and cut into words."""
    for sentence in split_sentences(doc.article.text):
        norm = normalize(sentence.text)
        doc.sentences.append(SentenceLayers(sentence, norm, tokenize(norm)))


def speakers_stage(doc: Document) -> None:
    """Each sentence's sources, speech verbs and denials, and the speaker it names (who
    speaks in it, not yet of what)."""
    for s in doc.sentences:
        s.attribution = att = claims.analyse(s.tokens, s.norm)
        s.speaker = claims.speaker_of(att)


def events_stage(doc: Document) -> None:
    """The event type each place takes from the trigger that governs it; None: no event."""
    for s in doc.sentences:
        if s.mentions:
            triggers = find_triggers(s.tokens)
            s.event_types = [event_type_at(triggers, m.first, m.last) for m in s.mentions]


def dates_stage(doc: Document) -> None:
    """The date expressions of every sentence that has a place or a statement (a statement's
    date may date the sentences that go on with it), its clause breaks and its own date."""
    published = doc.article.published
    for s in doc.sentences:
        att = s.attribution
        assert att is not None
        if not (s.mentions or s.speaker or att.continues):
            continue
        dates = find_dates(s.tokens, published)
        if s.dateline_end >= 0:
            dates = [d for d in dates if d.start >= s.dateline_end]
        s.dates = dates
        if s.mentions and dates:
            s.breaks = clause_breaks(s.tokens, s.norm)
            if s.breaks:
                s.own_date = claims.statement_date(att, dates, s.tokens)


def claimants_stage(doc: Document) -> None:
    """Who claims each event (None: the sentence denies it and names no one who claims it).
    The speaker carries on to the sentences that go on with the statement ("وأضاف"), and so
    does the statement's date if it gave one."""
    speaker: Optional[str] = None
    carried: Optional[tuple[str, str]] = None      # the date of the statement going on
    for s in doc.sentences:
        att = s.attribution
        assert att is not None
        named = s.speaker
        continues = att.continues or (named is not None and named == speaker)
        s.statement_date = carried if continues else None
        s.claimants = [claims.claimant_for(att, m.first, speaker) if etype is not None else None
                       for m, etype in zip(s.mentions, s.event_types)]
        if named or continues:
            own = claims.statement_date(att, s.dates, s.tokens)
            if own:
                carried = own
            elif not continues:
                carried = None
        else:
            carried = None
        if named:
            speaker = named


def incidents_stage(doc: Document) -> None:
    """One record per place, event type, claimant and day: the event's date is the nearest in
    its clause, else the statement's own or carried date, else publication."""
    article = doc.article
    seen: set[tuple] = set()
    for s in doc.sentences:
        for m, etype, claimant in zip(s.mentions, s.event_types, s.claimants):
            if etype is None or claimant is None:
                continue
            day, basis = event_date(s.dates, (m.start + m.end) / 2, article.published,
                                    s.own_date or s.statement_date, s.breaks)
            # unknown villages put at one district stay apart: each is its own claim
            key = (m.place.id, etype, claimant, day,
                   m.start if m.match == "district-fallback" else -1)
            if key in seen:
                continue
            seen.add(key)
            doc.incidents.append(_incident(article, s, m, etype, claimant, day, basis))
        for u, district in s.unknown:
            doc.unresolved.append(UnresolvedPlace(
                article.doc, original_spelling(s.sentence.text, u.start, u.end), s.sentence.text, district))


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Document], None]
    needs: tuple[str, ...]      # the layers it reads
    adds: tuple[str, ...]       # the layers it writes


STAGES: tuple[Stage, ...] = (
    Stage("sentences", sentences_stage, ("article",), ("sentences", "tokens")),
    Stage("speakers", speakers_stage, ("tokens",), ("attribution", "speaker")),
    Stage("places", places_stage, ("tokens", "attribution"), ("mentions", "unknown", "dateline_end")),
    Stage("events", events_stage, ("mentions",), ("event_types",)),
    Stage("dates", dates_stage, ("mentions", "attribution", "speaker", "dateline_end"),
          ("dates", "breaks", "own_date")),
    Stage("claimants", claimants_stage, ("attribution", "speaker", "mentions", "event_types", "dates"),
          ("claimants", "statement_date")),
    Stage("incidents", incidents_stage,
          ("mentions", "event_types", "claimants", "dates", "breaks", "own_date", "statement_date", "unknown"),
          ("incidents", "unresolved")),
)


class PipelineError(ValueError):
    pass


def check_stages(stages: tuple[Stage, ...]) -> None:
    """Every layer a stage needs is added by an earlier stage (spaCy's requires/assigns)."""
    have = {"article"}
    for stage in stages:
        missing = [n for n in stage.needs if n not in have]
        if missing:
            raise PipelineError(f"stage {stage.name!r} needs {', '.join(missing)}, "
                                f"which no earlier stage adds")
        have.update(stage.adds)


check_stages(STAGES)


def extract_article(article: Article, resources: Optional[Resources] = None) -> ArticleResult:
    """All incidents of one article. Pure: the same article gives the same result."""
    doc = Document(article, resources or load_resources())
    for stage in STAGES:
        stage.run(doc)
    return ArticleResult(article.doc, tuple(doc.incidents), tuple(doc.unresolved))


def _incident(article: Article, s: SentenceLayers, m: PlaceMention, etype: str, claimant: str,
              day: str, basis: str) -> Incident:
    p, sentence = m.place, s.sentence
    return Incident(
        doc=article.doc, place=p.name_en, place_ar=original_spelling(sentence.text, m.start, m.end),
        geonames_id=p.geonames_id, lat=p.lat, lon=p.lon, precision=p.precision,
        event_type=etype, claimant=claimant, date=day, date_basis=basis, sentence=sentence.text,
        sentence_start=sentence.start, sentence_end=sentence.end, place_id=p.id,
        match=m.match,
    )
