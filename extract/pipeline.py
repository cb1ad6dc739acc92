"""Article in, incidents out: the stages in order, each a small module.

    sentences -> places (find, resolve) -> events -> claimants -> dates -> Incident
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from extract import claimants as claims
from extract.arabic import index_map, normalize
from extract.dates import event_date, find_dates
from extract.events import event_type_at, find_triggers
from extract.lexicon import data_fingerprint
from extract.model import Article, ArticleResult, Incident, Sentence, UnresolvedPlace
from extract.places import (NameIndex, PlaceMention, UnknownName, context_index, find_places,
                            find_unknown_names, lookup_unknown)
from extract.sentences import split_sentences
from extract.tokens import Token, tokenize, words_of
from geo.gazetteer import DEFAULT_GAZETTEER, Gazetteer, load_gazetteer

CODE_VERSION = "1"
_FINE = ("settlement", "feature", "district")


@dataclass(frozen=True)
class Resources:
    """What extraction reads besides the article: loaded once, shared by every article."""
    gazetteer: Gazetteer
    names: NameIndex


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


def extract_article(article: Article, resources: Optional[Resources] = None) -> ArticleResult:
    """All incidents of one article. Pure: the same article gives the same result."""
    res = resources or load_resources()
    published = article.published
    incidents: list[Incident] = []
    unresolved: list[UnresolvedPlace] = []
    speaker: Optional[str] = None                  # who the next "وأضاف" continues
    statement_date: Optional[tuple[str, str]] = None
    seen: set[tuple] = set()
    for sentence in split_sentences(article.text):
        norm = normalize(sentence.text)
        tokens = tokenize(norm)
        att = claims.analyse(tokens, norm)
        named = claims.speaker_of(att)
        continues = att.continues or (named is not None and named == speaker)
        inherited = statement_date if continues else None
        mentions, unknown = _incident_places(tokens, norm, res)
        # dates matter for an incident here or for a statement that goes on
        dates = find_dates(tokens, published) if (mentions or named or continues) else []
        triggers = find_triggers(tokens) if mentions else []
        for m in mentions:
            etype = event_type_at(triggers, m.first, m.last)
            if etype is None:
                continue
            claimant = claims.claimant_for(att, m.first, speaker)
            if claimant is None:
                continue            # the sentence denies it and names no one who claims it
            day, basis = event_date(dates, (m.start + m.end) / 2, published, inherited)
            key = (m.place.id, etype, claimant, day)
            if key in seen:
                continue
            seen.add(key)
            incidents.append(_incident(article, sentence, m, etype, claimant, day, basis))
        for u in unknown:
            unresolved.append(UnresolvedPlace(article.doc, _original(sentence.text, u.start, u.end),
                                              sentence.text))
        # carry the statement on: its speaker and, if it dated itself, its date
        if named or continues:
            own = _statement_date(att, dates, tokens)
            if own:
                statement_date = own
            elif not continues:
                statement_date = None
        else:
            statement_date = None
        if named:
            speaker = named
    return ArticleResult(article.doc, tuple(incidents), tuple(unresolved))


def _statement_date(att, dates, tokens) -> Optional[tuple[str, str]]:
    """The date of the statement itself ("وأعلن علييف، أمس الأربعاء، ..."): a date standing
    right after the speaker. The sentences that go on with the statement inherit it; a date
    deeper in the sentence belongs to the event it describes, not to what follows."""
    speakers = [s for s in att.sources if s.after_verb] or list(att.sources)
    if not speakers or not dates:
        return None
    end = tokens[speakers[0].end - 1].end if speakers[0].end - 1 < len(tokens) else 0
    for d in dates:
        words_between = sum(1 for t in tokens if end <= t.start < d.start)
        if d.start >= end and words_between <= 3:
            return d.value.isoformat(), d.basis
    return None


def _incident_places(tokens: list[Token], norm: str, res: Resources
                     ) -> tuple[list[PlaceMention], list[UnknownName]]:
    """Places that can carry an incident (not an address of another, not history, the finest
    named), and the place-like names neither the gazetteer nor GeoNames knows."""
    mentions = find_places(tokens, norm, res.names)
    unknown = []
    for u in find_unknown_names(tokens, mentions, norm):
        found = lookup_unknown(tokens, u)
        if found:
            mentions.append(found)
        else:
            unknown.append(u)
    mentions.sort(key=lambda m: m.first)
    kept = [m for k, m in enumerate(mentions)
            if not _is_locator(tokens, mentions, k, res.gazetteer) and not _is_history(tokens, m)]
    if any(m.place.precision in _FINE for m in kept):
        kept = [m for m in kept if m.place.precision in _FINE]
    return kept, unknown


def _is_locator(tokens, mentions, k, gazetteer) -> bool:
    """"قرية X التابعة لمدينة Y", "X في منطقة Y": Y only says where X is."""
    if k == 0:
        return False
    prev, cur = mentions[k - 1], mentions[k]
    gap = tokens[prev.last:cur.first]
    if len(gap) > 10 or find_triggers(gap):
        return False
    if cur.place.id in gazetteer.ancestors(prev.place.id) or context_index("locator").find(gap):
        return True
    # "محافظتي كلبجار ولاشين": a list of districts continuing a locator is a locator too
    return (len(gap) == 0 and k >= 2 and cur.place.precision not in ("settlement", "feature")
            and _is_locator(tokens, mentions, k - 1, gazetteer))


_YEAR = re.compile(r"^(19|20)\d\d$")


def _is_history(tokens: list[Token], m: PlaceMention) -> bool:
    """A place named with an old year or "قبل 30 عاما" close by is background, not news."""
    window = words_of(tokens)[max(0, m.first - 12):m.last + 6]
    if context_index("history").find_words(window):
        return True
    if "قبل" not in window and not any(map(str.isdigit, window)):
        return False        # no year and no "قبل N عاما": the common case, decided in C
    for k, word in enumerate(window):
        if word.isdigit():
            if _YEAR.match(word) and int(word) < 2020:
                return True
        elif word == "قبل" and k + 2 < len(window) and window[k + 1].isdigit() and \
                window[k + 2] in ("عاما", "عام", "سنه", "سنوات", "عقود"):
            return True
    return False


# only sentences with an incident need the map, often for several places: made once each
_sentence_index_map = lru_cache(maxsize=32)(index_map)
_QUOTES = re.compile(r"[\"'«»“”()]")


def _original(text: str, start: int, end: int) -> str:
    """The original spelling of the span [start, end) of normalize(text) (quotes inside a
    name dropped: 'ممر "لاشين"' -> 'ممر لاشين')."""
    index = _sentence_index_map(text)
    span = text[index[start]:index[end - 1] + 1]
    return " ".join(_QUOTES.sub("", span).split())


def _incident(article: Article, sentence: Sentence, m: PlaceMention, etype: str, claimant: str, day: str, basis: str) -> Incident:
    p = m.place
    return Incident(
        doc=article.doc, place=p.name_en, place_ar=_original(sentence.text, m.start, m.end),
        geonames_id=p.geonames_id, lat=p.lat, lon=p.lon, precision=p.precision,
        event_type=etype, claimant=claimant, date=day, date_basis=basis, sentence=sentence.text,
        sentence_start=sentence.start, sentence_end=sentence.end, place_id=p.id,
    )
