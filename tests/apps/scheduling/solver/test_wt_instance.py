"""Reading OR-Library weighted tardiness (``wt``) files."""

from __future__ import annotations

from pathlib import Path

import pytest

from loom.apps.scheduling.solver.wt import Job, WtFormatError, parse_wt, read_instance
from loom.apps.scheduling.solver.wt.instance import jobs_in_name

WT40 = Path(__file__).parents[3] / "data" / "wt40.txt"

# Two instances of 2 jobs, wrapped over lines the way OR-Library wraps them (no alignment with
# instance boundaries): p = (3, 5), w = (1, 2), d = (4, 9), then p = (7, 1), w = (4, 4), d = (0, 2).
TWO_BY_TWO = "  3 5 1\n 2 4 9 7\n1 4 4\n0 2\n"


def test_parse_splits_processing_weights_and_dues() -> None:
    assert parse_wt(TWO_BY_TWO, 2) == [
        [Job(3, 1, 4), Job(5, 2, 9)],
        [Job(7, 4, 0), Job(1, 4, 2)],
    ]


def test_read_instance_is_one_based(tmp_path: Path) -> None:
    path = tmp_path / "wt2.txt"
    path.write_text(TWO_BY_TWO)
    assert read_instance(path, 1) == [Job(3, 1, 4), Job(5, 2, 9)]
    assert read_instance(path, 2) == [Job(7, 4, 0), Job(1, 4, 2)]


@pytest.mark.parametrize("instance", [0, 3, -1])
def test_instance_out_of_range_is_named(tmp_path: Path, instance: int) -> None:
    path = tmp_path / "wt2.txt"
    path.write_text(TWO_BY_TWO)
    with pytest.raises(WtFormatError, match=f"instance {instance} is out of range.*1 to 2"):
        read_instance(path, instance)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3 5 1 2 4 x", r"line 1: 'x' is not an integer"),
        ("3 5 1 2\n4 9.5", r"line 2: '9.5' is not an integer"),
        ("3 5 1 2 4 -9", r"line 1: -9 is negative"),
        ("3 5 1 2 4 9 7", r"7 numbers is not a whole number of instances of 2 jobs"),
        ("  \n\n", "holds no numbers"),
    ],
)
def test_malformed_text_is_rejected_with_its_place(text: str, message: str) -> None:
    with pytest.raises(WtFormatError, match=message):
        parse_wt(text, 2)


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "wt2.txt"
    path.write_bytes(b"3 5 \xff\xfe 1 2")
    with pytest.raises(WtFormatError, match="not a text file"):
        read_instance(path, 1)


def test_job_count_comes_from_the_name_or_the_caller(tmp_path: Path) -> None:
    assert jobs_in_name(Path("wt40.txt")) == 40
    assert jobs_in_name(Path("/data/WT100.TXT")) == 100
    assert jobs_in_name(Path("weights.txt")) is None
    assert jobs_in_name(Path("wt.txt")) is None
    path = tmp_path / "tardiness.txt"
    path.write_text(TWO_BY_TWO)
    with pytest.raises(WtFormatError, match="number of jobs"):
        read_instance(path, 1)
    assert read_instance(path, 2, jobs_per_instance=2)[0] == Job(7, 4, 0)


def test_reads_the_or_library_wt40_file() -> None:
    first = read_instance(WT40, 1)
    last = read_instance(WT40, 125)
    assert len(first) == len(last) == 40
    # Read off wt40.txt: instance 1 occupies lines 1-6 (two lines each for p, w, d), so job 1
    # is (line 1 col 1, line 3 col 1, line 5 col 1) and job 40 is the last column of lines
    # 2, 4 and 6; instance 125 occupies lines 745-750.
    assert first[0] == Job(processing=100, weight=3, due=197)
    assert first[39] == Job(processing=87, weight=3, due=281)
    assert last[0] == Job(processing=26, weight=7, due=506)
    assert last[39].weight == 5
    assert last[39].due == 0
