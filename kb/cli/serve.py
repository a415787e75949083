"""The ``kb serve`` command: the site, search and API over HTTP (FastAPI + uvicorn).

Wired into :mod:`kb.cli.main` with ``app.command("serve")(serve_cmd)``. fastapi, uvicorn and rdflib
are imported inside the command, so ``kb --help`` stays instant. :func:`server_app` is where the
server gets the generator's chapter writer and site addresses: ``kb.serve`` itself never imports
``generator``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.common import BuildDir, settings_or_fail

if TYPE_CHECKING:
    from fastapi import FastAPI


def server_app(settings: Any) -> FastAPI:
    """The app of ``kb serve``: :func:`kb.serve.app.create_app` with the generator's Word chapter
    writer and the site's page addresses."""
    import generator.site.links
    from generator.docx.chapter import write_chapter
    from kb.serve.app import create_app

    return create_app(settings, chapter_writer=write_chapter, site_addresses=generator.site.links)


def serve_cmd(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    build_dir: BuildDir = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the built site, the search page and the API (OpenAPI docs at /docs)."""
    from rich.console import Console

    settings = settings_or_fail(build_dir)
    console = Console(stderr=True)
    if not (settings.build_dir / "current").exists():
        console.print(
            f"[yellow]warning:[/] {settings.build_dir}: no build yet; the server answers 503 "
            "until 'kb build' publishes one",
            highlight=False,
        )

    import uvicorn

    console.print(f"Kennisbank op http://{host}:{port}/  (API-documentatie: /docs)")
    uvicorn.run(
        server_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        # A request line or header beyond this is refused by uvicorn itself (431/400).
        h11_max_incomplete_event_size=64 * 1024,
    )
