"""Names matched by sound (geo/phonetic.py and the place stage): Arabic spellings nobody
listed reach the right settlement; ordinary words in place slots never do; a name nothing
matches goes to the district the sentence gives as its address. The spellings here are
written as Arabic outlets transliterate (from Azerbaijani, Russian or English); none of
them is in the gazetteer's names_ar and none comes from the development set."""
from datetime import date

import pytest

from extract.model import Article, ArticleMeta
from extract.pipeline import extract_article, load_resources
from geo.phonetic import KeyIndex, keys, within_one_edit

PUBLISHED = date(2020, 10, 21)     # a Wednesday


def incidents(text, published=PUBLISHED):
    art = Article("k", "", text, ArticleMeta("k.txt", published))
    return extract_article(art)


def places(text):
    return [(i.place_id, i.place_ar, i.match) for i in incidents(text).incidents
            if i.precision not in ("region", "country")]


# (Arabic spelling as written, gazetteer id, district named in the sentence)
SPELLINGS = [
    ("قرفند", "garvand", "فضولي"),                       # Qərvənd
    ("دولت يارلي", "dovlatyarli", "فضولي"),               # Dövlətyarlı
    ("شوكور بيلي", "shukurbeyli-fuzuli", "فضولي"),        # Şükürbəyli
    ("جوارلي", "juvarli", "فضولي"),                        # Cuvarlı
    ("أحمدبيلي", "ahmadbeyli", "فضولي"),                   # Əhmədbəyli
    ("بالا بهمنلي", "bala-bahmanli", "فضولي"),             # Bala Bəhmənli
    ("ديدالي", "dadali", "فضولي"),                         # Dədəli
    ("كورد محمودلو العليا", "yukhari-kurdmahmudlu", "فضولي"),   # Yuxarı Kürdmahmudlu
    ("كورد محمودلو السفلى", "ashaghi-kurdmahmudlu", "فضولي"),   # Aşağı Kürdmahmudlu
    ("قويجاق", "guyjag", "جبرائيل"),                       # Quycaq
    ("مهدلي", "mehdili", "جبرائيل"),                       # Mehdili
    ("محمدبيلي", "mammadbayli", "زنغلان"),                 # Məmmədbəyli (one edit: the ح)
    ("علي قولو أوشاغي", "aliguluushagi", "قوبادلي"),        # Əliquluuşağı
    ("قزل كنكرلي", "gizil-kangarli", "أغدام"),             # Qızıl Kəngərli
    ("سيرخاوند", "sirkhavand", "أغدام"),                   # Sırxavənd
    ("قراداغلي", "garadaghli-barda", "بردعة"),             # Qaradağlı (five of them: Barda's)
    ("جرابرد", "jraberd", "أغدره"),                        # Jraberd (Armenian name)
    ("تشاراكتار", "charektar", "أغدره"),                   # Çərəktar
    ("برخودارلي", "barxudarli", "قازاخ"),                  # Barxudarlı
    ("يوخاري أسكيبارا", "yukhari-askipara", "قازاخ"),       # Yuxarı Əskipara
    ("شورنوخ", "shurnukh", "سيونيك"),                      # Shurnukh
    ("قاراهونج", "karahunj", "سيونيك"),                    # Karahunj
    ("تسغوك", "tsghuk", "سيونيك"),                         # Tsghuk
    ("نركين هاند", "nerkin-hand", "سيونيك"),               # Nerkin Hand
]


@pytest.mark.parametrize("spelling, place_id, district", SPELLINGS)
def test_an_unlisted_spelling_resolves_by_sound(spelling, place_id, district):
    g = load_resources().gazetteer
    assert g.get(place_id) is not None
    assert not any(spelling == n for p in g for n in p.names_ar), "must not be a curated spelling"
    text = (f"وقالت وزارة الدفاع الأذربيجانية إن القوات الأرمينية قصفت قرية {spelling} "
            f"في منطقة {district} صباح اليوم.")
    found = places(text)
    assert (place_id, spelling, "key") in found, found


def test_keys_share_the_consonant_skeleton_of_both_scripts():
    assert keys("Laçın") == keys("لاتشين") == ("LJN",)
    assert keys("Yuxarı Güzlək")[0] in keys("كوزلك العليا")       # modifier read before the name
    assert keys("زيزيفون") != keys("Sevan")                       # a vowel parts two ز
    assert within_one_edit("NFBNFK", "NFNFK") and not within_one_edit("KRS", "SRK")


def test_the_index_finds_one_edit_away_by_dict_probes_only():
    index = KeyIndex([("a", "Qaraxanbəyli"), ("b", "Sotk"), ("c", "Çiraquz")])
    assert index.lookup("قاراخانبيلي") == [("a", 0)]
    assert index.lookup("قاراخانبلي")[0][0] == "a"                # one class dropped: still found
    assert index.lookup("سوتك") == [("b", 0)]
    assert index.lookup("سوت") == []                               # short keys: exact only


@pytest.mark.parametrize("phrase", ["مدينة كبيرة", "منطقة عسكرية", "قرى عدة",
                                    "المناطق المأهولة بالسكان", "منطقة حدودية",
                                    "بلدات أخرى", "قرية تقع قرب الحدود"])
def test_ordinary_words_in_a_place_slot_never_match(phrase):
    text = f"وقالت وزارة الدفاع الأذربيجانية إن القوات الأرمينية قصفت {phrase} صباح اليوم."
    assert [p for p in places(text) if p[2] != "curated"] == []


def test_a_verb_continuing_a_list_is_not_a_name():
    text = "وقالت وزارة الدفاع الأرمينية إن القوات صدت هجوما على محور هادروت، ودمرت 4 دبابات."
    assert [p[0] for p in places(text)] == ["hadrut"]


def test_an_unknown_name_goes_to_the_district_that_is_its_address():
    text = "وأعلنت وزارة الدفاع الأذربيجانية أن القوات الأرمينية قصفت قرية ززفلانتوكي في منطقة أغجابادي أمس."
    result = incidents(text)
    (inc,) = [i for i in result.incidents if i.precision != "region"]
    assert (inc.place_id, inc.place_ar, inc.precision, inc.match) == (
        "aghjabadi-district", "ززفلانتوكي", "district", "district-fallback")
    assert inc.date == "2020-10-20"
    assert [u.name_ar for u in result.unresolved] == ["ززفلانتوكي"]


def test_an_address_rules_out_a_namesake_elsewhere():
    # Şıxlar is a village of Jabrayil, Aghdam and Goranboy: the address picks Goranboy's
    text = "وقالت وزارة الدفاع الأذربيجانية إن القوات الأرمينية قصفت قرية شيخلار التابعة لمحافظة غورانبوي."
    assert ("shikhlar-goranboy", "شيخلار", "key") in places(text)


def test_an_announced_list_after_a_colon():
    text = ("وقال الرئيس الأذربيجاني إلهام علييف إن الجيش حرر القرى التالية: قرفند، ودولت يارلي، "
            "وجوارلي في محافظة فضولي.")
    got = {p[0] for p in places(text)}
    assert {"garvand", "dovlatyarli", "juvarli"} <= got
