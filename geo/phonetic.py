"""Phonetic keys: one consonant skeleton for a name in Arabic or Latin letters.

Arabic outlets transliterate Turkic and Armenian names from Azerbaijani, Russian, French or
English, and no list of spellings keeps up (ليتشين and لاتشين for Laçın, غوروس for Goris). The
spellings share their consonants, so both scripts are reduced to the same classes
(geo/data/phonetic.csv: ق ك غ ↔ q k g ğ, ج ↔ c ç j, ش س ز ↔ ş s z, خ ح ه ↔ x h, ط ت د ↔ t d,
...), vowels and vowel letters dropped, doubled classes merged; a vowel that begins the
name is kept as one mark. Letters that stand for two classes (ج is g in Egyptian
spellings) give one key per reading.

`KeyIndex` holds the keys of every Latin and Arabic name of the gazetteer. A key of four
classes or more also matches keys one edit away: every key is stored with its one-deletion
variants, so a look-up is a few dict probes (len(key) + 1), never a scan.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from geo.clitics import ARTICLE

DATA = Path(__file__).resolve().parent / "data"
MIN_FUZZY = 4          # keys shorter than this match exactly only
INITIAL_VOWEL = "A"    # the mark of a name that begins with a vowel


class PhoneticDataError(ValueError):
    """A bad row in geo/data/phonetic.csv or name_modifiers.csv (file, line, column named)."""


@dataclass(frozen=True)
class _Tables:
    latin: dict[str, tuple[str, ...]]      # letter or digraph -> classes ("" = dropped)
    arabic: dict[str, tuple[str, ...]]
    latin_vowels: frozenset[str]
    arabic_vowels: frozenset[str]
    longest: int                           # longest letter sequence in the tables
    modifiers: dict[str, str]              # Arabic word after a name -> Latin word before it


def _read(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise PhoneticDataError(f"{path}:1: header lacks column(s) {', '.join(missing)}")
        for row in reader:
            if (row.get(columns[0]) or "").startswith("#"):
                continue
            yield reader.line_num, {c: (row.get(c) or "").strip() for c in columns}


@lru_cache(maxsize=4)
def tables(data_dir: str = str(DATA)) -> _Tables:
    d = Path(data_dir)
    latin: dict[str, list[str]] = {}
    arabic: dict[str, list[str]] = {}
    lv: set[str] = set()
    av: set[str] = set()
    path = d / "phonetic.csv"
    for line, row in _read(path, ("script", "letters", "class")):
        script, letters, cls = row["script"], row["letters"], row["class"]
        if script not in ("latin", "arabic"):
            raise PhoneticDataError(f"{path}:{line}: column 'script': {script!r} is not latin or arabic")
        if not letters:
            raise PhoneticDataError(f"{path}:{line}: column 'letters': empty")
        if cls != "vowel" and not (cls.isalpha() and cls.isupper() and len(cls) == 1):
            raise PhoneticDataError(f"{path}:{line}: column 'class': {cls!r} is not one capital "
                                    "letter or 'vowel'")
        table, vowels = (latin, lv) if script == "latin" else (arabic, av)
        for seq in letters.split():
            if cls == "vowel":
                vowels.add(seq)
                table.setdefault(seq, []).append("")
            else:
                table.setdefault(seq, []).append(cls)
    mods: dict[str, str] = {}
    mpath = d / "name_modifiers.csv"
    for line, row in _read(mpath, ("arabic", "latin")):
        if not row["arabic"] or not row["latin"]:
            raise PhoneticDataError(f"{mpath}:{line}: both 'arabic' and 'latin' are needed")
        mods[row["arabic"]] = row["latin"]
    longest = max(len(k) for k in [*latin, *arabic])
    return _Tables({k: tuple(dict.fromkeys(v)) for k, v in latin.items()},
                   {k: tuple(dict.fromkeys(v)) for k, v in arabic.items()},
                   frozenset(lv), frozenset(av), longest, mods)


@lru_cache(maxsize=4)
def _with_vowels(data_dir: str) -> _Tables:
    t = tables(data_dir)

    def mark(table):
        return {k: tuple(c or "V" for c in v) for k, v in table.items()}
    # (the vowel mark V survives _merge; "." marks are only made for dropped vowels)
    return _Tables(mark(t.latin), mark(t.arabic), t.latin_vowels, t.arabic_vowels, t.longest,
                   t.modifiers)


def distance(a: str, b: str, data_dir: str = str(DATA)) -> int:
    """Edit distance of two names' vowel-marked keys (the least over their readings)."""
    ka, kb = keys(a, data_dir, vowels=True), keys(b, data_dir, vowels=True)
    if not ka or not kb:
        return 99
    return min(_distance(x, y) for x in ka for y in kb)


def modifier_words(data_dir: str = str(DATA)) -> frozenset[str]:
    """The Arabic words that, after a name, are part of it (العليا، السفلى...)."""
    return frozenset(tables(data_dir).modifiers)


def _fold_latin(text: str) -> str:
    # ə ş ç ğ ı ö ü keep their own entries; other accents (é, à) fold to the base letter
    out = []
    for ch in text.lower():
        if ch in "əşçğıöü":
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFD", ch)[0])
    return "".join(out)


_MAX_READINGS = 8


_PATTERNS: dict[int, "re.Pattern[str]"] = {}


def _pattern(table: dict[str, tuple[str, ...]]) -> "re.Pattern[str]":
    """One regex of the table's letter sequences, longest first: a word is read in one scan."""
    found = _PATTERNS.get(id(table))
    if found is None:
        seqs = sorted({k.rstrip("$") for k in table}, key=lambda k: (-len(k), k))
        found = _PATTERNS[id(table)] = re.compile("|".join(map(re.escape, seqs)))
    return found


def _keys_of_word(word: str, table: dict[str, tuple[str, ...]], longest: int,
                  first: bool) -> list[str]:
    """The class sequences of one word (several when a letter has two readings). Letters
    the tables do not know (punctuation, digits) are ignored."""
    readings = [""]
    n = len(word)
    for m in _pattern(table).finditer(word):
        seq = m.group()
        if m.end() == n and seq + "$" in table:
            classes = table[seq + "$"]      # a word-final reading (final ه is the vowel ə/a)
        elif seq in table:
            classes = table[seq]
        else:
            continue                        # only a word-final reading exists: not final here
        if first and m.start() == 0:
            classes = tuple(c or INITIAL_VOWEL for c in classes)
        else:
            # a vowel parts two consonants of one class (زيزيفون keeps both ز): "." until merged
            classes = tuple(c or "." for c in classes)
        if len(classes) == 1:
            c = classes[0]
            readings = [r + c for r in readings]
        else:
            readings = [r + c for r in readings for c in classes][:_MAX_READINGS]
    return readings


def _merge(key: str) -> str:
    """Doubled classes merged (ll, لل, a geminate written once), vowel marks dropped."""
    out = []
    for c in key:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(c for c in out if c != ".")


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@lru_cache(maxsize=1 << 16)
def keys(name: str, data_dir: str = str(DATA), vowels: bool = False) -> tuple[str, ...]:
    """Every phonetic key of a name in either script (most names have one). With `vowels`,
    vowel letters are kept as one mark V: a finer key to rank candidates of equal keys."""
    t = _with_vowels(data_dir) if vowels else tables(data_dir)
    arabic = _is_arabic(name)
    words = name.split()
    if arabic:
        # "كوزلك العليا" is Yuxarı Güzlək: a modifier after the name reads as a word before it
        moved = [w for w in words if w in t.modifiers]
        if moved and words and words[0] not in t.modifiers:
            words = [t.modifiers[w] for w in moved] + [w for w in words if w not in t.modifiers]
    else:
        words = [_fold_latin(w) for w in name.replace("-", " ").split()]
    readings = [""]
    for k, word in enumerate(words):
        if arabic and _is_arabic(word):
            table, longest = t.arabic, t.longest
            if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 2:
                word = word[len(ARTICLE):]      # the article: الكوت is Kut
        else:
            table, longest = t.latin, t.longest
            word = _fold_latin(word)
        parts = _keys_of_word(word, table, longest, first=(k == 0))
        readings = [r + p for r in readings for p in parts][:_MAX_READINGS]
    return tuple(dict.fromkeys(_merge(r) for r in readings if r and r != INITIAL_VOWEL))


def within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


class KeyIndex:
    """Phonetic key -> ids of the places with a name of that key, and the near keys."""

    def __init__(self, entries: Iterable[tuple[str, str]], data_dir: str = str(DATA)):
        """entries: (place id, name in any script)."""
        self._data_dir = data_dir
        self.exact: dict[str, list[str]] = {}
        self._near: dict[str, tuple[str, ...]] = {}   # one-deletion variant -> full keys
        for pid, name in entries:
            for key in keys(name, data_dir):
                ids = self.exact.setdefault(key, [])
                if pid not in ids:
                    ids.append(pid)
        near: dict[str, list[str]] = {}
        for key in self.exact:
            if len(key) >= MIN_FUZZY:
                for d in _deletions(key):
                    near.setdefault(d, []).append(key)
        # tuples: a third of the memory of sets, and the index is read-only from here
        self._near = {d: tuple(ks) for d, ks in near.items()}

    def lookup(self, name: str) -> list[tuple[str, int]]:
        """(place id, edits) for every place whose key is the name's or, for keys of four
        classes or more, one edit away; exact matches first, each place once."""
        found: dict[str, int] = {}
        for key in keys(name, self._data_dir):
            for pid in self.exact.get(key, ()):
                found[pid] = 0
            if len(key) < MIN_FUZZY:
                continue
            near: set[str] = set(self._near.get(key, ()))        # one class more in the name
            for d in _deletions(key):
                if d in self.exact and len(d) >= MIN_FUZZY:     # one class less
                    near.add(d)
                near.update(self._near.get(d, ()))              # one class different
            for other in sorted(near):
                if other != key and len(other) >= MIN_FUZZY and within_one_edit(key, other):
                    for pid in self.exact[other]:
                        found.setdefault(pid, 1)
        return sorted(found.items(), key=lambda kv: kv[1])

    def nearest(self, name: str, ids_of: Iterable[str] = (), limit: int = 3) -> list[str]:
        """Keys closest to the name's (for curators): the ids of the `limit` nearest keys."""
        mine = keys(name, self._data_dir)
        if not mine:
            return []
        scored = []
        for key, ids in self.exact.items():
            d = min(_distance(m, key) for m in mine)
            scored.append((d, key, ids))
        scored.sort(key=lambda s: (s[0], s[1]))
        out: list[str] = []
        for _, _, ids in scored:
            for pid in ids:
                if pid not in out:
                    out.append(pid)
            if len(out) >= limit:
                break
        return out[:limit]


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
