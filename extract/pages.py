"""Saved web pages: the article's text and the page's own metadata, through trafilatura.

trafilatura keeps the article body with its headline and drops navigation, related-article
lists, comments and footers (it leads the open benchmarks of boilerplate removal; the README
compares it with the hand-written reducer it replaced). Its metadata gives what nearly every
news page states about itself: the publication date (htmldate: `article:published_time`,
JSON-LD `datePublished`, `<time datetime>`, `<meta name="date">`; the original date, not the
modification date, and never a date guessed from the page's text), the title, the site name
and the canonical URL. Decoding stays extract/read.py's: this module gets text, not bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Optional
from urllib.parse import urlsplit

import trafilatura
from trafilatura.settings import use_config


@dataclass(frozen=True)
class Page:
    """What a saved page says: its article text and, where its markup gives them, its
    publication date, title, outlet (site name, else the canonical URL's host) and URL."""
    text: str
    published: Optional[date] = None
    title: str = ""
    outlet: str = ""
    url: str = ""


@lru_cache(maxsize=1)
def _config():
    config = use_config()
    # trafilatura's timeout uses SIGALRM: not allowed outside the main thread (the dashboard)
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


# the page's own date only: the original publication, no guess from the text or the URL
_DATES = {"original_date": True, "extensive_search": False}


def read_page(html: str) -> Page:
    """The article of a saved page and its metadata; text "" if the page has none."""
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=True, date_extraction_params=_DATES,
                                      config=_config())
    if doc is None:
        return Page("")
    url = doc.url or ""
    return Page(text=_text(doc.body), published=_day(doc.date), title=(doc.title or "").strip(),
                outlet=(doc.sitename or "").strip() or _host(url), url=url)


def _text(body) -> str:
    """The article as text: a blank line between blocks (paragraphs, headings, list items,
    table rows), a line break where the page had <br>, so the sentence splitter rejoins a
    sentence a page broke over lines but never runs two paragraphs together."""
    if body is None:
        return ""
    blocks = []
    for block in body:
        if block.tag == "list":
            blocks += [_inline(item) for item in block.iter("item")]
        elif block.tag == "table":
            blocks += [" ".join(_inline(cell) for cell in row.iter("cell")) for row in block.iter("row")]
        else:
            blocks.append(_inline(block))
    return "\n\n".join(b for b in blocks if b)


def _inline(element) -> str:
    for lb in element.iter("lb"):
        lb.text = "\n"
    lines = ("".join(element.itertext())).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def _day(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host
