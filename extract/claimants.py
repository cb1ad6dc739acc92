"""Who claims it: source patterns found in a sentence, and attribution carried across sentences.

A sentence names its speaker ("وأعلنت وزارة الدفاع الأذربيجانية"), quotes one ("بحسب
الادعاء العام"), relays one ("نقلت وكالة أرمنبريس عن الخارجية الأرمينية"), or goes on with
the last one ("وأضافت"، "وأوضح البيان"، "وقالت إن"). A denial ("نفت ...") does not make the
denier the claimant of what it denies.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple, Optional, Sequence, cast

from extract.lexicon import (ClaimantPattern, claimant_patterns, date_words, speech_verbs,
                             statement_words)
from extract.tokens import PhraseIndex, Token
from geo.clitics import PREFIXES

UNATTRIBUTED = "unattributed"
_DENIER_REACH = 2       # tokens after a denial verb where its own subject stands (a title word between)

# The words that carry a statement on live in extract/data/statement_words.csv.
_WORDS = statement_words()
# "كما", "ثم", "بدوره" open a sentence that goes on (with any clitic: "وكما", "فثم")
_GOING_ON = frozenset(p + w for w in _WORDS["going_on"] for p in PREFIXES)
_QUOTE_OR_COLON = frozenset(':"\'')
_THAT = _WORDS["that"]
# After a speech verb, these words mean the verb has no new subject: the last speaker goes on.
_NO_SUBJECT = _WORDS["no_subject"]
_RELAY = _WORDS["relay"]                        # "عن": the source after it is relayed
_BEFORE_SOURCE = _RELAY | _WORDS["voice"]       # a source after these speaks


# A typed immutable record, made many times per article: a NamedTuple is built
# several times faster than a frozen dataclass.
class SourceMention(NamedTuple):
    start: int                  # token index
    end: int                    # token index (exclusive)
    code: str                   # claimant code; "" for a generic reference ("الوزارة")
    speaker: bool               # names who speaks (a source pattern, or a subject of a speech verb)
    after_verb: bool            # stands right after a speech verb, بحسب/وفق or "عن"
    relayed: bool = False       # after "عن": the one whose words are relayed
    vouching: bool = False      # after بحسب/وفق/"أوردته": vouches for a report, the speaker is another


class SentenceAttribution(NamedTuple):
    sources: tuple[SourceMention, ...]
    deny_at: tuple[int, ...]        # token indexes of denial verbs
    false_at: tuple[int, ...]       # token indexes of "كاذبة"-type words
    continues: bool                 # opens by going on with the previous speaker
    unknown_speaker: bool           # opens with a speech verb whose subject we do not know


@lru_cache(maxsize=1)
def _indexes() -> tuple[PhraseIndex, PhraseIndex]:
    sources = PhraseIndex((p.words, p) for p in claimant_patterns())
    verbs = PhraseIndex((words, kind) for words, kind in speech_verbs().items())
    return sources, verbs


def analyse(tokens: Sequence[Token], norm: str = "") -> SentenceAttribution:
    """Find the sentence's sources, speech verbs and denials."""
    source_index, verb_index = _indexes()
    verbs: dict[int, tuple[int, str]] = {}
    for i, n, value in verb_index.find(tokens):
        kind = cast(str, value)
        if kind == "opening":
            # an ambiguous verb (بين: "clarified" or "between") counts only opening the sentence before أن
            if not (i == 0 and i + n < len(tokens) and tokens[i + n].text in _THAT):
                continue
            kind = "continue"
        verbs[i] = (n, kind)
    according = [j for j, (_, kind) in verbs.items() if kind == "according"]
    sources: list[SourceMention] = []
    for i, n, value in source_index.find(tokens):
        pattern = cast(ClaimantPattern, value)
        # "قالت أذربيجان", or headline order "أذربيجان تعلن"
        after_verb = _after_speech(tokens, verbs, i, norm, pattern.role != "subject") or (
            i + n in verbs and verbs[i + n][1] in ("say", "deny") and i <= 1)
        if pattern.role == "subject" and not after_verb:
            continue
        relayed = i > 0 and tokens[i - 1].text in _RELAY
        vouching = any(i - 3 <= j < i for j in according)
        sources.append(SourceMention(i, i + n, pattern.code, after_verb or pattern.role == "source",
                                     after_verb, relayed, vouching))
    deny_at = tuple(i for i, (n, k) in verbs.items() if k == "deny") if verbs else ()
    false_at = tuple(i for i, (n, k) in verbs.items() if k == "false") if verbs else ()
    continues, unknown = _opening(tokens, verbs, sources)
    return SentenceAttribution(tuple(sources), deny_at, false_at, continues, unknown)


def _after_speech(tokens: Sequence[Token], verbs: dict, i: int, norm: str = "", title_gap: bool = True) -> bool:
    """Whether token i is the subject of a speech verb or follows بحسب/وفق/عن.

    Not across a colon or a quote: in 'وأضاف: "أرمينيا استهدفت ..."' Armenia is quoted, not speaking.
    """
    for j in (range(max(0, i - 4), i) if verbs else ()):
        # right after the verb, or a named source with one title word between ("أعلن الرئيس
        # علييف"); a bare country or capital only right after it ("اتهمت يريفان باكو": Yerevan speaks)
        if j in verbs and (i - 1 if title_gap else i) <= j + verbs[j][0] <= i:
            between = norm[tokens[j + verbs[j][0] - 1].end:tokens[i].start] if norm else ""
            if not _QUOTE_OR_COLON.isdisjoint(between):
                return False
            return verbs[j][1] in ("say", "continue", "deny", "according")
    if i > 0 and tokens[i - 1].text in _BEFORE_SOURCE:
        return True
    return False


def _opening(tokens: Sequence[Token], verbs: dict, sources: list[SourceMention]) -> tuple[bool, bool]:
    """(continues the previous speaker, opens with an unknown speaker)."""
    i = 0
    while i < len(tokens) and tokens[i].text in _GOING_ON:
        i += 1
    if i not in verbs:
        generic_first = any(s.code == "" and s.start <= i + 1 for s in sources)
        return generic_first, False
    n, kind = verbs[i]
    if kind == "according":
        return False, False
    nxt = tokens[i + n].text if i + n < len(tokens) else ""
    named = [s for s in sources if s.start == i + n]
    if named:
        return named[0].code == "", False
    if kind == "continue" or nxt in _NO_SUBJECT or not nxt or (nxt,) in date_words():
        return True, False
    return False, True


def speaker_of(att: SentenceAttribution) -> Optional[str]:
    """The speaker the next sentence continues.

    The first source standing right after a speech verb, unless it relays another ("نقلت
    وكالة أرمنبريس عن الخارجية الأرمينية" -> the ministry). A source named in passing, or
    one that only vouches for the report ("بحسب ما ذكرت وكالة تاس"), does not take the floor.
    """
    named = [s for s in att.sources if s.code and s.after_verb]
    if not named:
        named = [s for s in att.sources if s.code and s.speaker]
    if not named:
        return None
    relayed = [s for s in named[1:] if s.relayed]
    return (relayed[0] if relayed else named[0]).code


def claimant_for(att: SentenceAttribution, place_token: int, previous: Optional[str]) -> Optional[str]:
    """The claimant of an event at token `place_token`; None when the sentence denies it."""
    denials = [d for d in att.deny_at if d < place_token]
    if denials or any(f > place_token for f in att.false_at):
        # the claim denied is the one whose author is named after the denial ("نفت ... إعلان علييف")
        start = denials[-1] if denials else -1
        after = [s for s in att.sources if s.code and start < s.start < place_token]
        # ... but not the denier itself ("نفت وزارة الدفاع الأرمينية أن قواتها قصفت X"), unless
        # another statement opens before the place ("نفت ... ذلك، فيما أكد الجانبان ... X")
        denier = [s for s in after if s.after_verb and s.start <= start + _DENIER_REACH]
        if denier and not any(s.after_verb and start + _DENIER_REACH < s.start < place_token
                              for s in att.sources):
            after = [s for s in after if s not in denier]
        return after[-1].code if after and denials else None
    before = [s for s in att.sources if s.end <= place_token]
    # "ذكر المكتب الصحفي - في بيان أوردته قناة روسيا اليوم - أن ...": the office speaks
    before = [s for s in before if not s.vouching] or before
    if before:
        s = before[-1]
        return s.code if s.code else (previous or UNATTRIBUTED)
    after = [s for s in att.sources if s.start > place_token and s.code and s.after_verb]
    if after:
        return after[0].code
    if any(s.code == "" for s in att.sources) or att.continues:
        return previous or UNATTRIBUTED
    return UNATTRIBUTED


def statement_date(att: SentenceAttribution, dates: Sequence, tokens: Sequence[Token]) -> Optional[tuple[str, str]]:
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
