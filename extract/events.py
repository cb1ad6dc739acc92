"""Event type: trigger words (extract/data/triggers.csv) tied to each place they govern."""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple, Optional, Sequence, cast

from extract.lexicon import triggers
from extract.tokens import PhraseIndex, Token

# Arabic puts the verb first ("قصفت ... مدينة X"), so a trigger before the place governs it;
# one after it ("قرى X ... تتعرض لإطلاق نار") only when none comes before. A trigger after the
# place usually opens the next clause ("صدت هجوما على محور هادروت، ودمرت 4 دبابات").
_MAX_DISTANCE = 30      # tokens


# A typed immutable record, made many times per article: a NamedTuple is built
# several times faster than a frozen dataclass.
class TriggerMention(NamedTuple):
    first: int          # token indexes
    last: int
    event_type: str


@lru_cache(maxsize=1)
def _index() -> PhraseIndex:
    return PhraseIndex((t.words, t.event_type) for t in triggers())


PEACEFUL = "~"          # a visit, a meeting: governs a place without making it an incident
_NEGATION_REACH = 3     # tokens after a negator ("وقف فوري للقتال") whose cues it cancels


def find_triggers(tokens: Sequence[Token]) -> list[TriggerMention]:
    """Event cues of the sentence. Phrases marked "-" (a ceasefire call) only mask shorter cues;
    a negator ("!": وقف، إنهاء) cancels a cue right after it."""
    out: list[TriggerMention] = []
    negated_until = -1
    object_end = -1         # end of the last weapon named as an object ("راجمة صواريخ من طراز غراد")
    for i, n, value in _index().find(tokens):
        etype = cast(str, value)
        if etype == "!":
            negated_until = i + n + _NEGATION_REACH
        elif etype != "-" and i >= negated_until:
            if out and _is_object_of(out[-1], max(out[-1].last, object_end), i, etype):
                object_end = i + n
                continue
            out.append(TriggerMention(i, i + n, etype))
    return out


# "أسقطت ... طائرة مسيرة", "تدمير راجمة صواريخ": the weapon right after a shoot-down or a
# destruction is what was hit, not a second act.
_OBJECT_REACH = 3
_WEAPON_TYPES = ("air_strike", "shelling")


def _is_object_of(previous: TriggerMention, previous_end: int, start: int, etype: str) -> bool:
    return (previous.event_type in ("shootdown", "destruction") and etype in _WEAPON_TYPES
            and start - previous_end <= _OBJECT_REACH)


# Harm to civilians is what an act did, not the act: "shelling that killed civilians" is
# typed by the shelling, and civilian_harm only when no act is named.
_OUTCOME_TYPES = ("civilian_harm",)


def event_type_at(triggers_: Sequence[TriggerMention], first: int, last: int) -> Optional[str]:
    """The type of the trigger governing a place spanning tokens [first, last)."""
    acts = [t for t in triggers_ if t.event_type not in _OUTCOME_TYPES]
    found = _nearest(acts, first, last) or _nearest(triggers_, first, last)
    return None if found == PEACEFUL else found


_INSTRUMENT_REACH = 3  # "قصفت مواقع في منطقة كالباجار بطائرات مسيرة": the weapon names the act


def _nearest(triggers_: Sequence[TriggerMention], first: int, last: int) -> Optional[str]:
    before = [t for t in triggers_ if t.last <= first and first - t.last <= _MAX_DISTANCE]
    if before:
        act = max(before, key=lambda t: t.last)
        if act.event_type == "shelling":
            # fired by drones: "قصفت X بطائرات مسيرة", "طائرات مسيرة ... قصفت X"
            drones = [t for t in triggers_ if t.event_type == "air_strike"
                      and (0 <= t.first - last <= _INSTRUMENT_REACH
                           or 0 <= act.first - t.last <= _INSTRUMENT_REACH + 1)]
            if drones:
                return "air_strike"
        return act.event_type
    after = [t for t in triggers_ if t.first >= last and t.first - last <= _MAX_DISTANCE]
    return min(after, key=lambda t: t.first).event_type if after else None
