"""The layout of the tests: unit tests mirror the packages and stay fast; acceptance tests are
marked ``acceptance`` by their folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
UNIT = TESTS / "unit"

#: What only acceptance tests may use: the bundled corpus and the fixtures that build it.
CORPUS_USE = re.compile(r"\b(BUNDLED_CORPUS|build_corpus|graph_build|corpus_graph|corpus_copy)\b")


def test_unit_folders_mirror_the_packages() -> None:
    folders = [
        d.relative_to(UNIT)
        for d in UNIT.rglob("*")
        if d.is_dir() and d.name != "__pycache__" and any(d.glob("test_*.py"))
    ]
    assert folders
    for folder in folders:
        candidates = [ROOT / "kb" / folder, ROOT / folder]
        assert any((c / "__init__.py").is_file() for c in candidates), (
            f"tests/unit/{folder} has no package kb/{folder} or {folder} to mirror"
        )


def test_unit_tests_do_not_use_the_bundled_corpus() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in UNIT.rglob("*.py")
        if path != Path(__file__).resolve() and CORPUS_USE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "unit tests that use the bundled corpus belong in tests/acceptance/"


def _collected(*args: str) -> str:
    """``pytest --collect-only`` on the project's configuration; its summary line."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else result.stderr


def test_the_acceptance_folder_marks_its_tests_and_only_those() -> None:
    # Every test under tests/acceptance/ is marked (by its conftest), none under tests/unit/.
    assert "no tests collected" in _collected("-m", "not acceptance", "tests/acceptance")
    assert "no tests collected" in _collected("-m", "acceptance", "tests/unit")
    assert re.search(r"\d+ tests collected", _collected("-m", "acceptance", "tests/acceptance"))
