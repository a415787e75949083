"""What every ``kb`` command shares: the ``--build-dir`` option, error handling, settings loading.

Errors are handled in one place: :class:`KbGroup`, the command group of the ``kb`` app, turns
every :class:`kb.errors.KbError` a command raises into ``error: message`` on stderr and the
error's ``exit_code`` (2). Anything else is a bug and keeps its traceback.

Kept free of heavy imports: every command module imports it, and ``kb --help`` must stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from kb.errors import KbError

if TYPE_CHECKING:
    from kb.settings import Settings

BuildDir = Annotated[
    Path | None,
    typer.Option("--build-dir", "-b", help="Build folder (default: setting build_dir, 'build')."),
]

#: Exit code of a usage or input error (a ``KbError``); 1 is "done, but the answer is no".
ERROR_EXIT = KbError.exit_code


class CommandError(KbError):
    """An error found by a command itself (a bad option, a missing file), with its exit code."""

    def __init__(self, message: str, exit_code: int = ERROR_EXIT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def print_error(message: str) -> None:
    """``error: message`` on stderr, the one format of every error the CLI reports."""
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)


class KbGroup(TyperGroup):
    """The ``kb`` command group: the one place where a ``KbError`` becomes a message and exit."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        """Run the command; a ``KbError`` is printed and ends it with its exit code."""
        try:
            return super().invoke(ctx)
        except KbError as exc:
            print_error(str(exc))
            raise typer.Exit(exc.exit_code) from None


def fail(message: str, code: int = ERROR_EXIT) -> NoReturn:
    """End the command with ``error: message`` and exit ``code`` (2: usage or input error)."""
    raise CommandError(message, code)


def settings_or_fail(build_dir: Path | None) -> Settings:
    """The settings (file, environment, ``--build-dir``); invalid ones end the command."""
    from pydantic import ValidationError

    from kb.settings import load_settings

    try:
        return load_settings(build_dir=build_dir)
    except (ValidationError, ValueError) as exc:
        fail(f"invalid settings: {exc}")
