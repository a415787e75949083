"""Images of the first page of each Word document type, for the documentation.

``python -m generator.docx.images --build-dir BUILD docs/img/word`` writes ``hoofdstuk.png``
(the chapter of the default plan's first segment), ``inkoopplan.png`` (the whole plan) and
``raadsvoorstel.png`` (the raadsvoorstel of the whole plan), each page 1 as LibreOffice renders
it. ``make doc-images`` builds the bundled corpus's graph in a temporary folder and runs this.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.docx.base import save, site_url_of
from generator.docx.chapter import chapter_document
from generator.docx.pdf import first_page_png
from generator.docx.plan import plan_document
from generator.docx.raadsvoorstel import raadsvoorstel_document

#: The same moment in every image run: the document properties do not show, but stay stable.
FIXED = dt.datetime(2026, 1, 1)


def first_page_images(graph: Any, folder: Path, settings: Any = None) -> list[Path]:
    """Render page 1 of a chapter, the plan and the plan's raadsvoorstel into ``folder``."""
    from kb.views.lookup import default_plan
    from kb.views.plans import load_plan

    plan = load_plan(graph, default_plan(graph, getattr(settings, "default_plan", None))[0])
    common: dict[str, Any] = {"fixed_time": FIXED, "site_url": site_url_of(settings)}
    documents = {
        "inkoopplan": lambda: plan_document(plan, **common),
        "raadsvoorstel": lambda: raadsvoorstel_document(plan, None, **common),
    }
    if plan.segments:
        documents["hoofdstuk"] = lambda: chapter_document(plan.segments[0], **common)
    written = []
    with tempfile.TemporaryDirectory(prefix="kb-doc-images-") as tmp:
        for name, make in sorted(documents.items()):
            source = save(make(), Path(tmp) / f"{name}.docx")
            written.append(first_page_png(source, Path(folder) / f"{name}.png"))
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: the images of the current build in ``--build-dir`` into FOLDER."""
    from kb.rdf.store import load_graph
    from kb.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-b", "--build-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = Settings(build_dir=args.build_dir) if args.build_dir else Settings()
    graph = load_graph(settings.current_dir)
    for path in first_page_images(graph, args.folder, settings):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
