"""All catalogues are merged into one table: a msgid must mean one thing in every one of them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po

import loom.kernel.web
from loom.kernel.plugins.loader import discover

KERNEL = Path(loom.kernel.web.__file__).parent / "translations"


def test_no_msgid_is_translated_two_ways() -> None:
    directories = [KERNEL] + [s.translations_dir for s in discover() if s.translations_dir]
    seen: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for directory in directories:
        for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
            locale = po.parent.parent.name
            with po.open("rb") as handle:
                for message in read_po(handle, locale=locale):
                    if isinstance(message.id, str) and message.id and message.string:
                        where = f"{po.relative_to(directory.parent.parent)}"
                        seen[(locale, message.id)][str(message.string)].append(where)
    clashes = {key: dict(found) for key, found in seen.items() if len(found) > 1}
    assert clashes == {}, f"msgids translated differently by two catalogues: {clashes}"
