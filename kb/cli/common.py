"""What every ``kb`` command shares: the ``--build-dir`` option, error exit, settings loading.

Kept free of heavy imports: every command module imports it, and ``kb --help`` must stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from kb.settings import Settings

BuildDir = Annotated[
    Path | None,
    typer.Option("--build-dir", "-b", help="Build folder (default: setting build_dir, 'build')."),
]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code`` (2: usage or input error)."""
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def settings_or_fail(build_dir: Path | None) -> Settings:
    """The settings (file, environment, ``--build-dir``); invalid ones end the command."""
    from pydantic import ValidationError

    from kb.settings import load_settings

    try:
        return load_settings(build_dir=build_dir)
    except (ValidationError, ValueError) as exc:
        fail(f"invalid settings: {exc}")
