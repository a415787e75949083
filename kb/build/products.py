"""What a build makes from the graph: the typed interface of a product, and their order.

A product (the search index, the Word documents, the site) is an object with a ``name``, the
names of the products it ``needs`` (whose output it reads, so they are built first) and a
``build(release_dir, graph, settings)`` method that writes into the release folder. The pipeline
(:func:`kb.build.pipeline.build`) takes a sequence of products; the CLI assembles that sequence
from :mod:`kb.index` and :mod:`generator`, so ``kb`` never has to know the generator by name.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from kb.errors import KbError

if TYPE_CHECKING:
    from rdflib import Graph

    from kb.settings import Settings

Progress = Callable[[str, int, int], None]


class ProductOrderError(KbError):
    """The products given to a build have duplicate names or needs that form a cycle."""


@runtime_checkable
class Product(Protocol):
    """Something a build makes from the published graph and writes into the release folder."""

    @property
    def name(self) -> str:
        """Short name used in ``kb build --skip`` and in the build manifest."""
        ...

    @property
    def needs(self) -> tuple[str, ...]:
        """Names of products whose output this one reads; when both are built, those come
        first. A needed product that is not built is not an error (the site then lists no
        documents)."""
        ...

    def build(
        self,
        release_dir: Path,
        graph: Graph,
        settings: Settings,
        *,
        progress: Progress | None = None,
    ) -> object:
        """Write the product into ``release_dir``; raise (preferably a ``KbError``) on failure."""
        ...


def order_products(products: Sequence[Product]) -> list[Product]:
    """``products`` in build order: every product after those it needs, otherwise as given.

    Raises :class:`ProductOrderError` for two products with one name or needs in a cycle.
    """
    by_name: dict[str, Product] = {}
    for product in products:
        if product.name in by_name:
            raise ProductOrderError(f"products: the name {product.name!r} is used twice")
        by_name[product.name] = product
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for product in products:
        sorter.add(product.name, *(n for n in product.needs if n in by_name))
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        raise ProductOrderError(f"products: their needs form a cycle: {exc.args[1]}") from None
    # Stable: of the products that are ready, take them in the order they were given.
    position = {p.name: i for i, p in enumerate(products)}
    ordered: list[Product] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=position.__getitem__)
        ordered.extend(by_name[name] for name in ready)
        sorter.done(*ready)
    return ordered


@dataclass(frozen=True)
class IndexProduct:
    """The search index (dense + lexical + entities) in ``<release>/index``."""

    name: str = "index"
    needs: tuple[str, ...] = ()

    def build(
        self,
        release_dir: Path,
        graph: Graph,
        settings: Settings,
        *,
        progress: Progress | None = None,
    ) -> object:
        """Build the index from the passages of ``graph``."""
        from kb.index.build import build_index
        from kb.index.records import load_records

        records, entities = load_records(graph)
        return build_index(
            release_dir, settings, progress=progress, records=records, entities=entities
        )
