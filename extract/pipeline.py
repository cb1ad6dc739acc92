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
from geo.arabic import index_map, normalize
from extract.dates import clause_breaks, event_date, find_dates
from extract.events import event_type_at, find_triggers
from extract.lexicon import data_fingerprint, date_words
from extract.model import Article, ArticleResult, Incident, Sentence, UnresolvedPlace
from extract.places import (NameIndex, PlaceMention, UnknownName, areas_of, context_index,
                            context_phrases, district_named, find_name_slots, find_places,
                            lookup_by_key, lookup_unknown, plausible_name)
from extract.sentences import split_sentences
from extract.tokens import Token, tokenize, words_of
from geo.phonetic import modifier_words
from geo.gazetteer import DEFAULT_GAZETTEER, DISTRICT_KINDS, Gazetteer, load_gazetteer

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
    article_areas: set[str] = set()                # districts named so far: rank key matches
    for sentence in split_sentences(article.text):
        norm = normalize(sentence.text)
        tokens = tokenize(norm)
        att = claims.analyse(tokens, norm)
        named = claims.speaker_of(att)
        continues = att.continues or (named is not None and named == speaker)
        inherited = statement_date if continues else None
        mentions, unknown = _incident_places(tokens, norm, sentence.text, res, article_areas)
        if mentions and _is_caption(tokens, norm) and not any(
                src.end < len(tokens) - 3 for src in att.sources):
            mentions = []           # a photo caption (no speaker but the credit): where a picture was taken
        dateline_end = -1
        if mentions and _is_dateline(tokens, norm, mentions[0], att):
            # the dateline's city and date are where and when the report was filed
            m0 = mentions[0]
            dateline_end = tokens[min(m0.last + 3, len(tokens) - 1)].end
            mentions = [m for m in mentions if m is not m0]
        # dates matter for an incident here or for a statement that goes on
        dates = find_dates(tokens, published) if (mentions or named or continues) else []
        if dateline_end >= 0:
            dates = [d for d in dates if d.start >= dateline_end]
        triggers = find_triggers(tokens) if mentions else []
        breaks = clause_breaks(tokens, norm) if (mentions and dates) else ()
        own_date = _statement_date(att, dates, tokens) if (mentions and dates and breaks) else None
        for m in mentions:
            etype = event_type_at(triggers, m.first, m.last)
            if etype is None:
                continue
            claimant = claims.claimant_for(att, m.first, speaker)
            if claimant is None:
                continue            # the sentence denies it and names no one who claims it
            # an event with no date in its clause takes the statement's ("قالت الوزارة
            # مساء الثلاثاء؛ إن ...") or the one carried from the statement before
            day, basis = event_date(dates, (m.start + m.end) / 2, published,
                                    own_date or inherited, breaks)
            # unknown villages put at one district stay apart: each is its own claim
            key = (m.place.id, etype, claimant, day,
                   m.start if m.match == "district-fallback" else -1)
            if key in seen:
                continue
            seen.add(key)
            incidents.append(_incident(article, sentence, m, etype, claimant, day, basis))
        for u, district in unknown:
            unresolved.append(UnresolvedPlace(article.doc, _original(sentence.text, u.start, u.end),
                                              sentence.text, district))
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


@lru_cache(maxsize=1)
def _caption_last_words() -> frozenset[str]:
    return frozenset(p.split()[-1] for p in context_phrases("caption"))


def _is_caption(tokens, norm: str) -> bool:
    """"قصف في ترتر - جيتي"، "... (أرشيفية)": a line ending in a photo credit after a dash or
    inside parentheses is a caption."""
    if len(tokens) < 2 or tokens[-1].text not in _caption_last_words():
        return False        # the common case, decided by one set test
    for k in (1, 2, 3):
        if k >= len(tokens):
            break
        tail = tokens[-k:]
        if context_index("caption").match(words_of(tail), 0)[0] == k:
            gap = norm[tokens[-k - 1].end:tail[0].start]
            return any(c in gap for c in "-(")
    return False


def _is_dateline(tokens, norm: str, m: PlaceMention, att) -> bool:
    """"توفوز، 15 أغسطس، ..."، "باكو - رويترز"، "بردة (أذربيجان)/الأناضول": a city opening the
    text and followed by a date or an agency is where the reporter files from, not where
    anything happened."""
    if m.first != 0 or m.last >= len(tokens):
        return False
    gap = norm[tokens[m.last - 1].end:tokens[m.last].start]
    if not any(c in gap for c in "،,-(/:"):
        return False
    after = tokens[m.last:m.last + 4]
    if any(t.text.isdigit() for t in after) or any(d[0] == "month" for d in (
            date_words().get((t.text,), ("", None)) for t in after)):
        return True
    return any(src.code == "media" and src.start <= m.last + 4 for src in att.sources)


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
        if d.start >= end and words_between <= 5:    # "في بيان أصدرته مساء الثلاثاء"
            return d.value.isoformat(), d.basis
    return None


def _incident_places(tokens: list[Token], norm: str, text: str, res: Resources,
                     article_areas: set[str]) -> tuple[list[PlaceMention], list[tuple[UnknownName, str]]]:
    """The place stage: names the gazetteer lists; unknown names in place slots matched by
    sound (phonetic key), then in GeoNames, else put at the district the sentence names;
    then the places that can carry an incident (not an address of another, not history,
    the finest named). Returns those and the slot names nothing resolved."""
    actors: list[int] = []
    name_starts, nouns = res.names.word_tags.positions(words_of(tokens))
    mentions = find_places(tokens, norm, res.names, actors, name_starts)
    modifiers = modifier_words()
    if any(m.last < len(tokens) and tokens[m.last].text in modifiers for m in mentions):
        mentions = [_with_modifier(tokens, m, text, res) for m in mentions]
    slots = find_name_slots(tokens, mentions, norm, actors, nouns=nouns)
    unknown: list[tuple[UnknownName, str]] = []     # and the district it was put at ("")
    found_here: list[PlaceMention] = []
    if not slots:                                       # the common case: nothing unknown
        if mentions:
            article_areas.update(areas_of(mentions, res.gazetteer))
        return _kept(tokens, mentions, res), unknown
    sentence_areas = areas_of(mentions, res.gazetteer)
    # right to left: a name's address ("X في منطقة ليتشين") is resolved before the name
    for slot in reversed(slots):
        u = slot.name
        hit = _by_key(tokens, u, text, res, sorted(mentions + found_here, key=lambda m: m.first),
                      sentence_areas, article_areas, slot.after_noun)
        if hit is not None:
            found_here.append(hit)
            if hit.place.kind in DISTRICT_KINDS:
                sentence_areas |= {hit.place.id}     # a district found by sound is named too
            continue
        if not slot.after_noun:
            continue
        found = lookup_unknown(tokens, u)
        if found:
            found_here.append(found._replace(match="geonames"))
            continue
        district = district_named(mentions, res.gazetteer, u.last, tokens)
        if district is not None and plausible_name(_original(text, u.start, u.end)):
            found_here.append(PlaceMention(district, u.first, u.last, u.start, u.end,
                                           "district-fallback"))
            unknown.append((u, district.id))
        else:
            unknown.append((u, ""))
    mentions = sorted(mentions + found_here, key=lambda m: m.first)
    article_areas.update(sentence_areas)
    return _kept(tokens, mentions, res), unknown


def _kept(tokens, mentions: list[PlaceMention], res: Resources) -> list[PlaceMention]:
    """The places that can carry an incident: not an address of another, not history,
    the finest named."""
    kept = [m for k, m in enumerate(mentions)
            if not _is_locator(tokens, mentions, k, res.gazetteer) and not _is_history(tokens, m)]
    if any(m.place.precision in _FINE for m in kept):
        kept = [m for m in kept if m.place.precision in _FINE]
    return kept


def _with_modifier(tokens, m: PlaceMention, text: str, res: Resources) -> PlaceMention:
    """"كورد محمودلو العليا" is Yuxarı Kürdmahmudlu, not Kürdmahmudlu: a listed name followed
    by العليا/السفلى... is looked up by sound with it, and kept as listed if nothing matches."""
    if m.last >= len(tokens) or tokens[m.last].text not in modifier_words():
        return m
    end = tokens[m.last].end
    place = lookup_by_key(res.names, _original(text, m.start, end), set(), set(), fuzzy=False)
    if place is None or place.id == m.place.id:
        return m
    return PlaceMention(place, m.first, m.last + 1, m.start, end, "key")


def _by_key(tokens, u: UnknownName, text: str, res: Resources, mentions,
            sentence_areas: set[str], article_areas: set[str],
            after_noun: bool) -> Optional[PlaceMention]:
    """A slot's name matched by sound, its longest reading first ("علي قولو أوشاغي" before
    "علي قولو" before "علي"). Outside a place noun's slot only exact keys, in context."""
    within = _address_of(tokens, u.last, mentions, res.gazetteer)
    neighbours = frozenset((m.place.parent, m.place.kind) for m in mentions)
    prefixed = u.last - u.first > 1 and bool(context_index("name_prefix").find(tokens[u.first:u.first + 1]))
    for last in range(u.last, u.first, -1):
        end = tokens[last - 1].end
        original = _original(text, u.start, end)
        # a reading of several words must sound exactly like a name: near matches of
        # word pairs are too easy ("ثاني أكبر"), a prefix form (أشاغي X) excepted
        several = last - u.first > 1 and not prefixed
        place = lookup_by_key(res.names, original, sentence_areas, article_areas,
                              fuzzy=after_noun and not several, need_context=not after_noun,
                              within=within, neighbours=neighbours)
        if place is not None:
            return PlaceMention(place, u.first, last, u.start, end, "key")
    return None


def _address_of(tokens, last: int, mentions, gazetteer) -> Optional[str]:
    """The district a name's own address gives ("X في منطقة ترتر"، "X التابعة لمحافظة
    كلبجار"): a district or province named within a few words after it, a locator between."""
    for m in mentions:
        if m.first < last or m.first - last > 4:
            continue
        if m.place.kind in DISTRICT_KINDS:
            gap = tokens[last:m.first]
            if gap and (context_index("locator").find(gap) or words_of(gap)[:1] == ["في"]):
                return m.place.id
        return None
    return None


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
        match=m.match,
    )
