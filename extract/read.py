"""Read stage: files (or uploaded bytes) in, `Article`s out.

Arabic news pages arrive as UTF-8 (with or without BOM), UTF-16 and Windows-1256, as plain
text or as whole HTML pages. This module turns any of them into the same NFC text with
"\\n" line breaks, and rejects what is not an article (empty, binary, too large) with an
`ArticleError` that names the file and the reason. Matching normalisation (alef forms,
diacritics, tatweel) is geo/arabic.py's job: the text here keeps its original spelling.
"""
from __future__ import annotations

import codecs
import csv
import errno
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, Optional, Sequence, Union

from extract.pages import Page, read_page
from extract.model import Article, ArticleMeta

MAX_BYTES = 5_000_000
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MANIFEST_NAME = "manifest.csv"

PathLike = Union[str, Path]
# where a reader appends what it repaired, one "<file>: <what>" line each
Notes = list


class ArticleError(Exception):
    """A file that cannot be turned into an article; str() is "<path>: <reason>"."""

    def __init__(self, path: PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


# --------------------------------------------------------------------------- decoding

# Leading bytes of file formats people mistake for (or rename to) articles.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE2) document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
)


def _magic(data: bytes) -> Optional[str]:
    for sig, kind in _MAGIC:
        if data.startswith(sig):
            if sig == b"BZh" and not data[3:4].isdigit():
                continue  # "BZh" could begin a word; a real bzip2 header has a level digit
            if sig == b"MZ" and b"This program" not in data[:512]:
                continue  # same: only a real DOS stub counts
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    return None


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF \
        or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


def _plausible_char(ch: str) -> bool:
    """A character an Arabic or Western news article plausibly contains."""
    o = ord(ch)
    if ch in "\t\n\r\f":
        return True
    if o < 0x20 or 0x7F <= o < 0xA0:
        return False
    return (o < 0x0250                      # Latin, Latin-1, Latin extended
            or 0x0370 <= o <= 0x058F        # Greek, Cyrillic, Armenian
            or _is_arabic(ch)
            or 0x2000 <= o <= 0x206F        # general punctuation, zero-width controls
            or 0x20A0 <= o <= 0x20CF        # currency
            or o == 0xFEFF)


# control characters (but whitespace), surrogates and private-use characters: one regex pass
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


# The blocks news text is made of: a character outside them, or unassigned inside them, is rare.
_COMMON_BLOCKS = ((0x0000, 0x07FF), (0x2000, 0x206F), (0xFB50, 0xFEFF))


def _rare_class() -> str:
    """The inside of a character class matching the rare characters (the only ones worth
    asking unicodedata about): the ranges between the common blocks, then their holes."""
    ranges, lo = [], 0
    for a, b in _COMMON_BLOCKS:
        if lo < a:
            ranges.append((lo, a - 1))
        lo = b + 1
    ranges.append((lo, 0x10FFFF))
    ranges += [(c, c) for a, b in _COMMON_BLOCKS for c in range(a, b + 1)
               if unicodedata.category(chr(c)) == "Cn"]
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" if a != b else re.escape(chr(a))
                   for a, b in ranges)


_RARE_CLASS = _rare_class()
_RARE = re.compile(f"[{_RARE_CLASS}]")
# everything _control_ratio counts, as one class (it scans several times faster than an
# alternation of two): most texts have none and are decided in one pass
_SUSPECT = re.compile("[" + _CONTROL.pattern[1:-1] + _RARE_CLASS + "]")


def _control_ratio(text: str) -> float:
    """Share of characters no text has: controls, surrogates, private use, unassigned."""
    if not _SUSPECT.search(text):
        return 0.0          # the common case, in one scan
    bad = len(_CONTROL.findall(text))
    # unassigned code points need unicodedata: ask about each distinct rare character once
    rare = _RARE.findall(text)
    if rare:
        unassigned = {c for c in set(rare) if unicodedata.category(c) == "Cn"}
        bad += sum(1 for c in rare if c in unassigned)
    return bad / max(len(text), 1)


def _mostly_arabic(text: str) -> bool:
    """Most non-ASCII letters are Arabic. ASCII reads the same in every candidate
    encoding, so only the other letters tell cp1256 from Latin-1 or binary."""
    letters = [c for c in text if c.isalpha() and not c.isascii()]
    if not letters:
        return False
    return sum(1 for c in letters if _is_arabic(c)) / len(letters) >= 0.5


def _sniff_utf16(data: bytes) -> Optional[str]:
    """Decoded text if `data` looks like BOM-less UTF-16, else None.

    ASCII characters (spaces, digits, newlines) give a NUL in the high byte and Arabic
    letters give 0x06, so one of the two byte lanes is dominated by a few values; plain
    UTF-8 or cp1256 text never looks like that.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    for codec, hi in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        common = sum(hi.count(b) for b in (0x00, 0x06, 0x20, 0xFE, 0xFB))
        if common / len(hi) < 0.6:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if sum(1 for c in text if _plausible_char(c)) / max(len(text), 1) >= 0.95:
            return text
    return None

# At most one invalid byte per this many valid non-ASCII characters for a text to be
# UTF-8 with a few stray bytes; cp1256 Arabic read as UTF-8 fails on nearly every letter.
_VALID_PER_BAD_BYTE = 10
_OFFSETS_SHOWN = 10


def _utf8_but_for_a_few_bytes(data: bytes, name: str, notes: Notes, start: int = 0) -> Optional[str]:
    """`data[start:]` as UTF-8, or None if it is not UTF-8. A few invalid bytes (a stray
    byte, a download cut inside a character) become U+FFFD, noted with their offsets."""
    view = memoryview(data)
    try:
        return codecs.utf_8_decode(view[start:], "strict", True)[0]      # the common case
    except UnicodeDecodeError:
        pass
    # Each stretch between bad sequences is decoded twice (to find the bad one, then to
    # keep the stretch): linear, and cp1256 gives up after a few letters.
    pieces: list[str] = []
    bad: list[int] = []
    valid = 0                                  # non-ASCII characters decoded so far
    pos = start
    while pos <= len(data):
        try:
            piece = codecs.utf_8_decode(view[pos:], "strict", True)[0]
            end = len(data) + 1
        except UnicodeDecodeError as e:
            piece = codecs.utf_8_decode(view[pos:pos + e.start], "strict", True)[0]
            bad.extend(range(pos + e.start, pos + e.end))
            end = pos + e.end
        pieces.append(piece)
        valid += len(piece) - _ascii_count(piece)
        if len(bad) > 16 and valid < len(bad) * _VALID_PER_BAD_BYTE:
            return None
        pos = end
    if valid < len(bad) * _VALID_PER_BAD_BYTE:
        return None
    notes.append(f"{name}: {_bad_bytes_note(bad)}")
    return "\ufffd".join(pieces)


def _ascii_count(text: str) -> int:
    return len(text.encode("ascii", "ignore"))


def _bad_bytes_note(offsets: list[int]) -> str:
    shown = ", ".join(str(o) for o in offsets[:_OFFSETS_SHOWN])
    more = f" and {len(offsets) - _OFFSETS_SHOWN} more" if len(offsets) > _OFFSETS_SHOWN else ""
    what = "1 byte" if len(offsets) == 1 else f"{len(offsets)} bytes"
    at = "offset" if len(offsets) == 1 else "offsets"
    return f"{what} not valid UTF-8 at {at} {shown}{more} (replaced by U+FFFD)"


def _finish(text: str) -> str:
    """NFC (composes alef + hamza above into أ), one newline convention, no BOM."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def _decode_raw(data: bytes, name: str, declared: Optional[str], notes: Notes) -> str:
    """The text of `data` before newline/NFC finishing; raises ArticleError. What was
    repaired (bytes replaced) is appended to `notes` as "<name>: <what>"."""
    if not data.strip():
        raise ArticleError(name, "empty file")
    # A byte-order mark is the writer telling us the encoding; trust it first.
    if data.startswith(codecs.BOM_UTF8):
        text = _utf8_but_for_a_few_bytes(data, name, notes, start=3)
        if text is None:
            raise ArticleError(name, "not text (UTF-8 BOM but mostly invalid UTF-8)")
        return text
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                if codec.startswith("utf-32"):
                    continue  # FF FE 00 00 may also be UTF-16-LE starting with a NUL
                raise ArticleError(name, f"not text ({codec.upper()} BOM but invalid {codec.upper()})")
    kind = _magic(data)
    if kind:
        raise ArticleError(name, f"not text (binary data: {kind})")
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data:
        raise ArticleError(name, "not text (binary data: contains NUL bytes)")
    text = _utf8_but_for_a_few_bytes(data, name, notes)
    if text is not None:
        if _control_ratio(text) > 0.005:
            raise ArticleError(name, "not text (binary data: control characters)")
        return text
    # Not UTF-8: an HTML page may say what it is; otherwise Windows-1256, the usual legacy
    # encoding of Arabic pages. cp1256 maps every byte, so only accept it if the result is
    # mostly Arabic letters (binary or another legacy encoding would not be).
    cp1256 = data.decode("cp1256")
    if declared:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            text = None
        # Pages often declare windows-1252/iso-8859-1 while being cp1256: trust the bytes.
        if text is not None and _control_ratio(text) <= 0.005 and (
                _mostly_arabic(text) or not _mostly_arabic(cp1256)):
            return text
    if _mostly_arabic(cp1256) and _control_ratio(cp1256) <= 0.005:
        return cp1256
    if _control_ratio(cp1256) > 0.005:
        raise ArticleError(name, "not text (binary data)")
    raise ArticleError(name, "not text (unknown encoding: not UTF-8, UTF-16 or Windows-1256 Arabic)")


def decode_bytes(data: bytes, name: str, notes: Optional[Notes] = None) -> str:
    """Article bytes -> text: UTF-8 (±BOM), UTF-16 (BOM or NUL pattern), Windows-1256.

    Raises ArticleError(name, reason) for empty or binary data. The result is NFC with
    "\\n" line breaks and otherwise exactly what was written, but for the few invalid
    bytes of a nearly-UTF-8 file, which become U+FFFD and are noted in `notes`.
    """
    return _finish(_decode_raw(data, name, None, [] if notes is None else notes))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


def declared_charset(data: bytes) -> Optional[str]:
    """The encoding an HTML page declares in a <meta> tag (first 4 KB), if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_html_bytes(data: bytes, name: str, notes: Optional[Notes] = None) -> str:
    """Like decode_bytes, but a non-UTF-8 page's <meta charset> is respected."""
    return _finish(_decode_raw(data, name, declared_charset(data), [] if notes is None else notes))


# --------------------------------------------------------------------------- HTML

_LOOKS_HTML = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)


def looks_like_html(text: str) -> bool:
    """A ".txt" that is really a saved web page (common with uploads)."""
    return bool(_LOOKS_HTML.match(text[:1000]))


# --------------------------------------------------------------------------- articles

def article_from_bytes(name: str, data: bytes, meta: Optional[ArticleMeta] = None,
                       max_bytes: int = MAX_BYTES, path: str = "",
                       notes: Optional[Notes] = None) -> Article:
    """An Article from raw bytes (dashboard uploads, and read_article after reading).

    `name` is the file name (its extension decides HTML vs text, its stem is the doc id);
    errors and `notes` (what was repaired) name `path` when given, else `name`.
    """
    where = path or name
    if len(data) > max_bytes:
        raise ArticleError(where, f"too large ({len(data):,} bytes; limit {max_bytes:,})")
    fname = Path(name).name
    is_html = Path(fname).suffix.lower() in HTML_SUFFIXES
    found: Notes = []
    if is_html:
        text = decode_html_bytes(data, where, found)
    else:
        text = decode_bytes(data, where, found)
        if looks_like_html(text):
            is_html = True
            found = []              # decoded again: keep one copy of each note
            text = decode_html_bytes(data, where, found)
    meta = meta if meta is not None else ArticleMeta(file=fname)
    if is_html:
        page = read_page(text)
        text, meta = page.text, with_page(meta, page)
    if not text.strip():
        raise ArticleError(where, "empty file" if not is_html else "no article text in the HTML")
    if notes is not None:
        notes.extend(found)
    return Article(doc=Path(fname).stem, path=path, text=text, meta=meta)


def with_page(meta: ArticleMeta, page: Page) -> ArticleMeta:
    """The manifest's metadata, each field it lacks filled from what the page says about
    itself (a manifest row wins: an analyst corrected it)."""
    published = meta.published or page.published
    return ArticleMeta(meta.file, published, meta.outlet or page.outlet, meta.url or page.url,
                       meta.title or page.title,
                       published_from=meta.published_from if meta.published else "page")


def read_article(path: PathLike, meta: Optional[ArticleMeta] = None,
                 max_bytes: int = MAX_BYTES, notes: Optional[Notes] = None) -> Article:
    """The article in file `path` (.txt, .html, .htm). Raises ArticleError naming the file;
    what was repaired on the way (invalid bytes) is appended to `notes`."""
    p = Path(path)
    try:
        if not p.is_file():
            raise ArticleError(p, "cannot read (no such file)" if not p.exists() else "cannot read (not a file)")
        size = p.stat().st_size
        # check the size before reading, so a huge file is never loaded
        if size > max_bytes:
            raise ArticleError(p, f"too large ({size:,} bytes; limit {max_bytes:,})")
        data = p.read_bytes()
    except OSError as e:
        raise ArticleError(p, f"cannot read ({e.strerror or e})") from e
    return article_from_bytes(p.name, data, meta, max_bytes, path=str(p), notes=notes)


# --------------------------------------------------------------------------- manifests

_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")


def parse_published(value: str) -> Optional[date]:
    """ISO YYYY-MM-DD (a trailing time is tolerated) -> date; None if not a real date."""
    m = _ISO_DATE.match(value.strip())
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


@dataclass(frozen=True)
class ManifestRow:
    """Where a file's metadata came from: a manifest, a line, the file as the row names it."""
    manifest: Path
    line: int
    file: str

    def __str__(self) -> str:
        return f"{self.manifest}:{self.line}"


@dataclass
class Manifests:
    """What the manifests of a run say: metadata by file name, the row each came from,
    the problems found reading them (one "<manifest>:<line>: ..." line each), and the
    manifest files themselves."""
    metas: dict[str, ArticleMeta] = field(default_factory=dict)
    rows: dict[str, ManifestRow] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    def update(self, other: "Manifests") -> None:
        """Add `other`'s rows; they win over this one's for the same file name."""
        self.metas.update(other.metas)
        self.rows.update(other.rows)
        self.problems.extend(other.problems)
        self.paths.extend(other.paths)

    def rows_without_files(self, names: Iterable[str]) -> list[str]:
        """A problem for each row naming a file that is neither among `names` (the input
        files' names) nor beside its manifest: a typo, or a file lost on the way."""
        have = set(names)
        return [f"{row}: {fname}: no such file (not among the inputs nor beside the manifest)"
                for fname, row in self.rows.items()
                if fname not in have and not _is_file(row.manifest.parent / row.file)]


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except (OSError, ValueError):       # an unreadable folder, a NUL in the row's name
        return False


def read_manifest(path: PathLike) -> tuple[dict[str, ArticleMeta], list[str]]:
    """Manifest CSV `file,published,outlet,url,title` -> ({file name: meta}, problems)."""
    m = load_manifest(path)
    return m.metas, m.problems


def load_manifest(path: PathLike) -> Manifests:
    """Manifest CSV `file,published,outlet,url,title` -> Manifests.

    Only `file` and `published` are required; extra columns are ignored. A row whose date
    is missing or invalid is kept with published=None and reported with its line number;
    so are a quote left open (see _manifest_records), a field over the csv limit, a
    repeated file name. No problem loses the other rows.
    """
    p = Path(path)
    out = Manifests(paths=[p])
    notes: Notes = []
    try:
        text = decode_bytes(p.read_bytes(), str(p), notes)
    except OSError as e:
        out.problems.append(f"{p}: cannot read manifest ({e.strerror or e})")
        return out
    except ArticleError as e:
        out.problems.append(f"{p}: cannot read manifest ({e.reason})")
        return out
    out.problems.extend(notes)
    records = _manifest_records(text.splitlines(keepends=True), p, out.problems)
    first = next(records, None)
    fields = [f.strip().lower() for f in (first[1] if first else [])]
    missing = [c for c in ("file", "published") if c not in fields]
    if missing:
        out.problems.append(f"{p}:1: manifest header lacks column(s) {', '.join(missing)} "
                            f"(expected file,published,outlet,url,title)")
        return out
    for line, values in records:
        row = {k: v.strip() for k, v in zip(fields, values) if k}
        written = row.get("file", "").replace("\\", "/")
        fname = Path(written).name
        if not fname:
            if any(row.values()):
                out.problems.append(f"{p}:{line}: row without a file name")
            continue
        raw = row.get("published", "")
        published = parse_published(raw) if raw else None
        if not raw:
            out.problems.append(f"{p}:{line}: {fname}: no published date (dates unknown)")
        elif published is None:
            out.problems.append(f"{p}:{line}: {fname}: bad published date {raw!r} "
                                f"(expected YYYY-MM-DD; dates unknown)")
        if fname in out.metas:
            out.problems.append(f"{p}:{line}: {fname}: duplicate row (the first one is used)")
            continue
        out.metas[fname] = ArticleMeta(file=fname, published=published, outlet=row.get("outlet", ""),
                                       url=row.get("url", ""), title=row.get("title", ""))
        out.rows[fname] = ManifestRow(p, line, written)
    return out


def _manifest_records(lines: list[str], p: Path, problems: list[str]):
    """(line number, fields) for each CSV record in `lines`, the header first. A record is read by the csv module, so a quoted field may
    hold line breaks, but a quote left open would swallow the rows after it: a record
    spanning lines one of which reads as a row of its own (an article file in the file
    column) is read as its first line alone, quotes literal, and reported. A field over
    the csv module's limit is reported and its line skipped."""
    src = _Lines(lines)
    file_col = None
    while src.pos < len(lines):
        start = src.pos
        try:
            values = next(csv.reader(src), None)
        except csv.Error as e:
            problems.append(f"{p}:{start + 1}: {e} (row skipped)")
            src.pos = start + 1
            continue
        if values is None:
            break
        if file_col is not None and src.pos - start > 1 and any(
                _names_article(ln, file_col) for ln in lines[start + 1:src.pos]):
            problems.append(f"{p}:{start + 1}: quote not closed on its line: read to the end "
                            f"of the line, the rows after it are kept")
            values = next(csv.reader([lines[start]], quoting=csv.QUOTE_NONE))
            src.pos = start + 1
        if file_col is None:            # the header: where rows name their file
            header = [v.strip().lower() for v in values]
            file_col = header.index("file") if "file" in header else -1
        yield start + 1, values


class _Lines:
    """Lines for csv.reader, from a position that can be set back between records."""

    def __init__(self, lines: list[str]):
        self.lines, self.pos = lines, 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _names_article(line: str, file_col: int) -> bool:
    """`line`, read as a CSV row alone, names an article file in the file column."""
    try:
        values = next(csv.reader([line], quoting=csv.QUOTE_NONE), [])
    except csv.Error:
        return False
    return 0 <= file_col < len(values) and values[file_col].strip().lower().endswith(ARTICLE_SUFFIXES)


@dataclass(frozen=True)
class InputFile:
    """An article file to read, and its source: its path from the folder that was named,
    that folder's name included, or for a file named directly its folder's name and its
    own ("outletA/index.txt" either way). The store tells an article's versions apart by
    its source, so two outlets' index.txt never replace each other."""
    path: Path
    source: str


def scan_inputs(paths: Sequence[PathLike]) -> tuple[list[InputFile], list[ArticleError]]:
    """Files named directly (whatever their type, so bad ones get reported), plus the
    .txt/.html/.htm files inside named folders (recursive, sorted; hidden names and
    manifest.csv excluded; linked folders not followed), and an error for each thing inside
    a folder that cannot be listed or followed: an unreadable subfolder, a dangling
    symlink, a symlink loop."""
    out: list[InputFile] = []
    errors: list[ArticleError] = []
    seen: set[Path] = set()

    def add(f: Path, source: str) -> None:
        try:
            key = f.resolve() if f.exists() else f
        except OSError:             # inside an unreadable folder: read_article says why
            key = f
        if key not in seen:
            seen.add(key)
            out.append(InputFile(f, source))

    for raw in paths:
        p = Path(raw)
        if _is_dir(p):
            top = Path(os.path.abspath(p)).name
            for f in _article_files(p, errors):
                add(f, PurePosixPath(top, *f.relative_to(p).parts).as_posix())
        elif p.name.lower() != MANIFEST_NAME:
            add(p, PurePosixPath(Path(os.path.abspath(p)).parent.name, p.name).as_posix())
    return out, errors


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except OSError:
        return False


def _article_files(root: Path, errors: list[ArticleError]) -> list[Path]:
    """The article files under `root`, sorted as Path.rglob sorts; what cannot be listed
    or followed goes to `errors`."""
    found: list[Path] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as e:
            errors.append(ArticleError(folder, f"cannot read folder ({e.strerror or e})"))
            continue
        for entry in entries:
            if not entry.name.startswith("."):
                try:
                    _sort_entry(entry, found, folders, errors)
                except OSError as e:
                    errors.append(ArticleError(entry.path, f"cannot read ({e.strerror or e})"))
    return sorted(found)


def _sort_entry(entry: os.DirEntry, found: list[Path], folders: list[Path],
                errors: list[ArticleError]) -> None:
    """Put a folder entry where it belongs: an article file, a folder to list, a broken
    link (an error), or nothing (other files, linked folders)."""
    path = Path(entry.path)
    if entry.is_symlink():
        problem = _broken_link(path)
        if problem:
            # a link that may have been an article or a folder is a missing input
            if path.suffix.lower() in ARTICLE_SUFFIXES or not path.suffix:
                errors.append(ArticleError(path, problem))
            return
    if entry.is_dir(follow_symlinks=False):
        folders.append(path)
    elif (path.suffix.lower() in ARTICLE_SUFFIXES and entry.is_file()
          and entry.name.lower() != MANIFEST_NAME):
        found.append(path)


def _broken_link(link: Path) -> str:
    """Why the symlink `link` leads nowhere, or "" if it leads to something."""
    try:
        os.stat(link)
        return ""
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "cannot read (symlink loop)"
        if e.errno == errno.ENOENT:
            return f"cannot read (dangling symlink to {os.readlink(link)})"
        return f"cannot read ({e.strerror or e})"


def iter_article_paths(paths: Sequence[PathLike]) -> list[Path]:
    """The paths of scan_inputs(paths), without its errors."""
    return [f.path for f in scan_inputs(paths)[0]]


def find_manifests(paths: Iterable[PathLike], explicit: Optional[PathLike] = None
                   ) -> tuple[dict[str, ArticleMeta], list[str]]:
    """load_manifests' metas by file name and problems."""
    m = load_manifests(paths, explicit)
    return m.metas, m.problems


def load_manifests(paths: Iterable[PathLike], explicit: Optional[PathLike] = None) -> Manifests:
    """The manifest.csv files inside the given folders (and their subfolders), then
    `explicit` (which wins on conflicts)."""
    out = Manifests()
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if _is_dir(p):
            found.extend(sorted(_manifest_files(p)))
    if explicit is not None:
        if not _is_file(Path(explicit)):
            out.problems.append(f"{explicit}: manifest not found")
        else:
            found.append(Path(explicit))
    done: set[Path] = set()
    for m in found:
        if m.resolve() in done:
            continue
        done.add(m.resolve())
        out.update(load_manifest(m))
    return out


def _manifest_files(root: Path) -> Iterator[Path]:
    """The manifest.csv files under `root` (folders that cannot be listed are reported by
    scan_inputs)."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name == MANIFEST_NAME and _is_file(Path(folder, name)):
                yield Path(folder, name)
