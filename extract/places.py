"""Find the gazetteer's places in a sentence (Mordecai's first step: find names; geo/ resolves them).

Matching is over normalised words with clitics stripped from the first word of a name
("وترتر" -> ترتر، "بقره باغ" -> قره باغ), whole words only, the longest name winning.
"""
from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import NamedTuple, Optional, Sequence, cast

from extract.lexicon import CONTEXT_KINDS, LexiconError, read_rows, speech_verbs
from geo.arabic import normalize
from extract.tokens import PhraseIndex, Token, WordTags, tokenize, words_of
from geo.clitics import AND, ARTICLE, IN, stems
from geo.gazetteer import DISTRICT_KINDS, Gazetteer, Place
from geo.phonetic import KeyIndex, keys, modifier_words
from geo.phonetic import distance as sound_distance
from geo.resolve import resolve


# A typed immutable record, made many times per article: a NamedTuple is built
# several times faster than a frozen dataclass.
class PlaceMention(NamedTuple):
    place: Place
    first: int              # token index of the name's first word
    last: int               # token index after the name
    start: int              # offsets of the name (clitics excluded) in the normalised sentence
    end: int
    match: str = "curated"  # curated | key | geonames | district-fallback (the codebook's `match`)


class UnknownName(NamedTuple):
    name: str               # normalised phrase after قرية/بلدة/مدينة...
    start: int
    end: int
    first: int              # token indexes
    last: int


@lru_cache(maxsize=1)
def _context_rows() -> tuple[tuple[str, str], ...]:
    """(phrase as written, kind) of every row of context.csv: read and checked once."""
    return tuple((r["phrase"], r["kind"])
                 for r in read_rows("context.csv", ("phrase", "kind"), kinds=CONTEXT_KINDS))


def context_phrases(kind: str, normalised: bool = True) -> tuple[str, ...]:
    """The phrases of one kind of context.csv, normalised (or as written, for checks that
    read the original spelling)."""
    return tuple(normalize(p) if normalised else p for p, k in _context_rows() if k == kind)


@lru_cache(maxsize=None)
def context_words(kind: str) -> frozenset[str]:
    """The phrases of one kind of context.csv as a set (normalised), for one-word tests."""
    return frozenset(context_phrases(kind))


@lru_cache(maxsize=1)
def _context() -> dict[str, PhraseIndex]:
    kinds = {k for _, k in _context_rows()}
    return {k: PhraseIndex((tuple(p.split()), k) for p in context_phrases(k)) for k in kinds}


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
        # words that begin a name, clitics stripped (most words of a sentence begin none),
        # and the place nouns that open a slot for an unknown name: one pass finds both
        self.word_tags = WordTags(lambda word: bool(self._readings(word)), _is_place_noun)

    @cached_property
    def keys(self) -> KeyIndex:
        """Phonetic keys of every Latin and Arabic name below country and region level."""
        return KeyIndex((p.id, name) for p in self.gazetteer
                        if p.precision not in ("country", "region")
                        for name in (*p.latin_names, *p.names_ar))

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


def find_names(tokens: Sequence[Token], index: NameIndex,
               starts: Optional[Sequence[int]] = None) -> list[tuple[int, int, int, tuple[str, ...]]]:
    """(first token, token count, clitic length, candidate ids) of each name, left to right.
    `starts`: the positions of words that may begin one (`NameIndex.word_tags`), if known."""
    if starts is None:
        starts = index.word_tags.positions(words_of(tokens))[0]
    out = []
    next_free = 0
    for i in starts:
        if i < next_free:
            continue
        m = index.match(tokens, i)
        if m:
            plen, n, ids = m
            out.append((i, n, plen, ids))
            next_free = i + n
    return out


def find_places(tokens: Sequence[Token], norm: str, index: NameIndex,
                actors: Optional[list[int]] = None,
                starts: Optional[Sequence[int]] = None) -> list[PlaceMention]:
    """Every gazetteer place named in the sentence, resolved among same-spelled places by
    context. The token positions of names standing for actors are added to `actors`."""
    raw = find_names(tokens, index, starts)
    all_ids = {pid for _, _, _, ids in raw for pid in ids}
    out = []
    for i, n, plen, ids in raw:
        start, end = tokens[i].start + plen, tokens[i + n - 1].end
        nearby = all_ids - set(ids)
        # the ids come from this gazetteer's own index, so get() always finds the place
        place = (cast(Place, index.gazetteer.get(ids[0])) if len(ids) == 1
                 else resolve(index.gazetteer, ids, norm, start, end, nearby))
        if place.id in index.actor_ids and not _locative_before(tokens, i, plen):
            if actors is not None:
                actors.extend(range(i, i + n))
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
    if plen and IN in tokens[i].text[:plen]:
        return True
    texts = words_of(tokens)
    for kind in ("locative", "place_noun"):
        loc = context_index(kind)
        for j in (i - 1, i - 2):
            # a phrase filling the words from j up to the name
            if j >= 0 and loc.match(texts[j:i], 0)[0] == i - j:
                return True
    return False


_NOT_NAME = re.compile(r"^(?:" + ARTICLE + r"|\d)")


class UnknownSlot(NamedTuple):
    name: UnknownName
    after_noun: bool        # in a slot opened by قرية/منطقة...; else in a list that goes on
                            # from a known place ("ترتر وX")


def find_name_slots(tokens: Sequence[Token], mentions: Sequence[PlaceMention],
                    norm: str = "", actors: Sequence[int] = (), *,
                    nouns: Sequence[int]) -> list[UnknownSlot]:
    """Every unknown name in a place slot: after a place noun and in the list it opens
    (known names in it included), and in a list that goes on from a known place
    ("ترتر وX"); a list goes on after a comma, a dash or و. `nouns`: the positions of the
    place nouns (`NameIndex.word_tags`)."""
    starts = [(i + 1, 0, True) for i in nouns]
    if mentions:
        known_starts = {m.first for m in mentions}
        for m in mentions:
            step = _list_goes_on(tokens, m.last, norm)
            # a list going on with another known name is walked from that one
            if step is not None and step[0] not in known_starts:
                starts.append((*step, False))
    if not starts:
        return []           # no قرية/مدينة... and no list: the common case
    known_end = {k: m.last for m in mentions for k in range(m.first, m.last)}
    modifiers = modifier_words()
    out: list[UnknownSlot] = []
    taken: set[int] = set()
    reached: set[int] = set()   # positions a walk went through: a list is walked once
    for j, strip, after_noun in starts:
        if after_noun:
            j = _past_list_opener(tokens, j, norm)
        if after_noun and j < len(tokens) and tokens[j].text.startswith(AND):
            continue        # "في القرية وفقد ابنه": a name follows its noun without و
        for _ in range(_MAX_LISTED):
            if j in reached:
                break
            reached.add(j)
            if j in known_end:
                last = known_end[j]         # a known name in the list: the list goes on
            else:
                if j in taken or j in actors or not _could_be_name(tokens, j, strip, known_end):
                    break
                last = j + 1
                if last < len(tokens) and context_index("name_prefix").find(tokens[j:j + 1]):
                    last += 1   # أشاغي/يوخاري (lower/upper) + name: one name
                # a name of several words ("دولت يارلي"، "علي قولو أوشاغي"): the words that
                # follow with no separator and could be names; the key look-up tries the
                # longest reading first
                while (last < len(tokens) and last - j < _MAX_NAME_WORDS and last not in known_end
                       and last not in actors
                       and _joined(tokens, last, norm) and _could_be_name(tokens, last, 0, known_end)):
                    last += 1
                if last < len(tokens) and tokens[last].text in modifiers:
                    last += 1   # كوزلك العليا: the Arabic "upper" after the name is part of it
                if not after_noun and not _ends_item(tokens, last, norm):
                    break   # "ترتر، وسط اتهامات": a list item is followed by the list's end
                taken.add(j)
                out.append(UnknownSlot(UnknownName(
                    " ".join([tokens[j].text[strip:]] + [t.text for t in tokens[j + 1:last]]),
                    tokens[j].start + strip, tokens[last - 1].end, j, last), after_noun))
            step = _list_goes_on(tokens, last, norm)
            if step is None and last in known_end:
                step = (last, 0)    # names side by side ("خوجاوند ـ فضولي": the dash was a tatweel)
            if step is None:
                break
            j, strip = step
    out.sort(key=lambda s: s.name.first)
    return out


_MAX_NAME_WORDS = 3


def _joined(tokens: Sequence[Token], k: int, norm: str) -> bool:
    """Whether token k follows the one before with only a space (no punctuation, no و)."""
    # a preposition ends a name of several words (ends_name)
    if tokens[k].text.startswith(AND) or tokens[k].text in context_words("ends_name"):
        return False
    gap = norm[tokens[k - 1].end:tokens[k].start] if norm else " "
    return gap.strip() == ""


def _ends_item(tokens: Sequence[Token], last: int, norm: str) -> bool:
    """Whether a list item can end at token `last`: the sentence ends, punctuation or a
    quote follows, the list goes on, or a locator or place noun follows ("X التابعة لـ")."""
    if last >= len(tokens):
        return True
    gap = norm[tokens[last - 1].end:tokens[last].start] if norm else ""
    if any(c in gap for c in '،,-.:؛;?!()"'):
        return True
    if tokens[last].text.startswith(AND) or tokens[last].text in context_words("ends_item"):
        return True
    rest = tokens[last:last + 2]
    return bool(context_index("locator").find(rest) or context_index("place_noun").find(rest[:1]))


def _past_list_opener(tokens: Sequence[Token], j: int, norm: str) -> int:
    """Where the names begin after a plural place noun that announces a list: "القرى
    المحررة هي: X، Y"، "القرى التالية: X". Only when a colon or semicolon ends the opener."""
    openers = context_words("list_opener")
    k = j
    while k < len(tokens) and k - j < 3 and (tokens[k].text.startswith(ARTICLE)
                                             or tokens[k].text in openers):
        k += 1
    if k == j or k >= len(tokens):
        return j
    gap = norm[tokens[k - 1].end:tokens[k].start] if norm else ""
    return k if any(c in gap for c in ":؛;") else j


@lru_cache(maxsize=1)
def _place_noun_words() -> frozenset[str]:
    nouns = context_words("place_noun")
    if any(" " in n for n in nouns):
        raise LexiconError("context.csv: a place_noun must be one word")
    return nouns


def _is_place_noun(word: str) -> bool:
    """A place noun with or without clitics (بمنطقة، وقرى): every place noun is one word."""
    nouns = _place_noun_words()
    return any(rest in nouns for _, rest in stems(word))


def _list_goes_on(tokens: Sequence[Token], last: int, norm: str) -> Optional[tuple[int, int]]:
    """After the name ending at token `last`: (token of the next list item, length of its
    و to strip), or None when the list stops there. "X، Y"، "X-Y"، "X وY"، 'X" و"Y'."""
    if last >= len(tokens) or last == 0:
        return None
    gap = norm[tokens[last - 1].end:tokens[last].start] if norm else ""
    word = tokens[last].text
    if gap == " " and word != AND:      # the common case: one space
        if word.startswith(AND) and len(word) > 3:
            return last, len(AND)
        return None
    if any(c in gap for c in ".:؛;?!()"):
        return None         # the sentence or the clause ends: so does the list
    if word == AND:         # 'و"X"': the conjunction stood apart from a quoted name
        return (last + 1, 0) if last + 1 < len(tokens) else None
    strip = len(AND) if word.startswith(AND) and len(word) > 3 else 0
    if strip or any(c in gap for c in "،,-"):
        return last, strip
    return None


_MAX_LISTED = 40     # announcements list dozens of villages


def _could_be_name(tokens: Sequence[Token], j: int, strip: int, covered) -> bool:
    if j >= len(tokens) or j in covered:
        return False
    return _word_could_be_name(tokens[j].text[strip:])


@lru_cache(maxsize=1 << 16)
def _word_could_be_name(word: str) -> bool:
    """Not an ordinary word, a number, a speech verb, a place noun or an event word
    ("، ودمرت 4 دبابات": an act, not a name). Words recur: decided once each."""
    from extract.events import find_triggers     # the event lexicon's words are never names
    one = [Token(word, 0, len(word))]
    return not (_NOT_NAME.match(word) or len(word) < 3 or word.isdigit() or (word,) in speech_verbs()
                or any(context_index(k).find(one) for k in ("not_name", "place_noun"))
                or bool(find_triggers(one)))


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


# ------------------------------------------------------------------ names matched by sound

def areas_of(mentions: Sequence[PlaceMention], gazetteer: Gazetteer) -> set[str]:
    """The districts and provinces a sentence names, directly or through a town in them."""
    found = _AREAS.setdefault(id(gazetteer), {})
    out: set[str] = set()
    for m in mentions:
        area = found.get(m.place.id)
        if area is None:
            area = found[m.place.id] = _area_of(m.place.id, gazetteer)
        if area:
            out.add(area)
    return out


_AREAS: dict[int, dict[str, str]] = {}      # gazetteer -> place id -> its area ("" none)


def _area_of(place_id: str, gazetteer: Gazetteer) -> str:
    for pid in (place_id, *gazetteer.ancestors(place_id)):
        p = gazetteer.get(pid)
        if p is not None and p.kind in DISTRICT_KINDS:
            return pid
    return ""


def _ordinary(original: str) -> bool:
    """Words a Turkic or Armenian name never is: a word ending in ة (كبيرة، عسكرية، عدة) is
    an Arabic noun or adjective, one ending in ها/هم/هما a noun with a pronoun (محيطها),
    one ending in tanween alef an adverb (تحديداً)."""
    letters, pronouns = _endings()
    for w in original.split():
        if w.endswith(letters) or (len(w) > 5 and w.endswith(pronouns)):
            return True
    return False


@lru_cache(maxsize=1)
def _endings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(endings of any word, pronoun endings of long words) from context.csv, as written
    (ة is kept apart from ه here: the check reads the original spelling)."""
    return (context_phrases("not_name_ending", normalised=False),
            context_phrases("pronoun_ending", normalised=False))


def _is_district(g: Gazetteer, pid: str) -> bool:
    p = g.get(pid)
    return p is not None and p.kind in ("district", "county")


_KIND_RANK = {"capital": 0, "city": 0, "town": 1, "village": 2, "settlement": 2}


def plausible_name(original: str) -> bool:
    """Whether an unknown word in a slot can stand for a village at its district: not an
    Arabic noun or adjective, and three consonant classes or more."""
    return not _ordinary(original) and any(len(k) >= 3 for k in keys(original))


def lookup_by_key(index: NameIndex, original: str, sentence_areas: set[str],
                  article_areas: set[str], fuzzy: bool = True,
                  need_context: bool = False, within: Optional[str] = None,
                  neighbours: frozenset[tuple[str, str]] = frozenset()) -> Optional[Place]:
    """The gazetteer place whose name sounds like `original` (as written): exact keys before
    near ones, then by the districts the sentence names, then those the article names, then
    places with curated Arabic spellings, then the closer vowels, then towns before villages."""
    if _ordinary(original):
        return None
    found = index.keys.lookup(original)
    # a key of one or two classes (سور، تشايلي) is common to many words: only within a
    # district the sentence names
    short = all(len(k) < 3 for k in keys(original))
    need_context = need_context or short
    if not fuzzy:
        found = [(pid, e) for pid, e in found if e == 0]
    g = index.gazetteer
    if within is not None:
        # the name's own address ("X في منطقة ترتر") rules out places elsewhere
        found = [(pid, e) for pid, e in found if within in g.lineage(pid)]
    if not found:
        return None
    order = {pid: k for k, (pid, _) in enumerate(found)}

    def rank(item):
        pid, edits = item
        lineage = g.lineage(pid)
        place = g.get(pid)
        # a district the sentence names is strong evidence; a province (Armenia's run
        # 100 km) or a district the article named earlier is weaker than the prior below
        named = lineage & sentence_areas
        district = any(_is_district(g, a) for a in named)
        # ... as is a neighbour of its kind ("خوجاوند، فضولي واغديري": districts of one region)
        weak = 1 if (named or lineage & article_areas
                     or (place is not None and (place.parent, place.kind) in neighbours)) else 0
        # a place with curated Arabic spellings is one the news names
        curated = 0 if place is not None and place.names_ar else 1
        return (edits, -district, curated, -weak)

    def tiebreak(item):
        pid, _ = item
        place = g.get(pid)
        # equal so far: the name whose vowels fall where the written ones do, then towns
        # before villages (bigger places are reported more)
        close = min((sound_distance(original, n) for n in (*place.latin_names, *place.names_ar)),
                    default=99) if place is not None else 99
        settled = _KIND_RANK.get(place.kind, 4) if place is not None else 9
        return (close, settled, order[pid])

    ranked = {item: rank(item) for item in found}
    top = min(ranked.values())
    tied = [item for item in found if ranked[item] == top]
    best = tied[0] if len(tied) == 1 else min(tied, key=tiebreak)
    if short and not rank(best)[1]:
        return None
    if need_context and not (rank(best)[1] or rank(best)[3]):
        return None
    return g.get(best[0])


def district_named(mentions: Sequence[PlaceMention], gazetteer: Gazetteer, after: int,
                   tokens: Sequence[Token] = ()) -> Optional[Place]:
    """The district a sentence names for an unknown village: the first after it, else the
    last before it ("قرى X وY في محافظة جبرائيل", "في محافظة جبرائيل، قرى X وY"), named
    as an address: after محافظة/منطقة/مقاطعة or a locator (a district in a list of
    districts is a neighbour, not an address)."""
    districts = [m for m in mentions if m.place.kind in DISTRICT_KINDS
                 and (not tokens or _named_as_address(tokens, m.first))]
    later = [m for m in districts if m.first >= after]
    pick = later[0] if later else (districts[-1] if districts else None)
    return pick.place if pick else None


def _named_as_address(tokens: Sequence[Token], first: int) -> bool:
    before = tokens[max(0, first - 2):first]
    return bool(before) and bool(context_index("place_noun").find(before[-1:])
                                 or context_index("locator").find(before))
