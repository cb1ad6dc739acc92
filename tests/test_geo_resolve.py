"""resolve(): the same spelling for different places, decided by the sentence."""
from __future__ import annotations

import pytest

from geo.arabic import normalize
from geo.gazetteer import load_gazetteer
from geo.resolve import context_cue, rank, resolve


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def pick(g, sentence: str, name: str, nearby_names: tuple[str, ...] = ()) -> str:
    """Resolve the first occurrence of `name` in `sentence` the way extraction calls resolve()."""
    norm = normalize(sentence)
    key = normalize(name)
    start = norm.index(key)
    nearby = {pid for n in nearby_names for pid in g.arabic_index[normalize(n)]}
    return resolve(g, g.arabic_index[key], norm, start, start + len(key), nearby).id


def test_ambiguous_spellings_exist(g):
    assert set(g.arabic_index[normalize("مارتوني")]) == {"khojavend", "khojavend-district", "martuni-gegharkunik"}
    assert set(g.arabic_index[normalize("آغدام")]) == {"aghdam", "aghdam-district", "aghdam-tovuz"}
    assert set(g.arabic_index[normalize("ترتر")]) == {"tartar", "tartar-district"}


# district vs its town of the same spelling
@pytest.mark.parametrize("sentence, name, nearby, expected", [
    ("القصف الأرميني على مدينة ترتر", "ترتر", (), "tartar"),
    ("في قرية توناشين بمحافظة ترتر", "ترتر", ("توناشين",), "tartar-district"),
    ("قصف محافظات غوران بوي وترتر وآغدام", "آغدام", ("غوران بوي", "ترتر"), "aghdam-district"),
    ("شنت هجمات مضادة في اتجاه مناطق فضولي وغبرائيل وآغدام وترتر", "ترتر", ("فضولي", "غبرائيل", "آغدام"),
     "tartar-district"),
    ("بقصف بلدات ترتار وباردا وبيلاغان", "بيلاغان", ("ترتار", "باردا"), "beylagan"),
    ("حرر قريتي ميراك وقاودار التابعتين لمدينة جبرائيل", "جبرائيل", ("ميراك", "قاودار"), "jabrayil"),
    ("أطلقت قذائف على بلدتي تارتار وهوراديز في منطقة فيزولي", "فيزولي", ("تارتار", "هوراديز"), "fuzuli-district"),
    ("استمرت المعارك في جبهتي آغدره وخوجافند", "آغدره", ("خوجافند",), "martakert"),     # default: the town
])
def test_district_or_town(g, sentence, name, nearby, expected):
    assert pick(g, sentence, name, nearby) == expected


# the two Martuni
@pytest.mark.parametrize("sentence, nearby, expected", [
    ("قصفت القوات الأذربيجانية منطقة جيغاركونيك وبلدة مارتوني", ("جيغاركونيك",), "martuni-gegharkunik"),
    ("سقطت قذائف على مارتوني في محافظة جيغاركونيك الأرمينية", (), "martuni-gegharkunik"),  # parent as text
    ("أطلقت النار على بلدة مارتوني الأرمينية", (), "martuni-gegharkunik"),                  # nationality
    ("رصدت 3 انتهاكات لنظام وقف إطلاق النار وتحديدا في منطقتي مارتوني وشوشا", ("شوشا",), "khojavend-district"),
    ("أصاب قصف عاصمة المنطقة ستيباناكيرت وبلدتي مارتاكيرت ومارتوني", ("ستيباناكيرت", "مارتاكيرت"), "khojavend"),
    ("اندلعت اشتباكات قرب مارتوني", (), "khojavend"),                  # default: the conflict zone
])
def test_two_martuni(g, sentence, nearby, expected):
    assert pick(g, sentence, "مارتوني", nearby) == expected


# a village Aghdam in Tovuz district vs the district and the city of Aghdam
@pytest.mark.parametrize("sentence, nearby, expected", [
    ("قصفت القوات الأرمينية قرية آغدام في منطقة توفوز", ("توفوز",), "aghdam-tovuz"),
    ("تعرضت قرية آغدام التابعة لمحافظة توفوز للقصف", (), "aghdam-tovuz"),
    ("قصفت القوات الأرمينية قرية آغدام وقرية دوندار قوشتشو", ("دوندار قوشتشو",), "aghdam-tovuz"),
    ("استعاد الجيش الأذربيجاني مدينة آغدام", (), "aghdam"),
    ("قصفت أرمينيا آغدام", (), "aghdam"),
    ("قصف الجيش الأرميني محافظة آغدام", (), "aghdam-district"),
])
def test_aghdam(g, sentence, nearby, expected):
    assert pick(g, sentence, "آغدام", nearby) == expected


def test_corridor_and_heights_by_context(g):
    # the corridor is named with its noun ("ممر لاشين"), so the longest match finds it whole
    from extract.places import NameIndex, find_places
    from extract.tokens import tokenize
    norm = normalize('واندلع القتال في ممر "لاشين" وهو شريط')
    assert [m.place.id for m in find_places(tokenize(norm), norm, NameIndex(g))] == ["lachin-corridor"]
    assert pick(g, "سقطت قذائف على مدينة لاشين", "لاشين") == "lachin"
    assert pick(g, "قصف لاشين", "لاشين") == "lachin"


def test_nationality_after_name(g):
    assert pick(g, "سقطت قذائف في جلفا الإيرانية", "جلفا") == "julfa-ir"
    assert pick(g, "في مدينة جلفا بإقليم نخجوان", "جلفا", ("نخجوان",)) == "julfa-az"


def test_context_cue_walks_back_over_a_list_but_not_past_a_preposition(g):
    norm = normalize("قرى فيرين شورزا، الكوت، ميتس ماسريك، سوتك")
    i = norm.index("سوتك")
    assert context_cue(g, norm, i, i + 4) == "village"
    norm = normalize("قصف مدينة غنجة في سوتك")
    i = norm.index("سوتك")
    assert context_cue(g, norm, i, i + 4) is None
    norm = normalize("تحاول الاستيلاء على منطقة قرق قز المرتفعة")
    i = norm.index("قرق قز")
    assert context_cue(g, norm, i, i + len("قرق قز")) == "heights"


def test_sentence_break_stops_lookback(g):
    norm = normalize("سيطرت على قرية. ترتر تتعرض للقصف")
    i = norm.index("ترتر")
    assert context_cue(g, norm, i, i + 4) is None


def test_single_candidate_and_errors(g):
    norm = normalize("في قرية طوناشن")
    i = norm.index("طوناشن")
    assert resolve(g, ["tonashen"], norm, i, i + 6).id == "tonashen"
    assert resolve(g, ["no-such", "tonashen"], norm, i, i + 6).id == "tonashen"
    with pytest.raises(ValueError):
        resolve(g, ["no-such"], norm, i, i + 6)


def test_rank_is_deterministic_and_sorted(g):
    norm = normalize("قصف مارتوني")
    i = norm.index("مارتوني")
    ids = g.arabic_index["مارتوني"]
    r1 = rank(g, ids, norm, i, i + 7)
    r2 = rank(g, tuple(reversed(ids)), norm, i, i + 7)
    assert [p.id for _, p in r1] == [p.id for _, p in r2]
    assert [s for s, _ in r1] == sorted((s for s, _ in r1), reverse=True)
