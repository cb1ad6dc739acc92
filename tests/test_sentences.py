"""Sentence splitting on real article layouts."""
from pathlib import Path

from extract.sentences import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_wrapped_line_is_joined_back():
    text = (SEEDS / "000_bcd88fbf1b362250.txt").read_text(encoding="utf-8")
    sentences = [s.text for s in split_sentences(text)]
    shelling = [s for s in sentences if "لجأت إلى قصف محافظات" in s]
    assert len(shelling) == 1
    assert "غوران بوي، وترتر، وآغدام، وأغجه بدي، وبردي بالصواريخ" in shelling[0]
    assert "\n" not in shelling[0]


def test_offsets_point_into_the_article():
    text = (SEEDS / "001_c54f41809b093bc8.txt").read_text(encoding="utf-8")
    for s in split_sentences(text):
        assert " ".join(text[s.start:s.end].split()) == s.text


def test_teasers_and_trailing_headlines_are_not_article_text():
    text = (SEEDS / "000_bcd88fbf1b362250.txt").read_text(encoding="utf-8")
    sentences = [s.text for s in split_sentences(text)]
    assert not any(s.startswith("اقرأ أيضا") for s in sentences)
    assert not any("بوتين وماكرون يدعوان لهدنة" in s for s in sentences)
    assert sentences[-1].startswith("وتحتل أرمينيا منذ عام 1992")


def test_split_on_arabic_question_mark_and_period_not_on_double_dot():
    text = "ذكر المكتب أن القوات تمكنت من الدخول إلى قرية إن تاهر.. ونتيجة لذلك أصيب 6 أشخاص. هل انتهى القتال؟ لا."
    sentences = [s.text for s in split_sentences(text)]
    assert sentences == [
        "ذكر المكتب أن القوات تمكنت من الدخول إلى قرية إن تاهر.. ونتيجة لذلك أصيب 6 أشخاص.",
        "هل انتهى القتال؟",
        "لا.",
    ]


def test_short_heading_line_is_not_glued_to_the_next_sentence():
    text = "بدء محادثات في موسكو\nوفي موسكو، بدأت محادثات بين وزيري خارجية أرمينيا وأذربيجان اليوم الجمعة."
    sentences = [s.text for s in split_sentences(text)]
    assert sentences[0] == "بدء محادثات في موسكو"
