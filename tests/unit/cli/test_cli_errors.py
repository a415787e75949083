"""One place turns a ``KbError`` into a message and exit code: :class:`kb.cli.common.KbGroup`."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kb.cli.common import CommandError, KbGroup
from kb.errors import KbError

runner = CliRunner()


class OddError(KbError):
    """A user-facing error the CLI has never heard of."""


def _app() -> typer.Typer:
    app = typer.Typer(cls=KbGroup)

    @app.command()
    def kb_fout(name: str) -> None:
        raise OddError(f"{name}: not usable")

    @app.command()
    def nee() -> None:
        raise CommandError("no such thing", 1)

    @app.command()
    def bug() -> None:
        raise ValueError("a bug")

    return app


def test_any_kb_error_is_one_message_and_exit_2() -> None:
    result = runner.invoke(_app(), ["kb-fout", "plan.docx"])
    assert result.exit_code == 2
    assert "error: plan.docx: not usable" in result.output
    assert "Traceback" not in result.output


def test_an_error_keeps_its_own_exit_code() -> None:
    result = runner.invoke(_app(), ["nee"])
    assert result.exit_code == 1 and "no such thing" in result.output


def test_a_bug_is_not_hidden() -> None:
    result = runner.invoke(_app(), ["bug"])
    assert result.exit_code != 0 and isinstance(result.exception, ValueError)


def test_every_error_class_derives_from_kb_error() -> None:
    """Each exception class defined in kb and generator is a KbError (read from the source)."""
    import ast

    root = Path(__file__).resolve().parents[3]
    offenders = []
    for path in [*root.glob("kb/**/*.py"), *root.glob("generator/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            if bases & {"Exception", "RuntimeError", "ValueError"} and node.name != "KbError":
                offenders.append(f"{path.relative_to(root)}: {node.name}")
    assert not offenders


@pytest.mark.parametrize("args", [["stats"], ["sparql", "ASK {}"], ["validate"], ["show", "x"]])
def test_kb_commands_without_a_build_exit_2(tmp_path: Path, args: list[str]) -> None:
    from kb.cli.main import app

    result = runner.invoke(app, [*args, "-b", str(tmp_path / "leeg")])
    assert result.exit_code == 2, result.output
    assert "kb build" in result.output and "Traceback" not in result.output
