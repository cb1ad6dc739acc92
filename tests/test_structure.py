"""The structure the next engineer relies on: one-way dependencies, Arabic only in data,
one clitic policy, and a pipeline of named stages over one document."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from datetime import date
from pathlib import Path

import pytest

from extract import pipeline
from extract.document import Document
from extract.model import Article, ArticleMeta
from geo import clitics

REPO = Path(__file__).resolve().parent.parent
_ARABIC_LETTER = re.compile("[\u0621-\u064A\u0671-\u06D3]")


def _modules(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (REPO / pkg).rglob("*.py"))


def test_geo_imports_nothing_from_extract_or_dashboard():
    for path in _modules("geo"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("extract", "dashboard") for n in names), path


def _arabic_code_lines(path: Path) -> list[int]:
    """Lines of string literals (docstrings excepted) that hold Arabic letters."""
    src = path.read_text(encoding="utf-8")
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(src)):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.STRING and tok.start[0] not in docstrings and _ARABIC_LETTER.search(tok.string):
            lines.update(range(tok.start[0], tok.end[0] + 1))
    return sorted(lines)


def test_arabic_words_live_in_data_files_not_in_code():
    found = {str(p.relative_to(REPO)): _arabic_code_lines(p) for p in _modules("extract", "geo")}
    found = {p: lines for p, lines in found.items() if lines}
    # only the normalisation tables (which letter folds to which) may spell Arabic in code
    assert set(found) <= {"geo/arabic.py"}, found
    assert sum(map(len, found.values())) <= 30


def test_a_misplaced_stage_is_refused_naming_what_it_lacks():
    by_name = {s.name: s for s in pipeline.STAGES}
    assert [s.name for s in pipeline.STAGES] == [
        "sentences", "speakers", "places", "events", "dates", "claimants", "incidents"]
    swapped = tuple(by_name[n] for n in ("sentences", "places", "speakers", "events", "dates",
                                         "claimants", "incidents"))
    with pytest.raises(pipeline.PipelineError, match="stage 'places' needs attribution"):
        pipeline.check_stages(swapped)


PLACES = [["Tartar"], ["Tonashen"]]
SENTENCES = ("وقالت وزارة الدفاع الأذربيجانية إن القوات الأرمينية قصفت مدينة ترتر أمس. "
             "وأضافت أن القصف طال قرية طوناشن أيضا.")


def test_each_stage_adds_its_layer_to_the_one_document():
    art = Article("d", "", SENTENCES, ArticleMeta("d.txt", date(2020, 10, 8)))
    doc = Document(art, pipeline.load_resources())
    for stage in pipeline.STAGES:
        stage.run(doc)
        if stage.name == "sentences":
            assert len(doc.sentences) == 2
        elif stage.name == "speakers":
            assert [s.speaker for s in doc.sentences] == ["az_mod", None]
        elif stage.name == "places":
            assert [[m.place.name_en for m in s.mentions] for s in doc.sentences] == PLACES
        elif stage.name == "events":
            assert [s.event_types for s in doc.sentences] == [["shelling"], ["shelling"]]
        elif stage.name == "claimants":
            # the second sentence goes on with the ministry's statement ("وأضافت")
            assert [s.claimants for s in doc.sentences] == [["az_mod"], ["az_mod"]]
    # "أمس" dates the first event; the second takes the statement's day, publication
    assert [(i.place_ar, i.event_type, i.claimant, i.date) for i in doc.incidents] == [
        ("ترتر", "shelling", "az_mod", "2020-10-07"), ("طوناشن", "shelling", "az_mod", "2020-10-08")]


def test_one_clitic_policy_composes_conjunction_preposition_and_article():
    assert set(clitics.PREFIXES) == {"", "و", "ف", "ب", "ل", "ال", "وب", "ول", "فب", "فل", "وال",
                                     "فال", "بال", "لل", "وبال", "ولل", "فلل", "فبال"}
    assert clitics.readings("وبالقريه") == ("وبالقريه", "بالقريه", "القريه", "قريه")
    assert clitics.readings("كابان") == ("كابان",)        # ك is not a clitic: names begin with it
    assert re.fullmatch(clitics.prefix_pattern() + "ترتر", "وبترتر")


def test_a_bad_clitic_row_is_an_error_naming_file_and_line(tmp_path):
    bad = tmp_path / "clitics.csv"
    bad.write_text("clitic,role,note\n# comment\nو,and,\nف,thn,\n", encoding="utf-8")
    with pytest.raises(clitics.CliticsError, match=f"{re.escape(str(bad))}:4: column 'role': unknown role 'thn'"):
        clitics._load(bad)


def test_the_dashboard_spells_no_event_or_claimant_code():
    from extract.vocabulary import VOCABULARY
    codes = set(VOCABULARY.event_types) | set(VOCABULARY.claimants)
    for path in _modules("dashboard"):
        src = path.read_text(encoding="utf-8")
        literals = {t.string.strip("'\"") for t in tokenize.generate_tokens(io.StringIO(src).readline)
                    if t.type == tokenize.STRING}
        assert not literals & codes, (path, literals & codes)
