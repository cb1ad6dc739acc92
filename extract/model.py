"""The dataclasses that flow between the pipeline's stages.

read -> Article -> sentences -> Sentence -> places/events/claimants/dates -> Incident
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from extract.vocabulary import VOCABULARY

# The codebook's output fields, in order: every writer and the store use this list.
INCIDENT_FIELDS = (
    "doc", "place", "place_ar", "geonames_id", "lat", "lon", "precision",
    "event_type", "claimant", "date", "date_basis", "sentence", "match",
)

# The vocabularies come from one data file (extract/data/vocabulary.csv): every layer reads them.
EVENT_TYPES = VOCABULARY.event_types
CLAIMANTS = VOCABULARY.claimants          # code -> side
DATE_BASES = VOCABULARY.date_bases


PUBLISHED_FROM = ("manifest", "page")      # where a publication date came from


@dataclass(frozen=True)
class ArticleMeta:
    """One manifest row: what we know about an article besides its text. A publication date
    given without saying where it came from is a manifest's (or an upload form's)."""
    file: str
    published: Optional[date] = None
    outlet: str = ""
    url: str = ""
    title: str = ""
    published_from: str = ""                # "manifest" | "page" | "" when no date

    def __post_init__(self) -> None:
        if self.published is None:
            object.__setattr__(self, "published_from", "")
        elif not self.published_from:
            object.__setattr__(self, "published_from", "manifest")


@dataclass(frozen=True)
class Article:
    """An article's text as read from disk, with its manifest metadata."""
    doc: str                      # file name without extension
    path: str                     # where it was read from ("" for uploads)
    text: str                     # the article text (HTML already reduced), NFC, original spelling
    meta: ArticleMeta = field(default_factory=lambda: ArticleMeta(file=""))

    @property
    def published(self) -> Optional[date]:
        return self.meta.published


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: its display text and where it sits in Article.text."""
    index: int
    text: str                     # as in the article, line breaks inside it joined by a space
    start: int                    # character offsets into Article.text
    end: int


@dataclass(frozen=True)
class Incident:
    """One coded incident: the codebook's record plus the sentence's offsets in the article."""
    doc: str
    place: str
    place_ar: str
    geonames_id: str
    lat: Optional[float]
    lon: Optional[float]
    precision: str
    event_type: str
    claimant: str
    date: str                     # ISO date, "" when the publication date is unknown
    date_basis: str
    sentence: str
    sentence_start: int = 0
    sentence_end: int = 0
    place_id: str = ""            # gazetteer id ("" when unresolved)
    match: str = "curated"        # how the place was found: curated, key, geonames, district-fallback

    def record(self) -> dict:
        """The codebook's fields only, in the codebook's order."""
        return {k: getattr(self, k) for k in INCIDENT_FIELDS}     # flat: no need for asdict's deep copy


@dataclass(frozen=True)
class UnresolvedPlace:
    """A name in a place slot ("قرية X") that neither the gazetteer (by spelling or by
    sound) nor GeoNames knows; `district` is the gazetteer id of the district its
    incident was put at (a district fallback), "" when it is unresolved."""
    doc: str
    name_ar: str
    sentence: str
    district: str = ""


@dataclass(frozen=True)
class ArticleResult:
    """Everything extraction produced for one article."""
    doc: str
    incidents: tuple[Incident, ...]
    unresolved: tuple[UnresolvedPlace, ...] = ()
