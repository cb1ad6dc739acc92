"""Normalisation for matching, and the map back to what the reporter wrote (geo/arabic.py)."""
import random

from geo.arabic import _DROP, _FOLD, _normalize_slow, index_map, normalize, normalize_with_map


def test_hamza_ta_marbuta_alef_maqsura_and_harakat_fold():
    assert normalize("قصفت القوات الأذربيجانية مدينة شوشة") == "قصفت القوات الاذربيجانيه مدينه شوشه"
    assert normalize("آغدام وإلى مستشفى") == "اغدام والي مستشفي"
    assert normalize("أَغْدَام") == "اغدام"                       # diacritics dropped
    assert normalize("ترتـــر") == "ترتر"                          # tatweel dropped
    assert normalize("قلی بیگلو") == "قلي بيكلو"                   # Persian letters folded
    assert normalize("٢٧ أيلول 2020") == "27 ايلول 2020"            # Arabic-Indic digits
    assert normalize("«NATO»") == '"nato"'


def test_index_map_points_back_to_the_original_characters():
    text = "استهدفت المدفعية بلدة أَغْدَام صباحًا"
    norm, index = normalize_with_map(text)
    start = norm.index("اغدام")
    end = start + len("اغدام")
    assert text[index[start]:index[end - 1] + 1] == "أَغْدَام"
    assert index_map(text) == index
    plain = "قصفت ترتر"
    assert index_map(plain) == list(range(len(plain)))


def test_presentation_forms_from_old_pages():
    # ﺗﺮﺗﺮ in presentation forms, and the lam-alef ligature that NFKC turns into two letters
    assert normalize("\uFE97\uFEAE\uFE97\uFEAE") == "ترتر"
    norm, index = normalize_with_map("\uFEFB")
    assert norm == "لا" and index == [0, 0]


def test_fast_path_equals_the_character_by_character_reference():
    # the fast path replaces only the characters present; it must agree with the plain
    # per-character definition on any mix of letters, marks, digits and controls
    rng = random.Random(20201027)
    pool = ([chr(c) for c in range(0x0600, 0x0700)] + list(" abcXYZ019.,\n") + sorted(_DROP)
            + sorted(_FOLD) + ["\uFEFB", "\uFE8D", "\U0001F600"])
    for _ in range(5000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert normalize_with_map(text) == _normalize_slow(text), repr(text)
