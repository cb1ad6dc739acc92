"""Words of a normalised sentence, and matching of lexicon phrases against them.

Arabic glues conjunctions, prepositions and the article to the word (وترتر، بالصواريخ،
للقصف), so a word matches a lexicon entry when the entry equals the word or the word minus
such a prefix. Matching is by whole words: a name never matches inside a longer word.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

_WORD = re.compile(r"[0-9a-z\u0621-\u064A\u0671-\u06D3]+")
# و/ف (and), then ب/ل (in, to), then ال (the); or لل (to the). ك (like) is left out: it is
# rare before names and words, and stripping it misreads names that begin with ك (كابان).
_PREFIXES = ("", "و", "ف", "ب", "ل", "ال", "وب", "ول", "فب", "فل", "وال", "فال",
             "بال", "لل", "وبال", "ولل", "فلل", "فبال")
_PREFIXES = tuple(sorted(_PREFIXES, key=len))


class Token(NamedTuple):
    """A word of a normalised sentence (a tuple: tokens are made by the million)."""
    text: str     # normalised word
    start: int    # offsets in the normalised sentence
    end: int


def tokenize(norm: str) -> list[Token]:
    return [Token(m.group(), *m.span()) for m in _WORD.finditer(norm)]


# Words repeat across sentences and articles: the caches make matching a dictionary look-up.
@lru_cache(maxsize=1 << 18)
def stems(word: str) -> tuple[tuple[int, str], ...]:
    """(prefix length, remainder) for each clitic split of `word`, least stripping first."""
    return tuple((len(p), word[len(p):]) for p in _PREFIXES
                 if word.startswith(p) and len(word) - len(p) >= 2)


@lru_cache(maxsize=1 << 18)
def word_matches(token: str, pattern_word: str) -> bool:
    star = pattern_word.endswith("*")
    w = pattern_word[:-1] if star else pattern_word
    for _, rest in stems(token):
        if rest == w or (star and rest.startswith(w)):
            return True
    return False


GAP = ".."       # in a pattern: up to MAX_GAP other words
ANY = "_"        # in a pattern: exactly one word, any word
MAX_GAP = 6


def match_at(tokens: Sequence[Token], i: int, words: Sequence[str]) -> int:
    """How many tokens from i the phrase `words` covers (0 when it does not match there)."""
    j = i
    k = 0
    while k < len(words):
        w = words[k]
        if w == GAP:
            nxt = words[k + 1]
            for skip in range(MAX_GAP + 1):
                if j + skip < len(tokens) and word_matches(tokens[j + skip].text, nxt):
                    j += skip
                    break
            else:
                return 0
            k += 1
            continue
        if j >= len(tokens) or (w != ANY and not word_matches(tokens[j].text, w)):
            return 0
        j += 1
        k += 1
    return j - i


class PhraseIndex:
    """Find, left to right, the longest lexicon phrase starting at each word."""

    def __init__(self, phrases: Iterable[tuple[tuple[str, ...], object]]):
        self._cache: dict[str, list] = {}
        self._exact: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        self._star: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for words, value in phrases:
            if not words:
                continue
            first = words[0]
            if first.endswith("*"):
                self._star.setdefault(first[:2], []).append((words, value))
            else:
                self._exact.setdefault(first, []).append((words, value))

    def candidates(self, token: str) -> tuple[list, dict, list]:
        """Entries whose first word matches `token`, as (words, value, spelled-out word count),
        split into one-word entries, entries keyed by their exact second word, and the rest."""
        found = self._cache.get(token)
        if found is None:
            singles, by_second, others = [], {}, []
            for _, rest in stems(token):
                for words, value in (*self._exact.get(rest, ()), *self._star.get(rest[:2], ())):
                    if not word_matches(token, words[0]):
                        continue
                    entry = (words, value, sum(1 for w in words if w not in (GAP, ANY)))
                    if len(words) == 1:
                        singles.append(entry)
                    elif words[1] not in (GAP, ANY) and not words[1].endswith("*"):
                        by_second.setdefault(words[1], []).append(entry)
                    else:
                        others.append(entry)
            found = (singles, by_second, others)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[token] = found
        return found

    def find(self, tokens: Sequence[Token]) -> list[tuple[int, int, object]]:
        """Non-overlapping (first token, token count, value) matches, longest first at each word."""
        out = []
        i = 0
        n_tokens = len(tokens)
        while i < n_tokens:
            singles, by_second, others = self.candidates(tokens[i].text)
            best_n, best_v, best_rank = 0, None, (0, 0)
            if singles:
                words, best_v, spelled = singles[0]
                best_n, best_rank = 1, (spelled, 1)
            multi = others
            if by_second and i + 1 < n_tokens:
                multi = others + [e for _, rest in stems(tokens[i + 1].text) for e in by_second.get(rest, ())]
            for words, value, spelled in multi:
                n = match_at(tokens, i, words)
                # rank by the words the entry itself spells out, so a gapped entry
                # ("محافظ .. إيران") never beats an exact one that fits; among gapped
                # entries the shortest reach wins ("وزارة الطوارئ الأذربيجانية ... الأرميني")
                rank = (spelled, n if spelled == len(words) else -n)
                if n and rank > best_rank:
                    best_n, best_v, best_rank = n, value, rank
            if best_n:
                out.append((i, best_n, best_v))
                i += best_n
            else:
                i += 1
        return out
