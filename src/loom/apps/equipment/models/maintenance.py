"""Tables of the equipment app's maintenance."""

from __future__ import annotations
