"""Incremental Word documents: a plan whose inputs are unchanged keeps the current release's
documents; a changed plan gets new ones."""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from generator.docx.documents import build_documents, read_index
from kb.rdf.namespaces import KBI
from kb.settings import Settings

SECOND = Path(__file__).parents[1] / "views" / "second_plan.ttl"
OLDER = KBI["document/plan-zuidhoek"]


def _two(tiny: Graph) -> Graph:
    graph = Graph(store="Oxigraph")
    graph += tiny
    graph.parse(SECOND, format="turtle")
    return graph


def _release(build: Path, name: str, graph: Graph) -> Path:
    release = build / "releases" / name
    release.mkdir(parents=True)
    build_documents(release, Settings(default_plan=None), graph=graph)
    current = build / "current"
    current.unlink(missing_ok=True)
    current.symlink_to(Path("releases") / name)
    return release


def _inodes(release: Path) -> dict[str, int]:
    folder = release / "documents"
    return {e.file: (folder / e.file).stat().st_ino for e in read_index(folder)}


def test_unchanged_plans_keep_their_documents(tiny: Graph, tmp_path: Path) -> None:
    graph = _two(tiny)
    first = _inodes(_release(tmp_path, "r1", graph))
    same = _inodes(_release(tmp_path, "r2", graph))
    assert same == first  # every document hard-linked from the current release

    # Retitle the older plan: its documents are made again, the newer plan's are kept.
    changed = _two(tiny)
    changed.remove((OLDER, DCTERMS.title, None))
    changed.add((OLDER, DCTERMS.title, Literal("Inkoopplan jeugdhulp Zuidhoek, herzien")))
    third = _inodes(_release(tmp_path, "r3", changed))
    assert third.keys() == same.keys()
    older = {f for f in third if f.startswith("plan-zuidhoek/")}
    assert older and all(third[f] != same[f] for f in older)
    assert all(third[f] == same[f] for f in third if f not in older)
    assert not any(os.path.islink(tmp_path / "releases" / "r3" / "documents" / f) for f in third)
