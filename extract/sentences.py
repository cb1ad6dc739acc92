"""Split an article into sentences, rejoining lines that a page broke mid-sentence.

Pages and feeds wrap long lines ("غوران\\nبوي")، put "اقرأ أيضا" teasers between paragraphs
and end with lists of related headlines. Teasers and that trailing list are not article text.
"""
from __future__ import annotations

import re

from extract.lexicon import page_words
from extract.model import Sentence
from geo.arabic import normalize

# Sentence ends: . ! ? ؟ (a lone period: ".." and "..." are soft breaks in Arabic news). The
# Arabic semicolon ؛ is not one: outlets use it as a comma ("في بيان نشرته الجمعة؛ إن الجيش
# ..."، "القرى المحررة هي؛ X، Y"), and a split there cuts the claim from its speaker.
# (the lookbehind comes after the dot so the regex engine can skip ahead to candidate characters)
_END = re.compile(r"(?:\.(?<![.\d]\.)(?![.\d])|[!?؟]+)[\"'”»)\]]*(?=\s|$)")
_TERMINAL_CHARS = frozenset(".!?؟؛:\"'”»)")


def _ends_sentence(line: str) -> bool:
    """Whether the line's last visible character ends a sentence."""
    return line.rstrip()[-1:] in _TERMINAL_CHARS


def _alternatives(words: frozenset[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


# "اقرأ أيضا:" lines (extract/data/page_words.csv), matched on the line's normalised opening
_TEASER = re.compile(r"^\s*(?:" + _alternatives(page_words("teaser")) + r")\s*(?:"
                     + _alternatives(page_words("teaser_more")) + r")?\s*[:：]")
_TEASER_REACH = 40      # characters: a teaser's opening words and its colon


def _is_teaser(opening: str) -> bool:
    return (":" in opening or "：" in opening) and bool(_TEASER.match(normalize(opening)))


# Words a sentence cannot end on: a line ending on one of them was wrapped.
_DANGLING = page_words("dangling")
_WRAP_MIN = 40
_LETTER = re.compile(r"\w")   # a line this long without end punctuation is treated as wrapped text


def split_sentences(text: str) -> list[Sentence]:
    """The article's sentences with their offsets in `text`."""
    lines = _lines(text)
    lines = [l for l in lines if not _is_teaser(text[l[0]:min(l[1], l[0] + _TEASER_REACH)])]
    lines = _drop_trailing_headlines(text, lines)
    out: list[Sentence] = []
    for start, end in _paragraphs(text, lines):
        para = text[start:end].replace("\n", " ")
        pos = 0
        for m in _END.finditer(para):
            _add_bounded(out, para, start, pos, m.end())
            pos = m.end()
        _add_bounded(out, para, start, pos, len(para))
    return out


# A run of text longer than this with no sentence end (a page that lost its punctuation, or
# a hostile file) is cut into pieces: the per-sentence stages compare places with each other
# and with every trigger, so an unbounded sentence makes extraction quadratic. Real sentences
# stay far below it (the longest of the dev set, two sentences run together, has 160 words).
MAX_SENTENCE_WORDS = 200
_WORDS_IN = re.compile(r"\S+")
_CLAUSE_END = frozenset("،,؛;:")


def _add_bounded(out: list[Sentence], para: str, base: int, a: int, b: int) -> None:
    """_add for para[a:b], cut into pieces of at most MAX_SENTENCE_WORDS words, each ending
    at the last comma of its second half if it has one, else at a word boundary."""
    if b - a < MAX_SENTENCE_WORDS * 2:     # fewer characters than the bound has words
        _add(out, para, base, a, b)
        return
    ends = [m.end() for m in _WORDS_IN.finditer(para, a, b)]
    first = 0                               # index in `ends` of the piece's first word
    while len(ends) - first > MAX_SENTENCE_WORDS:
        cut = first + MAX_SENTENCE_WORDS - 1
        for k in range(cut, first + MAX_SENTENCE_WORDS // 2, -1):
            if para[ends[k] - 1] in _CLAUSE_END:
                cut = k
                break
        _add(out, para, base, a, ends[cut])
        a, first = ends[cut], cut + 1
    _add(out, para, base, a, b)


def _add(out: list[Sentence], para: str, base: int, a: int, b: int) -> None:
    chunk = para[a:b]
    stripped = chunk.strip()
    if not stripped or not _LETTER.search(stripped):
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = base + a + lead
    display = " ".join(stripped.split())     # runs of whitespace to one space
    out.append(Sentence(index=len(out), text=display, start=s, end=s + len(stripped)))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line; blank lines are kept as (-1, -1) separators."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + len(raw.rstrip())))
        else:
            out.append((-1, -1))
        pos = end + 1
    return out


def _drop_trailing_headlines(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop the related-headline list that closes many pages: short unpunctuated lines at the end."""
    real = [l for l in lines if l[0] >= 0]
    if len(real) < 3:
        return lines
    cut = len(lines)
    for k in range(len(lines) - 1, -1, -1):
        s, e = lines[k]
        if s < 0:
            continue
        line = text[s:e]
        if _ends_sentence(line) or len(line) > 120:
            break
        cut = k
    dropped = [l for l in lines[cut:] if l[0] >= 0]
    # one unpunctuated closing line may be a truncated sentence: only a list of them is headlines
    return lines[:cut] if len(dropped) >= 2 else lines


def _paragraphs(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of text made of lines joined where a line was wrapped mid-sentence."""
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for k, (s, e) in enumerate(lines):
        if s < 0:
            if cur:
                out.append(cur)
            cur = None
            continue
        if cur is None:
            cur = (s, e)
        else:
            cur = (cur[0], e)
        if not _continues(text, cur, lines, k):
            out.append(cur)
            cur = None
    if cur:
        out.append(cur)
    return out


def _continues(text: str, cur: tuple[int, int], lines: list[tuple[int, int]], k: int) -> bool:
    """Whether line k (ending paragraph `cur`) was wrapped and goes on in line k+1."""
    if k + 1 >= len(lines) or lines[k + 1][0] < 0:
        return False
    s, e = lines[k]
    line = text[s:e]
    if _ends_sentence(line):
        return False
    last_word = normalize(line.split()[-1]) if line.split() else ""
    if last_word not in _DANGLING and len(line) < _WRAP_MIN:
        return False   # a short unpunctuated line is a heading
    # wrapped text goes on to a line that ends a sentence, within the same block
    for s2, e2 in lines[k + 1:]:
        if s2 < 0:
            return False
        if _ends_sentence(text[s2:e2]):
            return True
    return False
