"""Date resolution against the publication date (codebook, Dates)."""
from datetime import date

from geo.arabic import normalize
from extract.dates import event_date, find_dates
from extract.tokens import tokenize


def dates_in(sentence, published):
    return [(m.basis, m.value.isoformat()) for m in find_dates(tokenize(normalize(sentence)), published)]


def test_explicit_levantine_and_gregorian_pair():
    s = "بعد وفاة أحد المصابين في القصف الأرميني على مدينة بردة، في 28 تشرين الأول/ أكتوبر الماضي."
    assert dates_in(s, date(2020, 11, 5)) == [("explicit", "2020-10-28")]


def test_explicit_gregorian_then_levantine_with_year():
    s = "أعلنت روسيا في 10 نوفمبر/تشرين الثاني 2020 توصل أذربيجان وأرمينيا إلى اتفاق"
    assert dates_in(s, date(2022, 8, 3)) == [("explicit", "2020-11-10")]


def test_weekday_is_latest_on_or_before_publication():
    s = "أن الاشتباكات استمرت ليل الأربعاء في جبهتي آغدره وخوجافند"
    assert dates_in(s, date(2020, 11, 5)) == [("weekday", "2020-11-04")]   # publication Thursday


def test_weekday_equal_to_publication_weekday_is_publication_day():
    s = "أسقطت القوات الأرمينية في إقليم ناغورنو كاراباخ، الخميس، 3 طائرات مسيّرة"
    assert dates_in(s, date(2020, 10, 8)) == [("weekday", "2020-10-08")]


def test_weekday_days_back():
    s = "وكانت وزارة الدفاع الروسية أعلنت، يوم الخميس، أن قوات حفظ السلام رصدت 3 انتهاكات"
    assert dates_in(s, date(2023, 3, 5)) == [("weekday", "2023-03-02")]   # published Sunday


def test_yesterday_with_weekday_is_one_relative_expression():
    s = "وأعلن الرئيس الأذربيجاني إلهام علييف، أمس الأربعاء، تمكن الجيش من السيطرة على 7 قرى"
    assert dates_in(s, date(2020, 11, 5)) == [("relative", "2020-11-04")]


def test_today_and_this_morning():
    assert dates_in("إن القوات الأذربيجانية قصفت مدينة ستيباناكرت بالقذائف صباح اليوم", date(2020, 10, 4)) == \
        [("relative", "2020-10-04")]


def test_since_is_a_span_not_an_event_date():
    s = "يذكر أن أذربيجان أعلنت أنها تمكنت منذ 27 أيلول/ سبتمبر الماضي، من استعادة السيطرة على أربع مدن"
    assert dates_in(s, date(2020, 11, 5)) == []


def test_next_monday_is_not_an_event_date():
    assert dates_in("أن يجتمع الوزير مع مسؤولين في موسكو الاثنين المقبل", date(2020, 10, 8)) == []


def test_weekday_followed_by_explicit_date_yields_to_it():
    s = "استُهدفت مدينة ستيباناكرت عاصمة إقليم ناغورنو كاراباخ، ليل الأربعاء 7 أكتوبر 2020، بعمليات قصف جديدة"
    assert dates_in(s, date(2020, 10, 8)) == [("explicit", "2020-10-07")]


def test_nearest_expression_to_the_place_wins():
    s = normalize("وأضافت النيابة في بيان، الخميس، إن حصيلة القتلى ارتفعت بعد القصف على مدينة بردة، في 28 تشرين الأول/ أكتوبر")
    mentions = find_dates(tokenize(s), date(2020, 11, 5))
    at = s.index("بردة".replace("ة", "ه"))
    assert event_date(mentions, at, date(2020, 11, 5)) == ("2020-10-28", "explicit")


def test_no_date_word_gives_publication_date_and_unknown_without_one():
    assert event_date([], 10, date(2020, 10, 9)) == ("2020-10-09", "published")
    assert event_date([], 10, None) == ("", "unknown")


def test_last_weekday_on_that_weekday_is_a_week_before():
    assert dates_in("وقصفت القوات مدينة ترتر الخميس الماضي", date(2020, 10, 8)) == [("weekday", "2020-10-01")]
    assert dates_in("وقصفت القوات مدينة ترتر الثلاثاء الماضي", date(2020, 10, 8)) == [("weekday", "2020-10-06")]
