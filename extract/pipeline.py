"""Article in, incidents out: the stages run in order (work in progress)."""
from __future__ import annotations

from extract.model import Article, ArticleResult

# Bumped whenever code, lexicons or the gazetteer change what extraction produces
# (the store re-extracts older articles with --reextract).
EXTRACTOR_VERSION = "0"


def extract_article(article: Article) -> ArticleResult:
    """All incidents of one article. Pure: same article, same result."""
    raise NotImplementedError("pipeline under construction")
