"""Mark English msgids in Python code; pages translate them when they render."""

from __future__ import annotations


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call only marks it for the catalogue check."""
    return text


# Enum values reach templates as ``_(value)``; naming them here keeps them in the catalogues.
ENUM_MSGIDS = (
    msgid("embroidery"),
    msgid("printing"),
    msgid("washing"),
    msgid("other"),
    msgid("open"),
    msgid("closed"),
)
