"""Find the gazetteer's places in a sentence (Mordecai's first step: find names; geo/ resolves them).

Matching is over normalised words with clitics stripped from the first word of a name
("وترتر" -> ترتر، "بقره باغ" -> قره باغ), whole words only, the longest name winning.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional, Sequence, cast

from extract.lexicon import read_rows, speech_verbs
from extract.arabic import normalize
from extract.tokens import PhraseIndex, Token, WordFilter, stems, tokenize, words_of
from geo.gazetteer import Gazetteer, Place
from geo.resolve import resolve


# A typed immutable record, made many times per article: a NamedTuple is built
# several times faster than a frozen dataclass.
class PlaceMention(NamedTuple):
    place: Place
    first: int              # token index of the name's first word
    last: int               # token index after the name
    start: int              # offsets of the name (clitics excluded) in the normalised sentence
    end: int


class UnknownName(NamedTuple):
    name: str               # normalised phrase after قرية/بلدة/مدينة...
    start: int
    end: int
    first: int              # token indexes
    last: int


@lru_cache(maxsize=1)
def _context() -> dict[str, PhraseIndex]:
    rows = read_rows("context.csv", ("phrase", "kind"))
    kinds = {r["kind"] for r in rows}
    return {k: PhraseIndex((tuple(normalize(r["phrase"]).split()), k) for r in rows if r["kind"] == k)
            for k in kinds}


def context_index(kind: str) -> PhraseIndex:
    return _context()[kind]


class NameIndex:
    """Normalised gazetteer spellings by first word, for longest-match search."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._cache: dict[str, list] = {}
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for name, ids in gazetteer.arabic_index.items():
            words = tuple(t.text for t in tokenize(name))
            if words:
                self.by_first.setdefault(words[0], []).append((words, ids))
        for names in self.by_first.values():
            names.sort(key=lambda entry: -len(entry[0]))     # longest first (stable: file order)
        # countries and national capitals, which a sentence names as actors more often than places
        self.actor_ids = frozenset(p.id for p in gazetteer if _names_an_actor(p, gazetteer))
        # words that begin a name, clitics stripped (most words of a sentence begin none)
        self.starts = WordFilter(lambda word: bool(self._readings(word)))

    def _readings(self, word: str) -> list[tuple[int, list]]:
        """(clitic length, names starting with the rest) for each reading of `word` that has any."""
        found = self._cache.get(word)
        if found is None:
            found = [(plen, self.by_first[rest]) for plen, rest in stems(word) if rest in self.by_first]
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[word] = found
        return found

    def match(self, tokens: Sequence[Token], i: int) -> Optional[tuple[int, int, tuple[str, ...]]]:
        """(clitic length, word count, place ids) of the longest name at token i."""
        texts = words_of(tokens)
        # the least stripped reading that is a name wins ("باردا" before "ب"+"اردا")
        for plen, names in self._readings(texts[i]):
            for words, ids in names:            # longest first
                n = len(words)
                if n == 1 or tuple(texts[i + 1:i + n]) == words[1:]:
                    return plen, n, ids
        return None


def find_names(tokens: Sequence[Token], index: NameIndex) -> list[tuple[int, int, int, tuple[str, ...]]]:
    """(first token, token count, clitic length, candidate ids) of each name, left to right."""
    out = []
    next_free = 0
    for i in index.starts.positions(words_of(tokens)):
        if i < next_free:
            continue
        m = index.match(tokens, i)
        if m:
            plen, n, ids = m
            out.append((i, n, plen, ids))
            next_free = i + n
    return out


def find_places(tokens: Sequence[Token], norm: str, index: NameIndex) -> list[PlaceMention]:
    """Every gazetteer place named in the sentence, resolved among same-spelled places by context."""
    raw = find_names(tokens, index)
    all_ids = {pid for _, _, _, ids in raw for pid in ids}
    out = []
    for i, n, plen, ids in raw:
        start, end = tokens[i].start + plen, tokens[i + n - 1].end
        nearby = all_ids - set(ids)
        # the ids come from this gazetteer's own index, so get() always finds the place
        place = (cast(Place, index.gazetteer.get(ids[0])) if len(ids) == 1
                 else resolve(index.gazetteer, ids, norm, start, end, nearby))
        if place.id in index.actor_ids and not _locative_before(tokens, i, plen):
            continue        # "قصفت أرمينيا", "اتهمت روسيا باكو": an actor, not a location
        out.append(PlaceMention(place, i, i + n, start, end))
    return out


def _names_an_actor(place: Place, gazetteer: Gazetteer) -> bool:
    """Countries and national capitals stand for governments more often than for places."""
    if place.kind == "country":
        return True
    parent = gazetteer.get(place.parent) if place.parent else None
    return place.kind == "capital" and (parent is None or parent.kind == "country")


def _locative_before(tokens: Sequence[Token], i: int, plen: int) -> bool:
    """Whether the name at token i stands as a location: "في أرمينيا", "بباكو", "العاصمة باكو"."""
    if plen and "ب" in tokens[i].text[:plen]:
        return True
    texts = words_of(tokens)
    for kind in ("locative", "place_noun"):
        loc = context_index(kind)
        for j in (i - 1, i - 2):
            # a phrase filling the words from j up to the name
            if j >= 0 and loc.match(texts[j:i], 0)[0] == i - j:
                return True
    return False


_NOT_NAME = re.compile(r"^(?:ال|\d)")


def find_unknown_names(tokens: Sequence[Token], mentions: Sequence[PlaceMention],
                       norm: str = "") -> list[UnknownName]:
    """Phrases introduced by قرية/بلدة/مدينة... that are not gazetteer names, and the names
    listed after them ("قرى أشاغي أبدولار وقاراخانبيلي وكوجاهمادلي")."""
    index = context_index("place_noun")
    nouns = index.find(tokens)
    if not nouns:
        return []           # no قرية/مدينة... in the sentence: the common case
    covered = {k for m in mentions for k in range(m.first, m.last)}
    out = []
    for i, n, _ in nouns:
        j, strip = i + n, 0
        for _ in range(_MAX_LISTED):
            if not _could_be_name(tokens, j, strip, covered):
                break
            last = j + 1
            if last < len(tokens) and context_index("name_prefix").find(tokens[j:j + 1]):
                last += 1   # أشاغي/يوخاري (lower/upper) + name: one name
            out.append(UnknownName(" ".join([tokens[j].text[strip:]] + [t.text for t in tokens[j + 1:last]]),
                                   tokens[j].start + strip, tokens[last - 1].end, j, last))
            # a list goes on after a comma or with و
            if last >= len(tokens):
                break
            gap = norm[tokens[last - 1].end:tokens[last].start] if norm else ""
            if '"' in gap:
                break       # a quote closes the list
            comma = any(c in gap for c in "،,")
            strip = 1 if tokens[last].text.startswith("و") and not comma else 0
            if not comma and not strip:
                break
            j = last
    return out


_MAX_LISTED = 6


def _could_be_name(tokens: Sequence[Token], j: int, strip: int, covered: set) -> bool:
    if j >= len(tokens) or j in covered:
        return False
    word = tokens[j].text[strip:]
    return not (_NOT_NAME.match(word) or len(word) < 3 or word.isdigit() or (word,) in speech_verbs()
                or any(context_index(k).find([Token(word, 0, len(word))]) for k in ("not_name", "place_noun")))


def lookup_unknown(tokens: Sequence[Token], unknown: UnknownName) -> Optional[PlaceMention]:
    """An unknown name found in GeoNames' Arabic names (offline): two words, then one."""
    from geo.geonames import lookup_arabic
    for last in (unknown.last + 1, unknown.last):
        if last > len(tokens):
            continue
        name = " ".join(t.text for t in tokens[unknown.first:last])
        place = lookup_arabic(name)
        if place:
            return PlaceMention(place, unknown.first, last, tokens[unknown.first].start, tokens[last - 1].end)
    return None
