"""Words of a normalised sentence, and matching of lexicon phrases against them.

A word matches a lexicon entry when the entry equals the word or the word minus a clitic
prefix (geo/clitics.py, the one clitic policy). Matching is by whole words: a name never
matches inside a longer word.
"""
from __future__ import annotations

import re
from itertools import repeat
from typing import Callable, Iterable, NamedTuple, Optional, Sequence

from extract.tokenlist import Tokens
from geo.clitics import stems

_WORD = re.compile(r"[0-9a-z\u0621-\u064A\u0671-\u06D3]+")


class Token(NamedTuple):
    """A word of a normalised sentence (a tuple: tokens are made by the million)."""
    text: str     # normalised word
    start: int    # offsets in the normalised sentence
    end: int


_new_tuple = tuple.__new__


def tokenize(norm: str) -> Tokens:
    # built with map() over the match objects: a third of the time of one Token(...) call per word
    found = list(_WORD.finditer(norm))
    texts = list(map(re.Match.group, found))
    spans = zip(texts, map(re.Match.start, found), map(re.Match.end, found))
    tokens = Tokens(map(_new_tuple, repeat(Token), spans))
    tokens.texts = texts
    return tokens


def words_of(tokens: Sequence[Token]) -> list[str]:
    """The words of `tokens` (a sentence's Tokens already has them; a slice is a plain list)."""
    return tokens.texts if isinstance(tokens, Tokens) else [t[0] for t in tokens]


class WordFilter:
    """Which words of a sentence pass a test on a single word. Each word is tested once and
    remembered, so a sentence costs a set look-up per word (most words pass no test)."""

    def __init__(self, test: Callable[[str], bool], max_size: int = 500_000):
        self._test, self._max = test, max_size
        self._misses: set[str] = set()
        self._hits: set[str] = set()

    def positions(self, texts: Sequence[str]) -> list[int]:
        misses, hits = self._misses, self._hits
        if misses.issuperset(texts):
            return []           # every word known to fail: decided in C, the common case for most tests
        out = [i for i, t in enumerate(texts) if t not in misses]
        if out:
            out = [i for i in out if texts[i] in hits or self._learn(texts[i])]
        return out

    def _learn(self, word: str) -> bool:
        passed = self._test(word)
        known = self._hits if passed else self._misses
        if len(known) > self._max:
            known.clear()
        known.add(word)
        return passed


class WordTags:
    """Which of several one-word tests each word of a sentence passes, in one pass (a set
    look-up per word, each word tested once and remembered): the place stage asks of every
    word both "could it begin a name?" and "is it a place noun?"."""

    def __init__(self, *tests: Callable[[str], bool], max_size: int = 500_000):
        self._tests, self._max = tests, max_size
        self._misses: set[str] = set()
        self._passed: dict[str, tuple[int, ...]] = {}    # word -> the tests it passes
        self._none: tuple[list[int], ...] = tuple([] for _ in tests)

    def positions(self, texts: Sequence[str]) -> tuple[list[int], ...]:
        """For each test, the positions of the words passing it (do not modify the lists)."""
        misses = self._misses
        if misses.issuperset(texts):
            return self._none       # the common case for most sentences' words: decided in C
        out: tuple[list[int], ...] = tuple([] for _ in self._tests)
        passed = self._passed
        for i, t in enumerate(texts):
            if t in misses:
                continue
            tests = passed.get(t)
            if tests is None:
                tests = self._learn(t)
            for k in tests:
                out[k].append(i)
        return out

    def _learn(self, word: str) -> tuple[int, ...]:
        tests = tuple(k for k, test in enumerate(self._tests) if test(word))
        if len(self._misses) > self._max or len(self._passed) > self._max:
            self._misses.clear()
            self._passed.clear()
        if tests:
            self._passed[word] = tests
        else:
            self._misses.add(word)
        return tests


_NOT_SINGLE = object()

GAP = ".."       # in a pattern: up to MAX_GAP other words
ANY = "_"        # in a pattern: exactly one word, any word
MAX_GAP = 6


class _Node:
    """A trie node: what may follow the words matched so far, and the entries they complete."""
    __slots__ = ("exact", "star", "any", "gap", "ends", "leaf", "_memo")

    def __init__(self) -> None:
        self.exact: dict[str, _Node] = {}               # next word -> node
        self.star: list[tuple[str, _Node]] = []         # next word's beginning ("قصف*") -> node
        self.any: Optional[_Node] = None                # "_": any one word
        self.gap: Optional[_Node] = None                # "..": a few words, then a child of this
        self.ends: list[tuple[int, int, object]] = []   # (lexicon order, spelled-out words, value)
        self._memo: dict[str, list[tuple[_Node, int]]] = {}  # words repeat: next_nodes once each
        self.leaf = True                                # nothing may follow (set by finish())

    def finish(self) -> None:
        """Mark the leaves, the nodes nothing may follow (most one-word entries end at one)."""
        children = [*self.exact.values(), *(n for _, n in self.star), self.any, self.gap]
        self.leaf = not any(children)
        for child in children:
            if child is not None:
                child.finish()

    def child(self, word: str) -> "_Node":
        if word == ANY:
            self.any = self.any or _Node()
            return self.any
        if word == GAP:
            self.gap = self.gap or _Node()
            return self.gap
        if word.endswith("*"):
            for prefix, node in self.star:
                if prefix == word[:-1]:
                    return node
            self.star.append((word[:-1], _Node()))
            return self.star[-1][1]
        return self.exact.setdefault(word, _Node())

    def next_nodes(self, word: str) -> list[tuple["_Node", int]]:
        """(child, clitic length) for each child `word` reaches, by its least stripped reading."""
        found = self._memo.get(word)
        if found is None:
            found = []
            for plen, rest in stems(word):
                node = self.exact.get(rest)
                reached = [node] if node is not None else []
                reached += [n for prefix, n in self.star if rest.startswith(prefix)]
                for node in reached:
                    if all(node is not n for n, _ in found):
                        found.append((node, plen))
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[word] = found
        return found


class PhraseIndex:
    """Find, left to right, the longest lexicon phrase starting at each word.

    The phrases form one trie walked word by word, so a sentence costs a look-up per word
    and not a comparison per phrase (the claimant lexicon alone has a thousand).
    """

    def __init__(self, phrases: Iterable[tuple[tuple[str, ...], object]]):
        self._root = _Node()
        self._starts = WordFilter(lambda word: bool(self._root.next_nodes(word)))
        self._single: dict[str, object] = {}     # words that can only be a one-word entry -> value
        for order, (words, value) in enumerate(phrases):
            if not words or words[0] in (GAP, ANY):
                continue
            node = self._root
            for w in words:
                node = node.child(w)
            spelled = sum(1 for w in words if w not in (GAP, ANY))
            node.ends.append((order, spelled, value))
        self._root.finish()

    def match(self, texts: Sequence[str], i: int) -> tuple[int, object]:
        """(token count, value) of the best entry starting at word i; (0, None) if none.

        The entry that spells out the most words wins, so a gapped entry ("محافظ .. إيران")
        never beats an exact one that fits; then, among exact entries the longest, among
        gapped ones the shortest reach ("وزارة الطوارئ الأذربيجانية ... الأرميني"); then the
        reading that strips the fewest clitics ("لإطلاق النار" is ل + "إطلاق النار", not
        "لإطلاق" + ال + "نار"); then the entry listed first.
        """
        firsts = self._root.next_nodes(texts[i])
        if not firsts:
            return 0, None
        if len(firsts) == 1 and firsts[0][0].leaf:
            # a one-word entry and nothing longer: the common case, remembered for find()
            value = firsts[0][0].ends[0][2]
            if len(self._single) > 200_000:
                self._single.clear()
            self._single[texts[i]] = value
            return 1, value
        best_key: Optional[tuple[int, int, int, int]] = None
        best: tuple[int, object] = (0, None)
        n_texts = len(texts)
        # (node, next word index, through a wildcard, clitic letters stripped so far)
        todo = [(node, i + 1, False, plen) for node, plen in firsts]
        while todo:
            node, j, gapped, stripped = todo.pop()
            if node.ends:
                # entries ending at one node spell the same words: the first listed stands for all
                order, spelled, value = node.ends[0]
                n = j - i
                key = (spelled, -n if gapped else n, -stripped, -order)
                if best_key is None or key > best_key:
                    best_key, best = key, (n, value)
            if j < n_texts:
                if node.exact or node.star:
                    for nxt, plen in node.next_nodes(texts[j]):
                        todo.append((nxt, j + 1, gapped, stripped + plen))
                if node.any is not None:
                    todo.append((node.any, j + 1, True, stripped))
            if node.gap is not None:
                # the nearest word, within MAX_GAP, that goes on from the gap
                seen: list[_Node] = []
                for k in range(j, min(j + MAX_GAP + 1, n_texts)):
                    for nxt, plen in node.gap.next_nodes(texts[k]):
                        if all(nxt is not n for n in seen):
                            seen.append(nxt)
                            todo.append((nxt, k + 1, True, stripped + plen))
        return best

    def find(self, tokens: Sequence[Token]) -> list[tuple[int, int, object]]:
        """Non-overlapping (first token, token count, value) matches, left to right."""
        return self.find_words(words_of(tokens))

    def find_words(self, texts: Sequence[str]) -> list[tuple[int, int, object]]:
        """find() over the words themselves."""
        out = []
        next_free = 0
        single = self._single
        for i in self._starts.positions(texts):
            if i < next_free:
                continue
            value = single.get(texts[i], _NOT_SINGLE)
            if value is not _NOT_SINGLE:
                out.append((i, 1, value))
                next_free = i + 1
                continue
            n, value = self.match(texts, i)
            if n:
                out.append((i, n, value))
                next_free = i + n
        return out
