"""The phrase matcher every lexicon goes through (extract/tokens.py), on real Arabic words."""
from geo.arabic import normalize
from extract.events import find_triggers
from extract.tokens import PhraseIndex, WordFilter, tokenize


def _index(*entries):
    return PhraseIndex((tuple(normalize(p).split()), v) for p, v in entries)


def _find(index, sentence):
    tokens = tokenize(normalize(sentence))
    return [(tokens[i].text, n, v) for i, n, v in index.find(tokens)]


def test_tokens_carry_words_and_offsets():
    norm = normalize("قصفت القوات الأرمينية، مدينة ترتر.")
    tokens = tokenize(norm)
    assert tokens.texts == ["قصفت", "القوات", "الارمينيه", "مدينه", "ترتر"]
    assert [norm[t.start:t.end] for t in tokens] == tokens.texts
    assert tokens[2].start == norm.index("الارمينيه")


def test_clitics_on_any_word_and_longest_entry_wins():
    index = _index(("وزارة الدفاع", "mod"), ("وزارة الدفاع الأذربيجانية", "az_mod"), ("وزارة", "ministry"))
    assert _find(index, "وأعلنت ولوزارة الدفاع الأذربيجانية بيان") == [("ولوزاره", 3, "az_mod")]
    assert _find(index, "قالت وزارة الدفاع إن") == [("وزاره", 2, "mod")]
    assert _find(index, "قالت الوزارة إن") == [("الوزاره", 1, "ministry")]


def test_star_gap_and_one_word_wildcard():
    index = _index(("قصف*", "shelling"), ("محافظ .. إيران", "ir_gov"), ("وزارة _ الأرمينية", "am_min"))
    assert _find(index, "وقصفتها المدفعية") == [("وقصفتها", 1, "shelling")]
    # the gap reaches over up to six words to the nearest "إيران"
    assert _find(index, "قال محافظ أذربيجان الشرقية في إيران") == [("محافظ", 5, "ir_gov")]
    assert _find(index, "قال محافظ أذربيجان الشرقية في شمال غرب البلاد الواقعة في إيران") == []
    assert _find(index, "أكدت وزارة الخارجية الأرمينية") == [("وزاره", 3, "am_min")]


def test_exact_entry_beats_a_gapped_one_that_spells_as_many_words():
    index = _index(("وزارة .. الأرمينية", "gapped"), ("وزارة الخارجية", "exact"))
    assert _find(index, "قالت وزارة الخارجية الأرمينية") == [("وزاره", 2, "exact")]


def test_tie_goes_to_the_reading_that_strips_fewest_clitics():
    # "لإطلاق النار" is ل + "إطلاق النار" (fire was opened), not "لإطلاق" + ال + "نار"
    index = _index(("لإطلاق نار", "shelling"), ("إطلاق النار", "armed_clash"))
    assert _find(index, "تعرضت القرية لإطلاق النار") == [("لاطلاق", 2, "armed_clash")]
    # the shipped trigger lexicon reads it the same way
    tokens = tokenize(normalize("تعرضت مواقعنا لإطلاق النار من الجانب الأرميني"))
    assert [t.event_type for t in find_triggers(tokens)] == ["armed_clash"]


def test_matches_do_not_overlap():
    index = _index(("وقف إطلاق النار", "-"), ("إطلاق النار", "armed_clash"))
    assert _find(index, "خرق وقف إطلاق النار ثم إطلاق النار") == [
        ("وقف", 3, "-"), ("اطلاق", 2, "armed_clash")]


def test_word_filter_tests_each_word_once():
    calls = []
    words = WordFilter(lambda w: calls.append(w) or w.startswith("ق"))
    assert words.positions(["قصف", "مدينة", "قصف", "ترتر"]) == [0, 2]
    assert words.positions(["ترتر", "قصف"]) == [1]
    assert sorted(calls) == sorted(["قصف", "مدينة", "ترتر"])
