"""``loom schedule …``: production scheduling from the command line."""

from __future__ import annotations

import typer

cli = typer.Typer(help="Production scheduling.", no_args_is_help=True)
