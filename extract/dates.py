"""Find date expressions in a sentence and resolve the event date against publication.

Rules (codebook, "Dates"): an explicit date wins; a weekday is the latest such day on or
before publication; أمس/اليوم/الليلة الماضية are relative to publication; "منذ ..." opens a
span and is not an event date; with nothing, the publication date.
"""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, timedelta
from typing import NamedTuple, Optional, Sequence, cast

from extract.lexicon import date_markers, date_words
from extract.tokens import Token, WordFilter, words_of
from geo.clitics import ARTICLE, stems

EXPLICIT, WEEKDAY, RELATIVE, PUBLISHED, UNKNOWN = "explicit", "weekday", "relative", "published", "unknown"


# A typed immutable record, made many times per article: a NamedTuple is built
# several times faster than a frozen dataclass.
class DateMention(NamedTuple):
    start: int          # offsets in the normalised sentence
    end: int
    basis: str          # explicit | weekday | relative
    value: date


@lru_cache(maxsize=1)
def _first_words() -> frozenset:
    return frozenset(k[0] for k in date_words())


@lru_cache(maxsize=1)
def _date_starts() -> WordFilter:
    """Words that may open a date expression: a number, or a date word with its clitics."""
    firsts = _first_words()
    return WordFilter(lambda word: word.isdigit() or any(rest in firsts for _, rest in stems(word)))


def _phrase(tokens: Sequence[Token], i: int) -> tuple[int, tuple[str, int | None] | None]:
    """Longest date-word phrase at token i (the first word may carry و/ب/ل/في-style clitics)."""
    return _phrase_of(*(t.text for t in tokens[i:i + 3]))


@lru_cache(maxsize=1 << 16)
def _phrase_of(first: str, *rest: str) -> tuple[int, tuple[str, int | None] | None]:
    """_phrase for the words at i, i+1, i+2 (the same few words recur: worked out once)."""
    table = date_words()
    readings = [reading for _, reading in stems(first)]
    if not any(reading in _first_words() for reading in readings):
        return 0, None
    for n in (3, 2, 1):
        if 1 + len(rest) < n:
            continue
        for reading in readings:
            key = (reading, *rest[:n - 1])
            if key in table:
                return n, table[key]
    return 0, None


def _year_for(month: int, day: int, published: date) -> int:
    """A day and month without a year: the latest such date not far after publication."""
    y = published.year
    try:
        if date(y, month, day) > published + timedelta(days=7):
            return y - 1
    except ValueError:
        pass
    return y


def find_dates(tokens: Sequence[Token], published: Optional[date]) -> list[DateMention]:
    """Every event-date expression of the sentence, spans of "منذ ..." and future days excluded."""
    if published is None:
        return []
    starts = _date_starts().positions(words_of(tokens))
    if not starts:
        return []
    table = date_words()
    out: list[DateMention] = []
    next_free = 0           # tokens before it belong to an expression already read
    blocked_until = -1      # tokens inside a "منذ ..." span
    for i in starts:
        if i < next_free:
            continue
        n, entry = _phrase(tokens, i)
        tok = tokens[i].text
        if entry and entry[0] == "duration":
            blocked_until = i + 6
            next_free = i + n
            continue
        # explicit: DAY MONTH [/ MONTH] [YEAR]
        if tok.isdigit() and i + 1 < len(tokens):
            # "12 من مايو" (day "of" month) reads as "12 مايو"
            k = i + 2 if tokens[i + 1].text in date_markers("day_of") and i + 2 < len(tokens) else i + 1
            m_n, m_entry = _phrase(tokens, k)
            if m_entry and m_entry[0] == "month" and 1 <= int(tok) <= 31:
                j = k + m_n
                n2, e2 = _phrase(tokens, j) if j < len(tokens) else (0, None)
                if e2 and e2[0] == "month":
                    j += n2
                if j < len(tokens) and tokens[j].text in date_markers("year_word"):
                    j += 1
                year = None
                if j < len(tokens) and re.fullmatch(r"(19|20)\d\d", tokens[j].text):
                    year = int(tokens[j].text)
                    j += 1
                day, month = int(tok), cast(int, m_entry[1])      # a month entry has its number
                next_free = j
                try:
                    value = date(year or _year_for(month, day, published), month, day)
                except ValueError:
                    continue
                if i > blocked_until:
                    out.append(DateMention(tokens[i].start, tokens[j - 1].end, EXPLICIT, value))
                continue
        if entry and entry[0] in ("weekday", "relative") and i > blocked_until:
            after = tokens[i + n].text if i + n < len(tokens) else ""
            after_kind = table.get((after,), ("", None))[0]
            if entry[0] == "weekday":
                if after_kind == "future":
                    next_free = i + n
                    continue
                back = (published.weekday() - cast(int, entry[1])) % 7
                if back == 0 and after_kind == "past":
                    back = 7        # "الخميس الماضي" in a Thursday paper: a week before
                value = published - timedelta(days=back)
                # "الأربعاء 7 أكتوبر": the explicit date that follows is read on the next pass
                out.append(DateMention(tokens[i].start, tokens[i + n - 1].end, WEEKDAY, value))
            else:
                if (after.startswith(ARTICLE) and after_kind != "weekday"
                        and any(tok.endswith(w) for w in date_markers("day_noun"))):
                    next_free = i + n       # اليوم التالي / اليوم الأول: "the day", not today
                    continue
                value = published - timedelta(days=cast(int, entry[1]))
                # "أمس الأربعاء", "اليوم الخميس": one expression, relative
                if after_kind == "weekday":
                    n += 1
                out.append(DateMention(tokens[i].start, tokens[i + n - 1].end, RELATIVE, value))
            next_free = i + n
            continue
        next_free = i + max(n, 1)
    return _prefer_explicit(out)


def _prefer_explicit(mentions: list[DateMention]) -> list[DateMention]:
    """A weekday right before an explicit date ("ليل الأربعاء 7 أكتوبر") yields to the date."""
    out = []
    for k, m in enumerate(mentions):
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if m.basis == WEEKDAY and nxt and nxt.basis == EXPLICIT and nxt.start - m.end <= 2:
            continue
        out.append(m)
    return out


def clause_breaks(tokens: Sequence[Token], norm: str = "") -> tuple[int, ...]:
    """Character offsets where a new clause of the sentence begins: "، فيما"، "بينما"،
    "في حين"، a semicolon (extract/data/context.csv, kind clause). A date in one clause
    does not date the events of another."""
    from extract.places import context_index
    out = [tokens[i].start for i, _, _ in context_index("clause").find(tokens)]
    if "؛" in norm:
        out += [m.start() for m in re.finditer("؛", norm)]
    return tuple(sorted(out))


def event_date(mentions: Sequence[DateMention], anchor: float, published: Optional[date],
               inherited: Optional[tuple[str, str]] = None,
               breaks: Sequence[int] = ()) -> tuple[str, str]:
    """(ISO date, basis) for an event mentioned at character `anchor` of the sentence.

    The date expression nearest the place within its clause wins (a sentence may carry both
    the statement's day and the event's); with none, a date carried from the statement's
    previous sentence, then the publication date.
    """
    if published is None:
        return "", UNKNOWN
    if breaks and mentions:
        def clause(x: float) -> int:
            return sum(1 for b in breaks if b <= x)
        here = clause(anchor)
        mentions = [m for m in mentions if clause(m.start) == here]
    if mentions:
        best = min(mentions, key=lambda m: (abs((m.start + m.end) / 2 - anchor), m.basis != EXPLICIT))
        return best.value.isoformat(), best.basis
    if inherited:
        return inherited
    return published.isoformat(), PUBLISHED

