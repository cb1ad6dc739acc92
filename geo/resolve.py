"""Choose among gazetteer places that share a spelling, using the sentence around the mention.

Evidence, strongest first (scores add up; the highest wins, ties go to the earlier candidate):

1. a parent (district, province, country...) of the candidate is named in the same sentence,
   as another matched place (`nearby_ids`) or as text: "مارتوني في منطقة جيغاركونيك" -> the
   Martuni in Gegharkunik (+4 for a district/province/region, +2 for a country); or a
   nationality adjective right after the name: "جلفا الإيرانية" -> Iran's Jolfa (+2);
2. the word before the name, looking back over a list ("بلدات ترتار وباردا وبيلاغان"):
   مدينة/بلدة/قرية -> a settlement, محافظة/منطقة/مقاطعة/إقليم -> a district or province,
   مرتفعات/تلة/جبل -> heights, ممر -> a corridor; or an adjective after it ("المرتفعة") (+3);
3. another place of the sentence sharing a region or province with the candidate (+2), or
   only its country (+1): "في منطقتي مارتوني وشوشا" -> Karabakh's Martuni, next to Shusha;
4. the default, when the sentence says nothing: a settlement before the district of the same
   name (reports name towns more often than districts, and the district's point is that town's),
   then the place nearest the Karabakh conflict zone (the village Aghdam of Tovuz loses to the
   city Aghdam unless Tovuz or "قرية" says otherwise).
"""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Collection, Iterable, Sequence

from geo.arabic import normalize
from geo.clitics import ARTICLE, PREFIXES, TO_THE, prefix_pattern, stems
from geo.gazetteer import AREA_KINDS, SETTLEMENT_KINDS, Gazetteer, Place, km

# Stepanakert/Khankendi: the centre the default leans towards
CONFLICT_CENTRE = (39.8177, 46.7528)

# The words around a name that the resolver reads live in geo/data/place_cues.csv.
_CUE_KINDS = ("noun", "after", "nationality", "connector", "stop")
_NOUN_VALUES = ("city", "town", "village", "district", "heights", "corridor", "border_post", "water")


class CueError(ValueError):
    """A bad row of geo/data/place_cues.csv (file, line, column named)."""


def _load_cues(path: Path = Path(__file__).resolve().parent / "data" / "place_cues.csv"
               ) -> dict[str, dict[str, str]]:
    """kind -> normalised word -> value, every row checked."""
    out: dict[str, dict[str, str]] = {k: {} for k in _CUE_KINDS}
    with path.open(encoding="utf-8", newline="") as f:
        rows = [(n, line) for n, line in enumerate(f.read().splitlines(), 1)
                if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in rows)))
    for k, row in enumerate(reader, 1):
        line = rows[k][0]
        word, kind, value = (row.get(c, "") or "" for c in ("word", "kind", "value"))
        if kind not in _CUE_KINDS:
            raise CueError(f"{path}:{line}: column 'kind': unknown kind {kind!r} "
                           f"(one of {', '.join(_CUE_KINDS)})")
        if kind == "noun" and value not in _NOUN_VALUES:
            raise CueError(f"{path}:{line}: column 'value': {value!r} is not one of "
                           f"{', '.join(_NOUN_VALUES)}")
        if kind == "after" and value not in _NOUN_VALUES:
            raise CueError(f"{path}:{line}: column 'value': {value!r} is not one of "
                           f"{', '.join(_NOUN_VALUES)}")
        if kind == "nationality" and not value:
            raise CueError(f"{path}:{line}: column 'value': a nationality needs its country id")
        if not normalize(word).strip():
            raise CueError(f"{path}:{line}: column 'word': empty")
        out[kind][normalize(word)] = value
    return out


_LOADED = _load_cues()
_CUES: dict[str, str] = _LOADED["noun"]          # "قرية" -> village
_AFTER_CUES = _LOADED["after"]                   # "المرتفعة" -> heights
_NATIONALITY = _LOADED["nationality"]            # "الإيرانية" -> iran

# Kinds each cue points to (+3) and kinds it tolerates (+1).
_FITS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "city": (frozenset({"city", "town", "capital"}), frozenset({"village"})),
    "town": (frozenset({"town", "city"}), frozenset({"village", "capital"})),
    "village": (frozenset({"village"}), frozenset({"town"})),
    "district": (frozenset({"district", "province", "county"}), frozenset({"region"})),
    "heights": (frozenset({"heights"}), frozenset()),
    "corridor": (frozenset({"corridor"}), frozenset()),
    "border_post": (frozenset({"border_post"}), frozenset({"corridor"})),
    "water": (frozenset({"reservoir", "lake"}), frozenset()),
}

# Words a look-back passes over inside a list of names; anything in _STOP ends it.
_CONNECTORS = frozenset(_LOADED["connector"])
_STOP = frozenset(_LOADED["stop"])
_SENTENCE_BREAK = re.compile(r"[.؛;:!?؟\n()]")
_MAX_LOOKBACK = 8        # words
_MAX_UNKNOWN = 2         # unrecognised words a look-back may pass over


_WORD = re.compile(r"\w+")      # letters and digits; Arabic punctuation (، ؛ ؟) stays outside


def words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _variants(word: str) -> Iterable[str]:
    """The word and its forms without its clitics (geo/clitics.py); لل read as ال too."""
    yield word
    for plen, rest in stems(word):
        if plen:
            yield rest
    if word.startswith(TO_THE) and len(word) > len(TO_THE) + 2:
        yield ARTICLE + word[len(TO_THE):]


def _cue_of(word: str) -> str | None:
    for v in _variants(word):
        if v in _CUES:
            return _CUES[v]
    return None


def _last_words(text: str, end: int, chars: int = 120) -> list[tuple[str, int, int]]:
    """The words of text[:end], at least the last _MAX_LOOKBACK of them, without tokenising
    a long sentence from its start."""
    lo = max(0, end - chars)
    if lo == 0:
        return words(text[:end])
    found = [(w, s + lo, e + lo) for w, s, e in words(text[lo:end])][1:]   # the first may be cut
    return found if len(found) >= _MAX_LOOKBACK else words(text[:end])


@lru_cache(maxsize=1 << 16)
def _look_back_role(word: str, known: frozenset[str]) -> str:
    """What a word means to a look-back: a cue (its kind), "stop", "pass" (a clitic,
    connector or word of a name) or "unknown". Words repeat: decided once each."""
    cue = _cue_of(word)
    if cue:
        return cue
    if word in _STOP or any(v in _STOP for v in _variants(word)):
        return "stop"
    if word in PREFIXES or word in _CONNECTORS or any(v in known for v in _variants(word)):
        return "pass"
    return "unknown"


def context_cue(gazetteer: Gazetteer, norm_sentence: str, start: int, end: int) -> str | None:
    """The kind of place the words around [start, end) announce, or None."""
    after = _WORD.search(norm_sentence, end, end + 40)
    if after and after.group() in _AFTER_CUES and not _SENTENCE_BREAK.search(norm_sentence, end, after.start()):
        return _AFTER_CUES[after.group()]
    before = _last_words(norm_sentence, start)
    known = gazetteer.name_words
    unknown = 0
    pos = start
    for w, s, e in reversed(before[-_MAX_LOOKBACK:]):
        if _SENTENCE_BREAK.search(norm_sentence[e:pos]):
            return None
        pos = s
        role = _look_back_role(w, known)
        if role == "stop":
            return None
        if role == "pass":
            continue
        if role != "unknown":
            return role         # a cue
        unknown += 1
        if unknown > _MAX_UNKNOWN:
            return None
    return None


@lru_cache(maxsize=4096)
def _name_forms(names: tuple[str, ...]) -> tuple[str, ...]:
    """Each normalised spelling's longest word (a name occurs only where that word does)."""
    return tuple(max(normalize(n).split(), key=len) for n in names if normalize(n).split())


@lru_cache(maxsize=4096)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole-word regex for any of the (normalised) names, a clitic or article allowed before."""
    forms = sorted({" ".join(normalize(n).split()) for n in names} - {""}, key=len, reverse=True)
    if not forms:
        return None
    alt = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    return re.compile(r"(?<![\w])" + prefix_pattern() + r"(?:" + alt + r")(?![\w])")


def _named_outside(place: Place, norm_sentence: str, start: int, end: int) -> bool:
    """Whether one of the place's spellings occurs in the sentence outside [start, end)."""
    return _spelled_outside(place.names_ar, norm_sentence, start, end)


# the candidates of one mention share ancestors (a town and its district: the country)
@lru_cache(maxsize=256)
def _spelled_outside(names: tuple[str, ...], norm_sentence: str, start: int, end: int) -> bool:
    if not any(form in norm_sentence for form in _name_forms(names)):
        return False        # not even as a substring: no need for the regex
    pat = _name_pattern(names)
    if pat is None:
        return False
    return any(m.end() <= start or m.start() >= end for m in pat.finditer(norm_sentence))


def nationality_after(norm_sentence: str, end: int) -> str | None:
    """Country id given by an adjective within two words after the name, or None."""
    for m in islice(_WORD.finditer(norm_sentence, end, end + 60), 2):
        if _SENTENCE_BREAK.search(norm_sentence, end, m.start()):
            return None
        if m.group() in _NATIONALITY:
            return _NATIONALITY[m.group()]
    return None


@lru_cache(maxsize=4096)
def _remoteness(lat: float, lon: float) -> float:
    """The default's tie-breaker: distance from the conflict zone (< 0.2)."""
    return min(km(lat, lon, *CONFLICT_CENTRE), 1000.0) / 5000.0


def score(gazetteer: Gazetteer, place: Place, cue: str | None, norm_sentence: str,
          start: int, end: int, nearby: Collection[str], nationality: str | None) -> float:
    """How well `place` fits the mention's context (see the module docstring).
    `nationality` is nationality_after(norm_sentence, end), the same for every candidate."""
    s = 0.0
    ancestors = gazetteer.ancestors(place.id)
    # 1. a parent named nearby
    for aid in ancestors:
        a = gazetteer.get(aid)
        if a is None:
            continue
        if aid in nearby or _named_outside(a, norm_sentence, start, end):
            s += 2.0 if a.kind == "country" else 4.0
            break
    if nationality == gazetteer.country_of(place.id) != "":
        s += 2.0
    # 2. the context word
    if cue is not None:
        fits, tolerates = _FITS[cue]
        s += 3.0 if place.kind in fits else 1.0 if place.kind in tolerates else 0.0
    # 3. neighbours in the same sentence
    country = gazetteer.country_of(place.id)
    mine = {a for a in ancestors if a != country}
    best = 0.0
    for nid in nearby:
        if nid == place.id or nid in ancestors:
            continue
        if not mine.isdisjoint(gazetteer.lineage(nid)):
            best = 2.0
            break
        if not best and country and gazetteer.country_of(nid) == country:
            best = 1.0
    s += best
    # 4. defaults: settlement first, then nearness to the conflict zone (< 0.5 in all)
    if place.kind in SETTLEMENT_KINDS:
        s += 0.3
    elif place.kind in AREA_KINDS:
        s += 0.1
    s -= _remoteness(place.lat, place.lon)
    return s


def rank(gazetteer: Gazetteer, candidate_ids: Sequence[str], norm_sentence: str, start: int, end: int,
         nearby_ids: Collection[str] = ()) -> list[tuple[float, Place]]:
    """Candidates with their scores, best first (stable for ties)."""
    places = [p for p in (gazetteer.get(i) for i in dict.fromkeys(candidate_ids)) if p is not None]
    if not places:
        raise ValueError(f"none of the candidate ids {list(candidate_ids)!r} is in the gazetteer")
    nearby = frozenset(nearby_ids) - {p.id for p in places}
    cue = context_cue(gazetteer, norm_sentence, start, end) if len(places) > 1 else None
    nationality = nationality_after(norm_sentence, end)
    scored = [(score(gazetteer, p, cue, norm_sentence, start, end, nearby, nationality), k, p)
              for k, p in enumerate(places)]
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(s, p) for s, _, p in scored]


def resolve(gazetteer: Gazetteer, candidate_ids: Sequence[str], norm_sentence: str, start: int, end: int,
            nearby_ids: Collection[str] = ()) -> Place:
    """The place meant by the mention norm_sentence[start:end], among candidate_ids.

    norm_sentence is the sentence normalised with geo.arabic.normalize; nearby_ids are the
    ids of the other places matched in the same sentence. Raises ValueError if no candidate
    id is in the gazetteer.
    """
    return rank(gazetteer, candidate_ids, norm_sentence, start, end, nearby_ids)[0][1]
