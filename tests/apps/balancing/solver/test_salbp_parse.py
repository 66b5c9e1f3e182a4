"""Reading Scholl .IN2 and Otto .alb files, and naming the line of a malformed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from loom.apps.balancing.solver.salbp import ParseError, read
from loom.apps.balancing.solver.salbp.parse import parse_alb, parse_in2
from tests.apps.balancing.solver.salbp_data import BOWMAN8, MERTENS

ALB = """<number of tasks>
5

<cycle time>
10

<order strength>
0,5

<task times>
1 4
2 3
3 6
4 2
5 5

<precedence relations>
1,2
1,3
2,4
3,5
4,5

<end>
"""


def test_in2_reads_times_and_pairs_up_to_the_end_mark() -> None:
    instance = parse_in2(MERTENS, "MERTENS")
    # MERTENS: 7 tasks with times 1 5 4 3 5 6 5 and six arcs (the file's lines 9-14).
    assert instance.times == (1, 5, 4, 3, 5, 6, 5)
    assert instance.precedences == ((1, 2), (1, 4), (2, 3), (2, 5), (4, 7), (5, 6))
    assert instance.name == "MERTENS"


def test_in2_ignores_notes_and_a_dos_end_byte_after_the_end_mark(tmp_path: Path) -> None:
    # Notes in Latin-1 (0xF6 is "ö"), a pair-like line that is no arc, then the DOS EOF byte.
    tail = "\r\n(* Doppelte Verbindung gel\xf6scht *)\r\n43,91\r\n\x1a"
    path = tmp_path / "NOTES.IN2"
    path.write_bytes((BOWMAN8 + tail).encode("latin-1"))
    parsed = read(path)
    assert parsed.cycle_time is None
    assert parsed.instance.n == 8
    assert len(parsed.instance.precedences) == 8  # BOWMAN8's eight arcs, not the 43,91 note
    assert parsed.instance.name == "NOTES"


def test_alb_reads_sections_and_its_cycle_time(tmp_path: Path) -> None:
    path = tmp_path / "small.alb"
    path.write_text(ALB, encoding="latin-1")
    parsed = read(path)
    assert parsed.cycle_time == 10
    assert parsed.instance.times == (4, 3, 6, 2, 5)
    assert parsed.instance.precedences == ((1, 2), (1, 3), (2, 4), (3, 5), (4, 5))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3\n4\nx\n1\n-1,-1\n", "line 3: expected the time of task 2, found 'x'"),
        ("3\n4\n5\n1\n1,2\n2;3\n-1,-1\n", "line 6: expected a precedence pair"),
        ("3\n4\n5\n1\n1,2\n", "without the '-1,-1' end mark"),
        ("3\n4\n5\n", "ends after 2 of 3 task times"),
        ("3\n4\n5\n1\n1,4\n-1,-1\n", "precedence 1,4 names a task outside 1..3"),
        ("3\n4\n5\n1\n1,2\n2,1\n-1,-1\n", "cycle"),
        ("", "empty"),
    ],
)
def test_in2_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_in2(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ALB.replace("<end>\n", ""), "without the <end> tag"),
        (ALB.replace("3 6\n", "3 six\n"), "line 13: expected the time of task 3"),
        (ALB.replace("3 6\n", ""), r"lacks tasks \[3\]"),
        (ALB.replace("5 5\n", "6 5\n"), "line 15: task 6 is outside 1..5"),
        ("5\n<end>\n", "line 1: expected a section tag"),
    ],
)
def test_alb_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_alb(text)


def test_reading_a_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read the file"):
        read(tmp_path / "absent.IN2")
