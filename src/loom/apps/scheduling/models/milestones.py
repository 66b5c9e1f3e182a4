"""Tables of the scheduling app's milestones."""

from __future__ import annotations
