"""``loom balance …``: line balancing from the command line."""

from __future__ import annotations

import typer

cli = typer.Typer(help="Sewing line balancing.", no_args_is_help=True)
