"""The ``kb`` command: a thin shell over the library.

Each command parses its options and calls one library function. Heavy imports (rdflib, pyshacl,
torch) happen inside the commands, so ``kb --help`` stays instant. A ``KbError`` raised by any
command is reported in one place (:class:`kb.cli.common.KbGroup`): one message, exit code 2.

The CLI is where ``kb`` meets ``generator``: :func:`build_products` hands the build the products
of :mod:`kb.index` and :mod:`generator`, and ``kb serve`` hands the server the chapter writer.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kb.cli.common import BuildDir, CommandError, KbGroup
from kb.cli.common import fail as _fail
from kb.cli.common import settings_or_fail as _settings

if TYPE_CHECKING:
    from kb.build.products import Product

app = typer.Typer(
    name="kb",
    help="Knowledge base for youth-care purchasing (jeugdhulp inkoop): build the RDF graph, "
    "validate it, query it and look up entities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=KbGroup,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def build_products(
    names: Sequence[str] | None = None, *, skip: Sequence[str] = ()
) -> list[Product]:
    """The products a build makes: all of them or those in ``names``, minus ``skip``.

    Raises :class:`kb.cli.common.CommandError` naming an unknown product.
    """
    from generator.docx.documents import DocumentsProduct
    from generator.site.build import SiteProduct
    from kb.build.products import IndexProduct

    known: list[Product] = [IndexProduct(), DocumentsProduct(), SiteProduct()]
    names_known = [p.name for p in known]
    for option, given in (("products", names or ()), ("--skip", skip)):
        unknown = sorted(set(given) - set(names_known))
        if unknown:
            raise CommandError(
                f"{option}: unknown product {', '.join(unknown)} (known: {', '.join(names_known)})"
            )
    wanted = set(names_known if names is None else names) - set(skip)
    return [p for p in known if p.name in wanted]


def _load(build_dir: Path | None):  # type: ignore[no-untyped-def]
    """The graph to read: the SPARQL server's current release if one is set, else the build."""
    from kb.rdf.store import read_graph

    return read_graph(_settings(build_dir))


@app.command()
def build(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Folders or files to ingest (default: the bundled corpus)."),
    ] = None,
    build_dir: BuildDir = None,
    allow_invalid: Annotated[
        bool, typer.Option(help="Publish the build even if SHACL validation fails.")
    ] = False,
    validate: Annotated[bool, typer.Option(help="Validate the graph with SHACL.")] = True,
    skip: Annotated[
        list[str] | None,
        typer.Option(help="Do not build this product: index, site or documents (repeatable)."),
    ] = None,
    graph_only: Annotated[
        bool, typer.Option(help="Build the graph only (no search index, site or documents).")
    ] = False,
    wait: Annotated[
        bool,
        typer.Option(help="If another build runs on this build folder, wait for it to finish."),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Redo every step for every document (ignore the build folder's cache)."
        ),
    ] = False,
) -> None:
    """Ingest the documents, extract the facts, validate; build index, site and documents."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from kb.build.pipeline import build as run_build

    console = Console(stderr=True)
    settings = _settings(build_dir)
    # Only when products are built: the generator's imports take a while.
    products = [] if graph_only else build_products(skip=skip or ())
    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        _fail("no such file or folder: " + ", ".join(str(p) for p in missing))
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("bouwen", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        result = run_build(
            paths or None,
            settings,
            progress=progress,
            allow_invalid=allow_invalid,
            do_validate=validate,
            products=products,
            wait=wait,
            full=full,
        )

    table = Table(title="Build", show_header=True)
    table.add_column("document")
    table.add_column("passages", justify="right")
    for doc in result.documents:
        table.add_row(doc.path.name, str(len(doc.passages)))
    console.print(table)
    for problem in result.problems:
        console.print(f"[yellow]skipped[/] {problem}", highlight=False)
    for warning in result.warnings:
        console.print(f"[yellow]warning[/] {warning}", highlight=False)
    console.print(
        f"{len(result.documents)} documents, {result.triples} triples, "
        f"{result.timings['total']:.1f} s → {result.release_dir}"
    )
    if result.validation is not None:
        if result.validation.conforms:
            warned = len(result.validation.warnings)
            console.print(f"[green]SHACL: conforms[/] ({warned} warnings)")
        if result.validation.results:
            console.print(result.validation.report_text(), highlight=False)
    for name, reason in result.product_errors:
        console.print(f"[red]{name} failed[/] {reason}", highlight=False)
    if not result.documents:
        _fail("no documents could be read; the previous build stays current", 1)
    if result.product_errors:
        _fail(
            "the build is incomplete; the previous build stays current "
            f"(this one is in {result.release_dir})",
            1,
        )
    if not result.published:
        _fail(
            "the graph does not conform; the previous build stays current "
            f"(this one is in {result.release_dir}; --allow-invalid publishes it anyway)",
            1,
        )


@app.command("validate")
def validate_cmd(build_dir: BuildDir = None) -> None:
    """Validate the current graph with the SHACL shapes.

    Exit 0 when it conforms (warnings of completeness rules are printed), 1 when a rule is
    violated, 2 on an error.
    """
    from kb.build.validate import validate as run_validate
    from kb.rdf.store import load_graph

    settings = _settings(build_dir)
    # Always the local build: SHACL walks every triple, which a remote store answers one
    # request at a time (a published release was validated when it was built).
    result = run_validate(load_graph(settings.current_dir), ontology_dir=settings.ontology_dir)
    if result.conforms:
        typer.echo(f"conforms ({len(result.warnings)} warnings)")
        if result.warnings:
            typer.echo(result.report_text())
        return
    typer.echo(result.report_text())
    raise typer.Exit(1)


@app.command()
def sparql(
    query_text: Annotated[
        str, typer.Argument(metavar="QUERY", help="SPARQL query, @FILE to read one, - for stdin.")
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    build_dir: BuildDir = None,
) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE); prefixes predeclared."""
    from kb.cli.output import render
    from kb.rdf.store import query

    if query_text == "-":
        query_text = sys.stdin.read()
    elif query_text.startswith("@"):
        path = Path(query_text[1:])
        try:
            query_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"{path}: cannot read query file: {exc}")
    render(query(_load(build_dir), query_text), fmt.value)


@app.command()
def show(
    entity: Annotated[str, typer.Argument(help="IRI, prefixed name (kbi:…) or label.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
    build_dir: BuildDir = None,
) -> None:
    """Show an entity card: types, properties, links and source passages."""
    from kb.cli.output import print_card
    from kb.rdf.store import StoreError
    from kb.views.entities import entity_card
    from kb.views.lookup import resolve_entity

    graph = _load(build_dir)
    try:
        iri = resolve_entity(graph, entity)
    except StoreError as exc:
        # Exit 1, not 2: the command ran, and the answer is "no such entity" (or several).
        _fail(str(exc), 1)
    print_card(entity_card(graph, iri), as_json=as_json)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    build_dir: BuildDir = None,
) -> None:
    """Instances per class in the current graph."""
    import json

    from rich.console import Console
    from rich.table import Table

    from kb.views.entities import class_counts

    counts = class_counts(_load(build_dir))
    if as_json:
        typer.echo(json.dumps([{"class": c, "label": lab, "count": n} for c, lab, n in counts]))
        return
    table = Table(show_header=True)
    table.add_column("class")
    table.add_column("label (nl)")
    table.add_column("instances", justify="right")
    for c, lab, n in counts:
        table.add_row(c, lab, str(n))
    Console().print(table)


# Commands of the search layer live in their own module (same lazy-import rule).
from kb.cli.search import eval_cmd, index_cmd, search_cmd  # noqa: E402

app.command("search")(search_cmd)
app.command("eval")(eval_cmd)
app.command("index")(index_cmd)

# Word documents (rdflib, python-docx and matplotlib are imported inside the commands).
from kb.cli.generate import generate_app  # noqa: E402

app.add_typer(generate_app, name="generate")

# Curation by a data steward (kb.curate is imported inside the command).
from kb.cli.curate import curate_app  # noqa: E402

app.add_typer(curate_app, name="curate")

# The documentation site (generator.site.build and mkdocs are imported inside the command).
from kb.cli.site import site_cmd  # noqa: E402

app.command("site")(site_cmd)

# Publishing a build to a SPARQL server (kb.rdf.remote is imported inside the command).
from kb.cli.publish import publish_cmd  # noqa: E402

app.command("publish")(publish_cmd)

# The HTTP service (fastapi/uvicorn are imported inside the command).
from kb.cli.serve import serve_cmd  # noqa: E402

app.command("serve")(serve_cmd)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
