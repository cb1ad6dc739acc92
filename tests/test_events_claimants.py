"""Event types and claimants on real sentences, through the whole pipeline."""
from datetime import date

import pytest

from extract.model import Article, ArticleMeta
from extract.pipeline import extract_article


def extract(text, published=date(2020, 10, 9)):
    return extract_article(Article("t", "", text, ArticleMeta("t.txt", published))).incidents


def rows(text, published=date(2020, 10, 9)):
    return [(i.place, i.event_type, i.claimant, i.date) for i in extract(text, published)]


def test_shelling_list_attributed_by_continuation_verb():
    text = ("وجاء ذلك في مؤتمر صحفي عقده المتحدث باسم وزارة الدفاع الأذربيجانية، أنار أيوازوف، الخميس.\n"
            "وبيّن أن القوات الأرمينية لجأت إلى قصف محافظات غوران بوي، وترتر بالصواريخ، ما أدى إلى وقوع قتلى.")
    assert rows(text, date(2020, 10, 8)) == [
        ("Goranboy", "shelling", "az_mod", "2020-10-08"),
        ("Tartar", "shelling", "az_mod", "2020-10-08"),
    ]


def test_capture_by_ministry():
    text = 'وأعلنت وزارة الدفاع الأذرية، أن قواتها تمكنت من السيطرة على بلدة "هاردوت" وقرى عدة في قره باغ.'
    assert rows(text) == [("Hadrut", "territory_change", "az_mod", "2020-10-09")]


def test_shootdown_beats_destruction_for_a_missile():
    text = ("ونشرت وزارة الدفاع الأذرية مشاهد من الجو.\n"
            "كما أعلنت عن تدمير صاروخ أرميني قبل سقوطه في مدينة مينغاشيفير الأذربيجانية.")
    assert rows(text) == [("Mingachevir", "shootdown", "az_mod", "2020-10-09")]


def test_ceasefire_violation_by_russian_mod():
    text = "بدورها، اتهمت وزارة الدفاع الروسية أذربيجان بانتهاك وقف إطلاق النار في منطقة ساريبابا."
    assert rows(text, date(2022, 8, 3)) == [("Saribaba", "ceasefire_violation", "ru_mod", "2022-08-03")]


def test_withdrawal_and_district_as_address_only():
    text = 'وأعلنت وزارة الدفاع الأذرية أن جنود كتيبة للجيش الأرمني فروا من مواقع يحتلونها في قرية "توناشين"، بمحافظة "ترتر".'
    assert rows(text, date(2020, 9, 30)) == [("Tonashen", "withdrawal", "az_mod", "2020-09-30")]


def test_relayed_statement_and_according_to():
    text = ('نقلت وكالة أرمنبريس عن الخارجية الأرمينية قولها إن "الجيش الأذربيجاني استهدف سكاناً مدنيين في بلدة فاردينيس".')
    assert rows(text, date(2020, 9, 29)) == [("Vardenis", "shelling", "am_government", "2020-09-29")]


def test_attribution_at_the_end_of_the_sentence():
    text = ("كما تم استهداف 3 وحدات عسكرية للجيش الأذري، ما أدى إلى مقتل أكثر من 20 عنصرا في منطقة غبرائيل، "
            "وفق ما ذكره مركز المعلومات الأرميني.")
    assert [r[0] for r in rows(text)] == ["Jabrayil"]
    assert rows(text)[0][2] == "am_government"


def test_denial_does_not_make_the_denier_the_claimant():
    text = ("في غضون ذلك، نفت وزارة الدفاع في جمهورية قره باغ صحة إعلان علييف أمس عن سيطرة القوات "
            "الأذربيجانية على قرية ماداغيز في منطقة تارتار.")
    assert rows(text, date(2020, 10, 4)) == [("Sugovushan", "territory_change", "az_president", "2020-10-03")]


def test_a_denial_with_no_other_author_is_no_claim_of_the_denier():
    # the ministry denies that its forces shelled Tartar: nobody in the sentence claims it
    assert rows("ونفت وزارة الدفاع الأرمينية أن تكون قواتها قد قصفت مدينة ترتر.", date(2020, 10, 4)) == []
    assert rows("نفى المتحدث باسم وزارة الدفاع الأرمينية قصف مدينة ترتر.", date(2020, 10, 4)) == []


def test_two_claims_in_one_sentence_each_get_their_source():
    text = ("ونقلت وكالة الصحافة الفرنسية عن وزارة الخارجية المحلية في إقليم ناغورني قره باغ قولها.. إن القوات "
            "الأذربيجانية قصفت مدينة ستيباناكرت بالقذائف صباح اليوم فيما أعلنت وزارة الدفاع الأذربيجانية أن القوات "
            "الأرمينية أطلقت قذائف على بلدتي تارتار وهوراديز في منطقة فيزولي.")
    got = {r[0]: r[2] for r in rows(text, date(2020, 10, 4))}
    assert got == {"Stepanakert": "nk_authorities", "Tartar": "az_mod", "Horadiz": "az_mod"}


def test_statement_date_carries_to_the_sentences_that_continue_it():
    text = ("وأعلن الرئيس الأذربيجاني إلهام علييف، أمس الأربعاء، تمكن الجيش من السيطرة على 7 قرى جديدة.\n"
            "وأفاد علييف بأن الجيش الأذربيجاني \"حرر قريتي ميراك وقاودار، التابعتين لمدينة جبرائيل\".")
    assert rows(text, date(2020, 11, 5)) == [
        ("Mirak", "territory_change", "az_president", "2020-11-04"),
        ("Gavdar", "territory_change", "az_president", "2020-11-04"),
    ]


def test_history_and_diplomacy_are_not_incidents():
    text = ("وتحتل أرمينيا منذ عام 1992، نحو 20 بالمئة من الأراضي الأذربيجانية، إضافة إلى أجزاء واسعة من "
            "محافظتي \"آغدام\" و\"فضولي\".\n"
            "وفي السياق، دعا الاتحاد الأوروبي اليوم إلى \"وقف فوري\" للقتال بين القوات في ناغورني قره باغ.")
    assert rows(text) == []


def test_quoted_country_is_not_the_speaker():
    text = ('وقال رئيس البرلمان التركي إن الاعتداء جريمة.\n'
            'وأضاف: "أرمينيا الدولة المارقة، استهدفت مجددا المدنيين الأبرياء في مدينتي كنجة، ومينغا تشيفير، بالصواريخ".')
    got = rows(text, date(2020, 10, 17))
    assert {(r[0], r[2]) for r in got} == {("Ganja", "tr_government"), ("Mingachevir", "tr_government")}


def test_sentence_with_no_source_is_unattributed():
    text = 'واندلع القتال في ممر "لاشين"، وهو شريط يربط بين منطقة ناغورني قره باغ وأرمينيا عبر أذربيجان.'
    assert rows(text, date(2022, 8, 3)) == [("Lachin corridor", "armed_clash", "unattributed", "2022-08-03")]
