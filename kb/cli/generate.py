"""``kb generate``: Word documents from the current build (chapter, plan, raadsvoorstel).

Each command parses its options and calls one library function. rdflib, python-docx and
matplotlib are imported inside the commands, so ``kb --help`` stays instant. Bad input (an
unknown plan or segment, a template without the required styles, no build) raises a ``KbError``,
which :class:`kb.cli.common.KbGroup` reports as one message with exit code 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from kb.cli.common import BuildDir, settings_or_fail
from kb.cli.common import fail as _fail

generate_app = typer.Typer(
    help="Generate Word documents (purchasing-plan chapters, the whole plan, raadsvoorstel "
    "drafts) from the knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Output = Annotated[
    Path, typer.Option("--output", "-o", help="Word file to write (.docx).", dir_okay=False)
]
Plan = Annotated[
    str | None,
    typer.Option(
        "--plan",
        help="Plan by title or document id (default: setting default_plan, else the newest "
        "purchasing plan in the build).",
    ),
]
Template = Annotated[
    Path | None,
    typer.Option("--template", help="House-style template (.docx) with the required styles."),
]
Gemeente = Annotated[
    str | None,
    typer.Option(
        "--gemeente",
        help="A municipality of the plan's region: its budget lines, totals and share beside "
        "the region's figures, and its council's name in the raadsbesluit.",
    ),
]
FixedTime = Annotated[
    str | None,
    typer.Option(
        "--fixed-time",
        help="Timestamp for the document properties (ISO, e.g. 2026-01-01T00:00:00), "
        "so the same graph gives the same file.",
    ),
]
Pdf = Annotated[
    bool,
    typer.Option(
        "--pdf",
        help="Also write a PDF beside the .docx (same name, .pdf) through LibreOffice "
        "(soffice), with the table of contents and page numbers updated.",
    ),
]


def _time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        _fail(f"--fixed-time: not an ISO date or time: {value!r}")
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _run(
    build_dir: Path | None, write: Any, output: Path, *, pdf: bool = False, **kwargs: Any
) -> None:
    """Load settings and graph and call the writer (its ``KbError``s reach the one handler);
    with ``pdf`` also convert the result to PDF."""
    from generator.docx.base import check_output, open_template
    from kb.rdf.store import read_graph

    # Check the output path first: a typo in a folder name must not cost a whole generation.
    check_output(output)
    settings = settings_or_fail(build_dir)
    # Check the template before loading the graph: a wrong template is the quickest to fix.
    open_template(kwargs.get("template"))
    if pdf:  # no LibreOffice: say so before generating
        from generator.docx.pdf import find_soffice

        find_soffice()
    graph = read_graph(settings)  # the local build, or the SPARQL server's current release
    try:
        path = write(graph, output, settings=settings, **kwargs)
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc}")
    typer.echo(str(path))
    if pdf:
        from generator.docx.pdf import write_pdf

        typer.echo(str(write_pdf(path)))


@generate_app.command("chapter")
def chapter_cmd(
    segment: Annotated[str, typer.Option("--segment", "-s", help="Segment by label or slug.")],
    output: Output,
    plan: Plan = None,
    template: Template = None,
    fixed_time: FixedTime = None,
    gemeente: Gemeente = None,
    pdf: Pdf = False,
    build_dir: BuildDir = None,
) -> None:
    """One segment chapter of a purchasing plan."""
    from generator.docx.chapter import write_chapter

    def write(graph: Any, path: Path, **kw: Any) -> Path:
        return write_chapter(graph, segment, path, **kw)

    _run(build_dir, write, output, pdf=pdf, plan=plan, template=template,
         fixed_time=_time(fixed_time), gemeente=gemeente)  # fmt: skip


@generate_app.command("plan")
def plan_cmd(
    output: Output,
    plan: Plan = None,
    template: Template = None,
    fixed_time: FixedTime = None,
    gemeente: Gemeente = None,
    pdf: Pdf = False,
    build_dir: BuildDir = None,
) -> None:
    """The whole purchasing plan: title page, contents, chapters, finances, glossary."""
    from generator.docx.plan import write_plan

    _run(build_dir, write_plan, output, pdf=pdf, plan=plan, template=template,
         fixed_time=_time(fixed_time), gemeente=gemeente)  # fmt: skip


@generate_app.command("raadsvoorstel")
def raadsvoorstel_cmd(
    output: Output,
    segment: Annotated[
        str | None,
        typer.Option("--segment", "-s", help="Segment by label or slug (default: whole plan)."),
    ] = None,
    plan: Plan = None,
    template: Template = None,
    fixed_time: FixedTime = None,
    gemeente: Gemeente = None,
    pdf: Pdf = False,
    build_dir: BuildDir = None,
) -> None:
    """A draft council proposal (with its concept-raadsbesluit) for one segment or for the
    whole plan."""
    from generator.docx.raadsvoorstel import write_raadsvoorstel

    def write(graph: Any, path: Path, **kw: Any) -> Path:
        return write_raadsvoorstel(graph, path, segment=segment, **kw)

    _run(build_dir, write, output, pdf=pdf, plan=plan, template=template,
         fixed_time=_time(fixed_time), gemeente=gemeente)  # fmt: skip
