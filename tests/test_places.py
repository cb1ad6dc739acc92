"""Finding gazetteer places in Arabic sentences."""
import pytest

from geo.arabic import normalize
from extract.pipeline import load_resources
from extract.places import find_places
from extract.tokens import tokenize


@pytest.fixture(scope="module")
def names():
    return load_resources().names


def places_in(sentence, names):
    norm = normalize(sentence)
    return [m.place.name_en for m in find_places(tokenize(norm), norm, names)]


def test_list_with_clitics_and_multiword_names(names):
    s = "لجأت إلى قصف محافظات غوران بوي، وترتر، وآغدام، وأغجه بدي، وبردي بالصواريخ"
    assert places_in(s, names) == ["Goranboy", "Tartar", "Aghdam", "Aghjabadi", "Barda"]


def test_heights_two_words(names):
    s = "تحاول الاستيلاء على منطقة قرق قز المرتفعة"
    assert places_in(s, names) == ["Girkhgiz"]


def test_never_inside_a_longer_word(names):
    # "ترترية" is not Tartar, "الأذربيجانية" is not Azerbaijan
    assert places_in("قالت الوزارة الأذربيجانية إن الترترية", names) == []


def test_country_as_actor_is_not_a_place_but_as_location_is(names):
    assert places_in("اتهمت وزارة الدفاع الروسية أذربيجان بانتهاك وقف إطلاق النار", names) == []
    assert "Armenia" in places_in("تعرضت للقصف في أرمينيا", names)


def test_original_spelling_kept_for_place_ar():
    from extract.model import Article, ArticleMeta
    from extract.pipeline import extract_article
    from datetime import date
    art = Article("t", "", "وأعلنت وزارة الدفاع الأذرية أن جنود الكتيبة فروا من مواقعهم في قرية \"توناشين\"، بمحافظة \"ترتر\".",
                  ArticleMeta("t.txt", date(2020, 9, 30)))
    incidents = extract_article(art).incidents
    assert [(i.place, i.place_ar) for i in incidents] == [("Tonashen", "توناشين")]


def test_unknown_village_found_in_geonames_and_unknown_one_kept_unresolved():
    from datetime import date
    from extract.model import Article, ArticleMeta
    from extract.pipeline import extract_article
    text = "قالت وزارة الدفاع الأذربيجانية إن القوات الأرمينية قصفت قرية بهرامتبه وقرية زرزيبيل في محافظة بيلاجان."
    result = extract_article(Article("u", "", text, ArticleMeta("u.txt", date(2020, 10, 9))))
    inc, fallback = result.incidents
    assert (inc.place, inc.geonames_id, inc.event_type, inc.claimant, inc.match) == (
        "Bahramtepe", "148330", "shelling", "az_mod", "geonames")
    # the name nobody knows is put at the district the sentence names, as ACLED would
    assert (fallback.place, fallback.place_ar, fallback.precision, fallback.match) == (
        "Beylagan", "زرزيبيل", "district", "district-fallback")
    assert [u.name_ar for u in result.unresolved] == ["زرزيبيل"]
