"""A long run of text with no punctuation (a page that lost it, or a hostile file) is cut
into bounded sentences, so that extraction stays linear in the input."""
from __future__ import annotations

import time
from datetime import date

from extract.model import Article, ArticleMeta
from extract.pipeline import extract_article, load_resources
from extract.sentences import MAX_SENTENCE_WORDS, split_sentences

REPORT = "قصفت القوات الأرمينية مدينة ترتر وقرى طوناشن وآغدام بالمدفعية الثقيلة "   # 10 words, no full stop


def _cpu_seconds(text: str) -> float:
    art = Article("long", "", text, ArticleMeta("long.txt", date(2020, 10, 8)))
    t = time.process_time()
    result = extract_article(art)
    spent = time.process_time() - t
    assert [(i.place, i.event_type) for i in result.incidents] == [
        ("Tartar", "shelling"), ("Tonashen", "shelling"), ("Aghdam", "shelling")]
    return spent


def test_a_megabyte_without_punctuation_costs_ten_times_a_tenth_of_it():
    load_resources()
    _cpu_seconds(REPORT * 30)                   # caches warm
    n = 100_000 // len(REPORT.encode())
    small = min(_cpu_seconds(REPORT * n) for _ in range(2))
    big = _cpu_seconds(REPORT * n * 10)
    # linear is x10; before the bound this was x60 and more (quadratic in the run's length)
    assert big / small < 20, (small, big)


def test_a_run_longer_than_the_bound_is_cut_at_its_commas_and_keeps_every_word():
    text = ("، ".join(["قصفت القوات مدينة ترتر"] * 60) + " ") * 2      # 480 words, commas only
    pieces = split_sentences(text)
    assert len(pieces) == 3
    assert all(len(p.text.split()) <= MAX_SENTENCE_WORDS for p in pieces)
    assert all(p.text.endswith("،") for p in pieces[:-1])        # cut after a comma
    assert " ".join(p.text for p in pieces).split() == text.split()   # nothing lost, nothing cut mid-word
    for p in pieces:
        assert " ".join(text[p.start:p.end].split()) == p.text      # offsets point at the piece


def test_a_long_real_sentence_under_the_bound_stays_one_sentence():
    text = "وقالت الوزارة إن " + " ".join(["القوات الأرمينية قصفت مدينة ترتر"] * 39) + "."
    assert len(text.split()) < MAX_SENTENCE_WORDS
    assert len(split_sentences(text)) == 1
