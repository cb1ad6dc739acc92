"""One vocabulary (extract/data/vocabulary.csv) for every layer: the lexicons use only its
codes, the dashboard can draw every one, and a code added in the data file alone reaches
the dashboard's filters and legend."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extract.lexicon import claimant_patterns, triggers
from extract.vocabulary import DEFAULT_VOCABULARY, VOCABULARY, VocabularyError, load_vocabulary

REPO = Path(__file__).resolve().parent.parent


def test_the_lexicons_use_only_vocabulary_codes():
    codes = {p.code for p in claimant_patterns() if p.code}
    assert codes <= set(VOCABULARY.claimants)
    types = {t.event_type for t in triggers() if t.event_type not in ("-", "!", "~")}
    assert types <= set(VOCABULARY.event_types)


def test_the_dashboard_can_draw_every_code():
    from dashboard import data as D, mapbuild
    for code, side in VOCABULARY.claimants.items():
        assert side in D.SIDE_COLORS and code in D.CLAIMANT_LABELS
    for t in VOCABULARY.event_types:
        assert t in mapbuild.SHAPES and t in D.EVENT_LABELS
    assert set(D.DATE_BASIS_LABELS) == set(VOCABULARY.date_bases)


def test_a_bad_row_is_named_by_file_line_and_column(tmp_path):
    rows = DEFAULT_VOCABULARY.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "v.csv"
    bad.write_text("\n".join(rows + ["claimant,xx_mod,Xx MoD,Nowhere,,,,"]) + "\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as e:
        load_vocabulary(bad)
    assert str(e.value).startswith(f"{bad}:{len(rows) + 1}: column 'side': no such side")


def test_a_claimant_and_an_event_type_added_as_data_reach_the_legend(tmp_path):
    """README "How extraction works": a claimant is one vocabulary row (plus its patterns),
    an event type one row (plus its cues). Nothing else changes."""
    vocab = tmp_path / "vocabulary.csv"
    text = DEFAULT_VOCABULARY.read_text(encoding="utf-8")
    text += ("claimant,ge_government,Georgia government,International,,,,\n"
             'event_type,kidnapping,Abduction,,,Violence against civilians: Abduction,,'
             '"<circle cx=""10"" cy=""10"" r=""4""/>"\n')
    vocab.write_text(text, encoding="utf-8")
    script = (
        "import json\n"
        "from dashboard import data as D, mapbuild\n"
        "recs = [dict(doc='a', place='Tovuz', place_ar='توفوز', lat=40.99, lon=45.63,"
        " precision='settlement', event_type='kidnapping', claimant='ge_government',"
        " date='2020-07-14', date_basis='explicit', sentence='خطف', place_id='tovuz')]\n"
        "html = mapbuild.build_map(D.records_frame(recs)).get_root().render()\n"
        "print(json.dumps({'legend': 'Abduction' in html, 'claimant': D.CLAIMANT_LABELS.get('ge_government'),"
        " 'side': D.side_of('ge_government'), 'types': list(D.EVENT_LABELS)}))\n")
    env = dict(os.environ, INCIDENT_VOCABULARY=str(vocab))
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert got["legend"] and got["claimant"] == "Georgia government"
    assert got["side"] == "International" and "kidnapping" in got["types"]


@pytest.mark.parametrize("name, header, row, loader", [
    ("speech_verbs.csv", "verb,kind,note", "قال,sya,", "speech_verbs"),
    ("dates.csv", "word,kind,value,note", "يناير,mnth,1,", "date_words"),
    ("statement_words.csv", "word,kind,note", "كما,goingon,", "statement_words"),
])
def test_a_typo_in_a_lexicon_kind_is_an_error_naming_file_and_line(tmp_path, name, header, row, loader):
    from extract import lexicon
    (tmp_path / name).write_text(f"{header}\n# a comment\n{row}\n", encoding="utf-8")
    fn = getattr(lexicon, loader).__wrapped__
    with pytest.raises(lexicon.LexiconError) as e:
        fn(tmp_path)
    assert str(e.value).startswith(f"{tmp_path / name}:3: column 'kind': unknown kind")


def test_a_typo_in_a_page_word_kind_is_an_error_naming_file_and_line(tmp_path):
    from extract import lexicon
    (tmp_path / "page_words.csv").write_text("word,kind,note\nاقرأ,teaser,\nشاهد,teasr,\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError) as e:
        lexicon.page_words.__wrapped__("teaser", tmp_path)
    assert str(e.value).startswith(f"{tmp_path / 'page_words.csv'}:3: column 'kind': unknown kind 'teasr'")
