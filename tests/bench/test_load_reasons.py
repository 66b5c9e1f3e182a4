"""The load runner tallies why page views failed, not only how many."""

from __future__ import annotations

from bench.load_result import error_reasons, page_stats, windows


def test_failures_are_tallied_by_page_and_reason_most_frequent_first() -> None:
    samples = [
        ("/a", 10.0, True, ""),
        ("/a", 20.0, False, "HTTPError('503 Server Error')"),
        ("/b", 30.0, False, "HTTPError('503 Server Error')"),
        ("/a", 40.0, False, "HTTPError('503 Server Error')"),
        ("/b", 50.0, False, "ReadTimeout()"),
    ]
    assert error_reasons(samples) == {
        "/a: HTTPError('503 Server Error')": 2,
        "/b: HTTPError('503 Server Error')": 1,
        "/b: ReadTimeout()": 1,
    }
    stats = page_stats(samples)
    assert (stats["/a"].count, stats["/a"].errors, stats["/b"].errors) == (3, 2, 2)


def test_older_three_field_samples_still_count_with_an_unknown_reason() -> None:
    assert error_reasons([("/a", 1.0, False), ("/a", 2.0, True)]) == {"/a: ?": 1}


def test_views_are_grouped_in_twenty_second_stretches_without_the_logins() -> None:
    # at 1000.0 s: three views (10, 20, 30 ms) in the first stretch [0, 20); one login, left out;
    # at +25 s and +39.9 s: two views (100, 300 ms) in the second stretch [20, 40)
    samples = [
        ("/a", 10.0, True, "", 1000.0),
        ("/b", 30.0, True, "", 1005.0),
        ("/a", 20.0, True, "", 1019.9),
        ("POST /login", 900.0, True, "", 1010.0),
        ("/a", 100.0, True, "", 1025.0),
        ("/b", 300.0, True, "", 1039.9),
        ("/c", 5.0, True, ""),  # an older sample without a time
    ]
    # inclusive interpolation: p50 of (10, 20, 30) = 20; p95 = 20 + 0.9 * 10 = 29;
    # p50 of (100, 300) = 200; p95 = 100 + 0.95 * 200 = 290
    assert windows(samples) == [(0, 3, 20.0, 29.0), (20, 2, 200.0, 290.0)]
    assert windows([("/c", 5.0, True, "")]) == []
