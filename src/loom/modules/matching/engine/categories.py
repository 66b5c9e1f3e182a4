"""Default SAM per garment category, for a posted order that gives none.

The figures are the middle of the SAM ranges Loom's scheduling benchmarks use for each
category (``loom.apps.scheduling.solver.aps.instances``): shirts 12–25, trousers 15–30,
jackets 35–60, knit tops 8–15, dresses 20–45 minutes per piece. Chinese names map to the same.
"""

from __future__ import annotations

DEFAULT_SAM: dict[str, float] = {
    "shirts": 18.5,
    "trousers": 22.5,
    "jackets": 47.5,
    "knit tops": 11.5,
    "dresses": 32.5,
}
SYNONYMS: dict[str, str] = {
    "shirt": "shirts",
    "衬衫": "shirts",
    "trouser": "trousers",
    "裤子": "trousers",
    "jacket": "jackets",
    "夹克": "jackets",
    "knit top": "knit tops",
    "针织上衣": "knit tops",
    "dress": "dresses",
    "连衣裙": "dresses",
}


def default_sam(category: str) -> float | None:
    """Return the documented default SAM of ``category``, or None when it has none."""
    key = category.strip().lower()
    return DEFAULT_SAM.get(SYNONYMS.get(key, key))


def same_category(a: str, b: str) -> bool:
    """Return whether two category labels name the same category (case and spaces aside)."""
    return a.strip().casefold() == b.strip().casefold()
