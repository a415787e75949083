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

    from kb.serve.limits import file_limit_cap, limit_logging, protocol_class

    console.print(f"Kennisbank op http://{host}:{port}/  (API-documentatie: /docs)")
    config = uvicorn.Config(
        server_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        # A request line or header beyond this is refused by uvicorn itself (431/400).
        h11_max_incomplete_event_size=64 * 1024,
        # Slow or too many clients: see kb.serve.limits and docs/server.md.
        http=protocol_class(
            header_timeout=settings.serve_header_timeout,
            body_timeout=settings.serve_body_timeout,
            max_connections=settings.serve_max_connections,
            max_per_client=settings.serve_max_connections_per_client,
        ),
        # Requests beyond this many at once are answered 503 by uvicorn (slow ones included).
        limit_concurrency=file_limit_cap(settings.serve_max_connections) + 16,
        timeout_keep_alive=5,
    )
    limit_logging()  # after uvicorn configured its loggers
    uvicorn.Server(config).run()
