"""Products and extractors are typed objects handed to the build, not names looked up."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kb.build.products import Product, ProductOrderError, order_products
from kb.settings import Settings

PLAN = """1. Inleiding
De gemeenten in de Testregio kopen jeugdhulp in via bestuurlijk aanbesteden.

2. Begrippen
Hieronder de begrippen.
"""


@dataclass
class Recorder:
    """A product that remembers what the build handed it (and may fail)."""

    name: str
    needs: tuple[str, ...] = ()
    fail: bool = False
    calls: list[dict[str, Any]] = field(default_factory=list)
    log: list[str] | None = None

    def build(self, release_dir: Path, graph: Any, settings: Any, *, progress: Any = None) -> Any:
        if self.log is not None:
            self.log.append(self.name)
        self.calls.append({"release": release_dir, "triples": len(graph), "settings": settings})
        if self.fail:
            raise RuntimeError(f"{self.name} broke")
        (release_dir / f"{self.name}.out").write_text("ok", encoding="utf-8")
        return None


def names(products: list[Product]) -> list[str]:
    return [p.name for p in products]


def test_products_are_ordered_after_what_they_need() -> None:
    site, docs, index = Recorder("site", ("documents",)), Recorder("documents"), Recorder("index")
    assert names(order_products([site, docs, index])) == ["documents", "index", "site"]
    assert names(order_products([index, docs, site])) == ["index", "documents", "site"]
    # A need that is not built is no error (the site then simply has no documents to list).
    assert names(order_products([site, index])) == ["site", "index"]


def test_bad_product_lists_are_refused() -> None:
    with pytest.raises(ProductOrderError, match="'index' is used twice"):
        order_products([Recorder("index"), Recorder("index")])
    with pytest.raises(ProductOrderError, match="cycle"):
        order_products([Recorder("a", ("b",)), Recorder("b", ("a",))])


def test_the_cli_assembles_typed_products() -> None:
    from kb.cli.common import CommandError
    from kb.cli.main import build_products

    products = build_products()
    assert all(isinstance(p, Product) for p in products)
    assert len(set(names(products))) == len(products) >= 3
    assert names(build_products(["site", "index"])) == ["index", "site"]
    assert names(build_products(skip=["documents"])) == ["index", "site"]
    with pytest.raises(CommandError, match="unknown product zwembad"):
        build_products(["zwembad"])
    with pytest.raises(CommandError, match="--skip: unknown product zwembad"):
        build_products(skip=["zwembad"])


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "2021-01-01_testregio_plan.txt").write_text(PLAN, encoding="utf-8")
    return corpus


def test_the_build_hands_each_product_the_release_graph_and_settings(tmp_path: Path) -> None:
    from kb.build.pipeline import build

    settings = Settings(build_dir=tmp_path / "build")
    log: list[str] = []
    site, docs = Recorder("site", ("documents",), log=log), Recorder("documents", log=log)
    result = build([_corpus(tmp_path)], settings, products=[site, docs], do_validate=False)
    assert result.published, result.product_errors
    assert log == ["documents", "site"]
    call = site.calls[0]
    assert call["release"] == result.release_dir and call["settings"] is settings
    assert call["triples"] == result.triples > 0
    assert (settings.current_dir / "site.out").is_file()
    manifest = json.loads((settings.current_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["products"] == {"documents": True, "site": True}


def test_a_failing_product_keeps_the_previous_build(tmp_path: Path) -> None:
    from kb.build.pipeline import build

    settings = Settings(build_dir=tmp_path / "build")
    corpus = _corpus(tmp_path)
    assert build([corpus], settings, do_validate=False).published  # graph only
    before = os.readlink(settings.build_dir / "current")
    broken = Recorder("index", fail=True)
    result = build([corpus], settings, products=[broken, Recorder("site")], do_validate=False)
    assert not result.published
    assert result.product_errors == [("index", "RuntimeError: index broke")]
    assert os.readlink(settings.build_dir / "current") == before


def test_extractors_are_functions_in_a_typed_list() -> None:
    from kb.extract import EXTRACTORS, Extractor, run_extractors
    from kb.extract.common import FactGraph

    assert len({e.name for e in EXTRACTORS}) == len(EXTRACTORS)
    assert all(callable(e.extract) for e in EXTRACTORS)

    ran: list[str] = []

    def broken(docs: Any, facts: Any) -> None:
        raise ValueError("kapot")

    facts = FactGraph()
    run_extractors(
        [],
        facts,
        extractors=[Extractor("eerst", broken), Extractor("daarna", lambda d, f: ran.append("x"))],
    )
    assert ran == ["x"]  # one broken extractor does not stop the others …
    assert facts.warnings == ["extractor eerst failed: ValueError: kapot"]  # … and is reported


def test_a_release_keeps_a_copy_of_each_original(tmp_path: Path) -> None:
    """The site links to the original files: the release keeps them, byte for byte, under a
    safe name (the document id)."""
    from kb.build.pipeline import build
    from kb.ingest.read import document_id
    from kb.views.documents import ORIGINALS_DIR, original_name

    corpus = _corpus(tmp_path)
    settings = Settings(build_dir=tmp_path / "build")
    result = build([corpus], settings, do_validate=False)
    assert result.published
    kept = sorted((result.release_dir / ORIGINALS_DIR).iterdir())
    sources = sorted(p for p in corpus.iterdir() if p.name != "sources.yaml")
    assert [p.name for p in kept] == sorted(original_name(document_id(p), "txt") for p in sources)
    assert [p.read_bytes() for p in kept] == [p.read_bytes() for p in sources]
