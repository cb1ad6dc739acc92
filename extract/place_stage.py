"""The place stage: which named places of each sentence can carry an incident.

Names the gazetteer lists (extract/places.py finds them, geo/resolve.py chooses among
same-spelled places); names in place slots matched by sound, then in GeoNames, else put at
the district the sentence names; then the decision which of them count: not the address of
another place, not history, not a photo caption or a dateline, the finest named.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from extract.claimants import SentenceAttribution
from extract.document import Document, Resources
from extract.events import find_triggers
from extract.lexicon import date_words
from extract.places import (PlaceMention, UnknownName, areas_of, context_index,
                            context_phrases, context_words, district_named, find_name_slots, find_places,
                            lookup_by_key, lookup_unknown, plausible_name)
from extract.tokens import Token, words_of
from geo.arabic import index_map
from geo.gazetteer import DISTRICT_KINDS
from geo.phonetic import modifier_words

_FINE = ("settlement", "feature", "district")


def places_stage(doc: Document) -> None:
    """Each sentence's `mentions` (the places that can carry an incident), `unknown` (slot
    names nothing resolved, with the district they were put at) and `dateline_end`."""
    res = doc.resources
    article_areas: set[str] = set()         # districts named so far: rank key matches
    for s in doc.sentences:
        tokens, norm = s.tokens, s.norm
        mentions, s.unknown = _incident_places(tokens, norm, s.sentence.text, res, article_areas)
        if not mentions:
            continue
        att = s.attribution
        assert att is not None
        if _is_caption(tokens, norm) and not any(src.end < len(tokens) - 3 for src in att.sources):
            mentions = []           # a photo caption (no speaker but the credit): where a picture was taken
        elif _is_dateline(tokens, norm, mentions[0], att):
            # the dateline's city and date are where and when the report was filed
            m0 = mentions[0]
            s.dateline_end = tokens[min(m0.last + 3, len(tokens) - 1)].end
            mentions = mentions[1:]
        s.mentions = mentions


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


def _is_dateline(tokens, norm: str, m: PlaceMention, att: SentenceAttribution) -> bool:
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
        if district is not None and plausible_name(original_spelling(text, u.start, u.end)):
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
    place = lookup_by_key(res.names, original_spelling(text, m.start, end), set(), set(), fuzzy=False)
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
        original = original_spelling(text, u.start, end)
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
            if gap and (context_index("locator").find(gap) or gap[0].text in context_words("address_in")):
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
    ago = context_words("ago")
    if ago.isdisjoint(window) and not any(map(str.isdigit, window)):
        return False        # no year and no "N years ago": the common case, decided in C
    units = context_words("year_unit")
    for k, word in enumerate(window):
        if word.isdigit():
            if _YEAR.match(word) and int(word) < 2020:
                return True
        elif word in ago and k + 2 < len(window) and window[k + 1].isdigit() and window[k + 2] in units:
            return True
    return False


# only sentences with an incident need the map, often for several places: made once each
_sentence_index_map = lru_cache(maxsize=32)(index_map)
_QUOTES = re.compile(r"[\"'«»“”()]")


def original_spelling(text: str, start: int, end: int) -> str:
    """The original spelling of the span [start, end) of normalize(text) (quotes inside a
    name dropped: 'ممر "لاشين"' -> 'ممر لاشين')."""
    index = _sentence_index_map(text)
    span = text[index[start]:index[end - 1] + 1]
    return " ".join(_QUOTES.sub("", span).split())
