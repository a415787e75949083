"""Acceptance tests: the real corpus, model, MkDocs, Chromium and LibreOffice.

Every test in this folder is marked ``acceptance`` here, so ``pytest -m "not acceptance"`` and
``make test-fast`` (``tests/unit``) leave them out.

``build_corpus`` builds the bundled corpus through the real pipeline once per product combination
in the whole run: under pytest-xdist the workers share the builds through a file lock in the
temporary folder of the run, so a build made by one worker is used by the others. ``make test``
runs with ``--dist loadfile``, which keeps the tests of one file on one worker, so module-scoped
fixtures (a loaded searcher, a live server, a browser) are made once, too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kb.settings import BUNDLED_CORPUS, Settings

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``acceptance``."""
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.acceptance)


#: The evaluation questions shipped with the project (a copy of the shared evaluation set).
EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
DEV_QUESTIONS = EVAL_DIR / "dev_questions.jsonl"


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled corpus that tests may change."""
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(BUNDLED_CORPUS, target)
    return target


def _shared_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run; under pytest-xdist, the one all workers share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def build_corpus(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Settings]:
    """``build_corpus(*products)`` → settings of a published build of the bundled corpus.

    Builds run through :func:`kb.build.pipeline.build` exactly as ``kb build`` does, with only the
    products the test needs (``"index"``, ``"site"``, ``"documents"``); each combination is
    built once in the whole run, also when pytest-xdist runs the tests in several processes.
    Tests read a build and never change it (they copy it first).
    """
    from filelock import FileLock

    from kb.build.pipeline import build
    from kb.cli.main import build_products

    root = _shared_temp(tmp_path_factory)
    cache: dict[tuple[str, ...], Settings] = {}

    def make(*products: str) -> Settings:
        key = tuple(products)
        if key not in cache:
            name = "-".join(key) or "graph"
            folder = root / f"corpus-build-{name}"
            done = root / f"corpus-build-{name}.done"
            settings = Settings(build_dir=folder)
            # One worker builds while the others wait; a failed build is tried again by the
            # next worker that needs it (and fails there, too, with its own message).
            with FileLock(str(root / f"corpus-build-{name}.lock")):
                if not done.exists():
                    result = build(None, settings, products=build_products(key))
                    assert result.published, (result.product_errors, result.validation)
                    done.touch()
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
