"""The document the pipeline's stages pass along: one per article, each stage adds its layer.

As in spaCy's `Language.__call__`, a stage is a function that takes the document and writes
the fields it declares (extract/pipeline.py lists the stages and checks that every field a
stage reads is written by an earlier one). Positions within a sentence: token indexes for
words (`first`, `last`), character offsets in the normalised sentence for spans (`start`,
`end`), as every mention type records them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extract.claimants import SentenceAttribution
from extract.dates import DateMention
from extract.model import Article, Incident, Sentence, UnresolvedPlace
from extract.places import NameIndex, PlaceMention, UnknownName
from extract.tokenlist import Tokens
from geo.gazetteer import Gazetteer


@dataclass(frozen=True)
class Resources:
    """What extraction reads besides the article: loaded once, shared by every article."""
    gazetteer: Gazetteer
    names: NameIndex


class SentenceLayers:
    """One sentence and what the stages found in it (slots: made for every sentence)."""
    __slots__ = ("sentence", "norm", "tokens", "attribution", "speaker", "mentions", "unknown",
                 "dateline_end", "event_types", "dates", "breaks", "own_date", "claimants",
                 "statement_date")

    def __init__(self, sentence: Sentence, norm: str, tokens: Tokens):
        self.sentence = sentence
        self.norm = norm                    # geo.arabic.normalize(sentence.text)
        self.tokens = tokens
        self.attribution: Optional[SentenceAttribution] = None    # speakers
        self.speaker: Optional[str] = None          # speakers: the claimant code it names as speaker
        self.mentions: list[PlaceMention] = []      # places: those that can carry an incident
        self.unknown: list[tuple[UnknownName, str]] = []    # places: slot names, district id or ""
        self.dateline_end = -1              # places: where a dateline ends (dates before it are the filing's)
        self.event_types: list[Optional[str]] = []   # events: one per mention, None = no event
        self.dates: list[DateMention] = []          # dates: the sentence's date expressions
        self.breaks: tuple[int, ...] = ()   # dates: where its clauses begin
        self.own_date: Optional[tuple[str, str]] = None       # dates: the statement's own date
        self.claimants: list[Optional[str]] = []     # claimants: one per mention, None = denied
        self.statement_date: Optional[tuple[str, str]] = None  # claimants: carried from the statement


@dataclass
class Document:
    article: Article
    resources: Resources
    sentences: list[SentenceLayers] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    unresolved: list[UnresolvedPlace] = field(default_factory=list)
