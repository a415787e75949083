"""Acceptance tests: the real corpus, model, MkDocs, Chromium and LibreOffice.

Every test in this folder is marked ``acceptance`` here, so ``pytest -m "not acceptance"`` and
``make test-fast`` (``tests/unit``) leave them out. The fixtures build the bundled corpus through
the real pipeline, once per test session, that is once per pytest-xdist worker.

``make test`` runs with ``--dist loadgroup``, which keeps the tests of one ``xdist_group`` on one
worker. A module that uses a shared build marks ``pytest.mark.xdist_group(<build>)`` after it
(``"graph"``, ``"index"``, ``"site"``, ``"documents"``), so each build is made once in the whole
run; every other module is its own group (its module-scoped fixtures run once, too).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kb.settings import BUNDLED_CORPUS, Settings

_HERE = Path(__file__).parent


# tryfirst: pytest-xdist reads the xdist_group marks in its own hook of this name.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``acceptance``; without a group, its module is the group."""
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.acceptance)
            if item.get_closest_marker("xdist_group") is None:
                item.add_marker(pytest.mark.xdist_group(item.path.stem))


#: The evaluation questions shipped with the project (a copy of the shared evaluation set).
EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
DEV_QUESTIONS = EVAL_DIR / "dev_questions.jsonl"


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled corpus that tests may change."""
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(BUNDLED_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def build_corpus(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Settings]:
    """``build_corpus(*products)`` → settings of a published build of the bundled corpus.

    Builds run through :func:`kb.build.pipeline.build` exactly as ``kb build`` does, with only the
    products the test needs (``"index"``, ``"site"``, ``"documents"``); each combination is
    built once per session.
    """
    from kb.build.pipeline import build
    from kb.cli.main import build_products

    cache: dict[tuple[str, ...], Settings] = {}

    def make(*products: str) -> Settings:
        key = tuple(products)
        if key not in cache:
            name = "-".join(key) or "graph"
            settings = Settings(build_dir=tmp_path_factory.mktemp(f"build-{name}"))
            result = build(None, settings, products=build_products(key))
            assert result.published, (result.product_errors, result.validation)
            cache[key] = settings
        return cache[key]

    return make


@pytest.fixture(scope="session")
def graph_build(build_corpus: Callable[..., Settings]) -> Settings:
    """A graph-only build of the bundled corpus (seconds)."""
    return build_corpus()


@pytest.fixture(scope="session")
def corpus_graph(graph_build: Settings):  # type: ignore[no-untyped-def]
    """The published graph of the bundled corpus, loaded from the build folder."""
    from kb.rdf.store import load_graph

    return load_graph(graph_build.current_dir)
