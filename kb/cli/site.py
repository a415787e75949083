"""``kb site``: rebuild the documentation site of the current build (imports stay lazy)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kb.cli.common import BuildDir
from kb.cli.common import fail as _fail
from kb.cli.common import settings_or_fail as _settings


def site_cmd(
    build_dir: BuildDir = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
) -> None:
    """Rebuild the site of the current build in place (sources in <release>/site-src, the site
    in <release>/site; both made aside, then swapped in)."""
    from rich.console import Console

    from generator.site.build import build_site

    settings = _settings(build_dir)
    release: Path = settings.current_dir
    if not (release / "graph.nt").is_file():
        _fail(f"{release}: no current build; run 'kb build' first")
    from kb.rdf.remote import endpoint_of
    from kb.rdf.store import read_graph

    # With a SPARQL server set, the pages come from its current release (the local release
    # folder still holds the Word documents the site links to, and receives the site).
    graph = read_graph(settings) if endpoint_of(settings) else None
    result = build_site(release.resolve(), settings, graph=graph)
    if not quiet:
        pages = sum(result.pages.values())
        Console().print(
            f"{pages} pagina's gegenereerd in {result.timings['generate']:.1f} s, "
            f"mkdocs build in {result.timings['mkdocs']:.1f} s → {result.site_dir}/index.html",
            highlight=False,
        )
