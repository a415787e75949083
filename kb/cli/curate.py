"""``kb curate``: curation by a data steward (a thin shell over :mod:`kb.curate`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kb.cli.common import BuildDir
from kb.cli.common import fail as _fail
from kb.cli.common import settings_or_fail as _settings

curate_app = typer.Typer(
    help="Curation by a data steward: review the facts read from prose.",
    no_args_is_help=True,
)


@curate_app.command("suggest")
def suggest_cmd(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="YAML file to write (default: voorstellen.yaml in the curated folder, setting "
            "curated_dir; by default 'curated/' next to the build's first source folder).",
        ),
    ] = None,
    build_dir: BuildDir = None,
) -> None:
    """Write the proposed facts of the current build as YAML for review (accept / reject);
    decisions already in the file are kept. The next 'kb build' applies them."""
    from rich.console import Console

    from kb.build.pipeline import MANIFEST_FILE
    from kb.curate import PROPOSALS_FILE, suggest
    from kb.rdf.store import load_graph

    settings = _settings(build_dir)
    release = settings.current_dir
    if not (release / "graph.nt").is_file():
        _fail(f"{release}: no current build; run 'kb build' first")
    if out is None:
        # The curated folder of the sources this build was made from.
        manifest = release / MANIFEST_FILE
        sources = None
        if manifest.is_file():
            sources = [Path(p) for p in json.loads(manifest.read_text("utf-8")).get("sources", [])]
        out = settings.curated_folder(sources or None) / PROPOSALS_FILE
    result = suggest(load_graph(release), out)
    console = Console(stderr=True)
    for problem in result.problems:
        console.print(f"warning: {problem}", highlight=False)
    Console().print(
        f"{result.added} nieuwe voorstellen, {result.undecided} open, "
        f"{result.kept} beslissingen bewaard → {result.path}",
        highlight=False,
    )
