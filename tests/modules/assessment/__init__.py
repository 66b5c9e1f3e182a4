"""Tests of the assessment engine, rule sets and CLI; shared questionnaire builders live here.

Point values quoted in the tests' comments come from the 2024 manufacturing table
(shared/domain/assessment-2024-manufacturing.json, shipped as 2024-manufacturing.v1).
"""

from __future__ import annotations

import copy
from typing import Any

CONSTRAINED = ("S01", "S03", "S06", "S07", "S08", "S09", "S10", "S11", "S12", "S13")
GUIDING = ("S02", "S04", "S05", "S14", "S15", "S16")
ALL_SCENES = tuple(f"S{n:02d}" for n in range(1, 17))


def zero_questionnaire() -> dict[str, Any]:
    """Return a valid questionnaire worth 0 points with every scene at 0 (level 0)."""
    return {
        "standard": "2024-manufacturing",
        "answers": {
            "B1": ["A"],  # 无 = 0
            "B2": {"production_devices": 100, "digital_devices": 0},  # 0% in [0-10%] = 0
            "B3": {"networked_devices": 0},  # 0% of B2's 100 devices = 0
            "B4": ["A"],
            "B5": "A",
            "B6": ["A"],
            "B7": ["A"],
            "M1": "A",
            "M2": ["A"],
            "M3": ["A"],
            "M4": {"digital_investment": 0, "revenue": 1000},  # 0% = 0
            "R1": "A",  # 增加 (energy up) = 0
            "R2": "A",  # 降低 (pass rate down) = 0
            "R3": "A",
            "R4": "A",
        },
        "scenes": dict.fromkeys(ALL_SCENES, 0),
    }


def full_marks() -> dict[str, Any]:
    """Return a questionnaire worth the full 100 points with every scene at level 4."""
    q = zero_questionnaire()
    a = q["answers"]
    a["B1"] = ["B", "C", "D", "E"]  # 4 x 2 = 8
    a["B2"] = {"production_devices": 100, "digital_devices": 100}  # 100% in (60%,100%] = 6
    a["B3"] = {"networked_devices": 100}  # = 6
    a["B4"] = list("BCDEFGHIJKLMNO")  # 13 x 0.7 + 0.9 = 10
    a["B5"] = "E"  # 10
    a["B6"] = ["B", "C", "D", "E"]  # 4 x 1.25 = 5
    a["B7"] = ["B", "C", "D", "E"]  # 5
    a["M1"] = "F"  # 7.5
    a["M2"] = ["B", "C", "D", "E"]  # 4 x 1.875 = 7.5
    a["M3"] = ["B", "C", "D", "E", "F"]  # 5 x 1.5 = 7.5
    a["M4"] = {"digital_investment": 700, "revenue": 1000}  # 70% in (60%,100%] = 7.5
    a["R1"] = "C"  # 降低 = 7
    a["R2"] = "C"  # 增加 = 7
    a["R3"] = "C"  # 3
    a["R4"] = "C"  # 3
    q["scenes"] = dict.fromkeys(ALL_SCENES, 4)
    return q


def with_answers(base: dict[str, Any], **answers: Any) -> dict[str, Any]:
    """Return a deep copy of ``base`` with some answers replaced."""
    q = copy.deepcopy(base)
    q["answers"].update(answers)
    return q


def with_scenes(base: dict[str, Any], **scenes: Any) -> dict[str, Any]:
    """Return a deep copy of ``base`` with some scene levels replaced."""
    q = copy.deepcopy(base)
    q["scenes"].update(scenes)
    return q
