"""``kb publish``: load a build into a SPARQL server and make it the current release there."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kb.cli.common import BuildDir
from kb.cli.common import fail as _fail
from kb.cli.common import settings_or_fail as _settings


def publish_cmd(
    release: Annotated[
        str,
        typer.Argument(help="Release to publish: 'current' or a folder name under releases/."),
    ] = "current",
    build_dir: BuildDir = None,
) -> None:
    """Upload a release's graph to the SPARQL server (settings sparql_graph_store,
    sparql_update_endpoint, sparql_endpoint) as its own named graph and switch the server's
    current release to it in one update; older releases beyond keep_releases are dropped."""
    from kb.rdf.remote import endpoint_of, publish_release

    settings = _settings(build_dir)
    endpoint = endpoint_of(settings)
    if endpoint is None:
        _fail("sparql_endpoint is not set: 'kb publish' needs a SPARQL server (see docs/schaal.md)")
    folder: Path = (
        settings.current_dir if release == "current" else settings.build_dir / "releases" / release
    )
    if not folder.exists():
        _fail(f"{folder}: no such release; run 'kb build' first")
    result = publish_release(folder, endpoint, keep_releases=settings.keep_releases)
    typer.echo(
        f"published {result.release_id}: {result.triples} triples in <{result.graph_iri}>, "
        f"current now (was {result.previous or 'none'}); {len(result.dropped)} old release(s) "
        f"dropped; {result.seconds:.1f} s"
    )
