"""Tables of the scheduling app's plans."""

from __future__ import annotations
