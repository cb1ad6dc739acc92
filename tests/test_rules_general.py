"""Rules that describe kinds of sentence (issue 12), each on a realistic sentence written for
the test (none is copied from the development set): the type from what was done to whom,
fronts and directions, claimants that continue, dates that stay in their clause."""
from datetime import date

import pytest

from extract.model import Article, ArticleMeta
from extract.pipeline import extract_article

PUBLISHED = date(2020, 10, 21)     # a Wednesday


def rows(text, published=PUBLISHED):
    art = Article("r", "", text, ArticleMeta("r.txt", published))
    return [(i.place, i.event_type, i.claimant, i.date) for i in extract_article(art).incidents
            if i.precision not in ("region", "country")]


@pytest.mark.parametrize("text, expected", [
    # fire opened on villages / populated areas is shelling
    ("وقالت وزارة الدفاع الأذربيجانية إن القوات الأرمينية أطلقت النار على قرى منطقة ترتر.",
     [("Tartar", "shelling", "az_mod", "2020-10-21")]),
    ("وأكد المدعي العام الأذربيجاني أن العدو يواصل إطلاق النار على المناطق السكنية في مدينة بردعة.",
     [("Barda", "shelling", "az_prosecutor", "2020-10-21")]),
    # sabotage, provocations, mines at a named place are fighting there
    ("وقالت وزارة الدفاع الأذربيجانية إن وحدات أرمينية نفذت أعمالا تخريبية في اتجاه كلبجار.",
     [("Kalbajar", "armed_clash", "az_mod", "2020-10-21")]),
    ("واتهمت وزارة الدفاع الأذربيجانية الجيش الأرميني بزرع ألغام على الطرق قرب لاتشين.",
     [("Lachin", "armed_clash", "az_mod", "2020-10-21")]),
    # an incursion is a territory change
    ("وقالت الحكومة الأرمينية إن جنودا أذربيجانيين توغلوا في أراضي منطقة سيونيك.",
     [("Syunik", "territory_change", "am_government", "2020-10-21")]),
])
def test_the_type_follows_what_was_done(text, expected):
    assert rows(text) == expected


def test_directions_name_several_places_each_an_incident():
    text = ("وقالت وزارة الدفاع الأذربيجانية إن المعارك مستمرة في اتجاهات فضولي وجبرائيل "
            "وزنغلان.")
    assert rows(text) == [(p, "armed_clash", "az_mod", "2020-10-21")
                          for p in ("Fuzuli", "Jabrayil", "Zangilan")]


def test_a_semicolon_does_not_cut_the_claim_from_its_speaker():
    text = "وقالت وزارة الدفاع الأرمينية في بيان أصدرته مساء الثلاثاء؛ إن القوات الأذربيجانية قصفت بلدة مارتوني."
    assert rows(text) == [("Khojavend", "shelling", "am_mod", "2020-10-20")]


def test_both_sides_continue_the_speaker_before():
    text = ("أعلنت وزارة الدفاع الأرمينية سقوط قتلى في صفوفها. "
            "وأكد الطرفان استمرار الاشتباكات في محيط هادروت.")
    assert rows(text) == [("Hadrut", "armed_clash", "am_mod", "2020-10-21")]


def test_a_date_stays_in_its_clause():
    text = ("وقالت وزارة الدفاع الأرمينية إن القوات الأذربيجانية قصفت ستيباناكيرت مساء الاثنين، "
            "فيما تتواصل الاشتباكات في محيط هادروت.")
    assert rows(text) == [("Stepanakert", "shelling", "am_mod", "2020-10-19"),
                          ("Hadrut", "armed_clash", "am_mod", "2020-10-21")]


def test_from_a_date_is_that_date_and_since_a_date_is_a_span():
    assert rows("وقالت وزارة الدفاع الأرمينية إنه اعتبارا من صباح 18 تشرين الأول/أكتوبر تشن "
                "القوات الأذربيجانية هجمات على مواقعنا قرب هادروت.") == [
        ("Hadrut", "armed_clash", "am_mod", "2020-10-18")]
    assert rows("وقالت وزارة الدفاع الأذربيجانية إن المعارك التي بدأت في 27 سبتمبر مستمرة في "
                "محيط فضولي.") == [("Fuzuli", "armed_clash", "az_mod", "2020-10-21")]


def test_day_of_month_with_min():
    assert rows("وقالت الحكومة الأرمينية إن القوات الأذربيجانية عبرت الحدود يوم 19 من أكتوبر "
                "في منطقة سيونيك.") == [("Syunik", "territory_change", "am_government", "2020-10-19")]


@pytest.mark.parametrize("text", [
    "ترتر، 20 أكتوبر (أذرتاج) - أعلنت وزارة الدفاع الأذربيجانية أن القوات الأرمينية قصفت مدينة بردعة.",
    "ترتر - الأناضول: أعلنت وزارة الدفاع الأذربيجانية أن القوات الأرمينية قصفت مدينة بردعة.",
])
def test_a_dateline_city_is_where_the_reporter_is(text):
    assert rows(text) == [("Barda", "shelling", "az_mod", "2020-10-21")]


@pytest.mark.parametrize("text", [
    # negated acts and reports that nothing happened
    "وقالت وزارة الدفاع الأرمينية إنه لم يتم تسجيل أي قصف على مدينة غوريس.",
    "وقالت وزارة الدفاع الأرمينية إن الجيش لم ينسحب من أي موقع في محيط هادروت.",
    # demands and conditions
    "وقالت الخارجية الأذربيجانية إنه يجب أن تنسحب القوات الأرمينية من مدينة لاتشين.",
    "وقال علييف إن المفاوضات لن تنجح إلا إذا ضمنت انسحاب القوات الأرمينية من كلبجار.",
    # intentions and goals
    "وقالت وزارة الدفاع الأرمينية إن القوات الأذربيجانية تسعى إلى التقدم نحو هادروت.",
    "وأعلنت وزارة الدفاع الأذربيجانية أن العدو حشد قواته بهدف التقدم نحو مدينة فضولي.",
    # photo captions
    "دمار في مدينة ترتر جراء القصف - جيتي",
    "آثار القصف على مدينة غنجة (أرشيفية)",
])
def test_what_did_not_happen_is_no_incident(text):
    assert rows(text) == []


def test_an_agency_credit_after_a_claim_is_not_a_caption():
    text = "وقالت وزارة الدفاع الأذربيجانية إن القوات الأرمينية قصفت مدينة ترتر (رويترز)."
    assert rows(text) == [("Tartar", "shelling", "az_mod", "2020-10-21")]
