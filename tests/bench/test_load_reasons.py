"""The load runner tallies why page views failed, not only how many."""

from __future__ import annotations

from bench.load_result import error_reasons, page_stats


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
