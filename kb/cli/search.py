"""The search commands of ``kb``: ``search``, ``eval`` and ``index``.

Wired into :mod:`kb.cli.main` with ``app.command("search")(search_cmd)`` etc. Heavy imports (torch,
faiss, bm25s, rdflib) happen inside the functions, so ``kb --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kb.cli.common import BuildDir
from kb.cli.common import fail as _fail
from kb.cli.common import settings_or_fail as _settings


def _searcher(build_dir: Path | None) -> Any:
    from kb.search.searcher import open_searcher

    settings = _settings(build_dir)
    if not (settings.build_dir / "current").exists():
        _fail(f"{settings.build_dir}: no build found; run 'kb build' first")
    return open_searcher(settings)


def search_cmd(
    query: Annotated[str, typer.Argument(help="The question or words to search for (Dutch).")],
    top_k: Annotated[
        int | None,
        typer.Option("--top-k", "-k", help="Number of passages to show (default: search_top_k)."),
    ] = None,
    segment: Annotated[
        str | None, typer.Option(help="Only passages of this segment (e.g. Wonen).")
    ] = None,
    region: Annotated[str | None, typer.Option(help="Only passages about this region.")] = None,
    doc_type: Annotated[
        str | None, typer.Option("--doc-type", help="Only this document type (inkoopplan, memo …).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Only documents of this year.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
    build_dir: BuildDir = None,
) -> None:
    """Search the policy texts: ranked passages with document, section and linked entities."""
    import json

    from kb.search.searcher import validate_query

    validate_query(query)  # a bad query fails fast, before the model is loaded
    searcher = _searcher(build_dir)
    hits = searcher.search(
        query, top_k=top_k, segment=segment, region=region, doc_type=doc_type, year=year
    )
    linked = searcher.link(query)
    cards = _answer_cards(searcher, query, linked)
    if as_json:
        body = {"answers": [c.to_dict() for c in cards], "hits": [h.to_dict() for h in hits]}
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    for card in cards:
        # The answer from the graph first: value, whose, the fact's status and its quote.
        detail = f" ({escape(card.detail)})" if card.detail else ""
        console.print(
            f"[bold green]{escape(card.question_label)}: {escape(card.value)}[/]"
            f" [bold]{escape(card.entity)}[/]{detail} [dim]· {card.status}[/]",
            highlight=False,
        )
        console.print(f"   “{escape(card.quote)}”", highlight=False)
        console.print(
            f"   [dim]{escape(card.document)} · {escape(card.passage_id or '')}[/]", highlight=False
        )
    if cards:
        console.print()
    if linked:
        console.print(
            "[dim]entities:[/] " + ", ".join(f"{escape(e.label)} ({e.kind})" for e in linked),
            highlight=False,
        )
    if not hits:
        console.print("no passages found (try without filters)")
        return
    for h in hits:
        console.print(
            f"[bold]{h.rank}.[/] [cyan]{h.score:.3f}[/]  [bold]{escape(h.document_title)}[/]"
            f" [dim]({h.doc_type}, {h.year or '?'}, {escape(h.region)})[/]",
            highlight=False,
        )
        if h.section_path:
            console.print(f"   § {escape(h.section)}", highlight=False)
        ents = ", ".join(f"{e['label']} ({e['type']})" for e in h.entities)
        console.print(
            f"   [dim]chars {h.start}-{h.end}  {escape(h.passage_id)}"
            + (f"  · {escape(ents)}" if ents else "")
            + "[/]",
            highlight=False,
        )
        text = escape(h.snippet).replace("**", "\x00")
        parts = text.split("\x00")
        marked = "".join(p if i % 2 == 0 else f"[bold yellow]{p}[/]" for i, p in enumerate(parts))
        console.print("   " + marked, highlight=False)
        console.print()


def _answer_cards(searcher: Any, query: str, linked: list[Any]) -> list[Any]:
    """Answer cards from the current build's graph (none when the build has no graph)."""
    from kb.rdf.remote import endpoint_of
    from kb.rdf.store import StoreError, load_graph, read_graph
    from kb.search.answers import answerer_for

    release = searcher.index_dir.parent
    try:
        # The SPARQL server's current release when one is set, else the index's own build.
        settings = searcher.settings
        graph = read_graph(settings) if endpoint_of(settings) else load_graph(release)
    except (StoreError, OSError) as exc:
        typer.echo(f"warning: no answers from the graph: {exc}", err=True)
        return []
    return answerer_for(graph, searcher.linker, searcher.lexical.analyzer).answer(query, linked)


def eval_cmd(
    file: Annotated[Path, typer.Argument(help="Questions as JSONL (id, q, gold).")],
    top_k: Annotated[int, typer.Option("--top-k", "-k", help="Passages per question.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    build_dir: BuildDir = None,
) -> None:
    """Measure retrieval: R@1, R@5, R@10 and MRR@10 over a question file, and the misses.

    Questions with a ``split`` are reported per split, the held-out half first (the weights are
    tuned on the ``tune`` half only), then over all questions.
    """
    import json

    from kb.search.evaluate import evaluate_splits, load_questions

    try:
        questions = load_questions(file)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        _fail(f"{file}: cannot read questions: {exc}")
    if not questions:
        _fail(f"{file}: no questions")
    reports = evaluate_splits(_searcher(build_dir), questions, top_k=top_k)
    if as_json:
        typer.echo(
            json.dumps(
                {name: r.to_dict() for name, r in reports.items()}, ensure_ascii=False, indent=2
            )
        )
        return
    for name, report in reports.items():
        if len(reports) > 1:
            typer.echo(f"{name} ({report.n} questions)")
        for line in report.lines():
            typer.echo(("  " if len(reports) > 1 else "") + line)
    report = reports["all"]
    if report.missed:
        typer.echo(f"missed {len(report.missed)} of {report.n}:")
        split = {q.id: q.split for q in questions}
        for r in report.missed:
            where = f" [{split[r.id]}]" if split.get(r.id) else ""
            typer.echo(f"  {r.id}{where}  {r.q}" + (f"  ({r.error})" if r.error else ""))


def index_cmd(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Embed every passage again (ignore the cache).")
    ] = False,
    build_dir: BuildDir = None,
) -> None:
    """(Re)build the search index of the current build (dense + lexical + entities)."""
    from rich.console import Console

    from kb.index.build import build_index

    console = Console(stderr=True)
    settings = _settings(build_dir)
    current = settings.build_dir / "current"
    if not current.exists():
        _fail(f"{settings.build_dir}: no build found; run 'kb build' first")

    def progress(step: str, done: int, total: int) -> None:
        console.print(f"[dim]{step} {done}/{total}[/]" if total else f"[dim]{step}[/]")

    stats = build_index(current.resolve(), settings, progress=progress, use_cache=not rebuild)
    console.print(
        f"{stats.passages} passages ({stats.embedded} embedded, {stats.cached} from cache), "
        f"{stats.documents} documents, {stats.timings['total']:.1f} s → {stats.index_dir}"
    )
    if stats.query_encoder == "torch":
        console.print(f"[yellow]queries are embedded with PyTorch:[/] {stats.query_encoder_note}")
    elif stats.query_encoder_note:
        console.print(f"[dim]query encoder {stats.query_encoder}: {stats.query_encoder_note}[/]")
