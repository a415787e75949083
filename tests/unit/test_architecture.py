"""The import rules of docs/architecture.md hold (``lint-imports``, contracts in pyproject.toml).

The second test breaks each kind of rule in a copy of the packages and checks that the linter
notices, so the first test cannot pass because the contracts check nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="install the dev extra: import-linter")

REPO = Path(__file__).resolve().parents[2]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on the packages and pyproject.toml in ``root``."""
    script = Path(sys.executable).parent / "lint-imports"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "importlinter.cli"]
    return subprocess.run(
        # --no-cache: the linter would otherwise write .grimp_cache into the checkout.
        [*command, "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_contracts_are_kept() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("kb/serve/links.py", "import generator.site.links", "kb imports generator only"),
        ("kb/views/entities.py", "import kb.extract.common", "The read path never imports"),
        ("kb/search/searcher.py", "import kb.index.build", "The read path never imports"),
        ("generator/site/pages.py", "import kb.build.pipeline", "generator renders the graph"),
        ("kb/rdf/store.py", "import kb.views.entities", "kb layers"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, forbidden_import: str, contract: str
) -> None:
    skip = shutil.ignore_patterns("__pycache__", "corpus", "templates", "*.ttl", "*.yaml")
    for package in ("kb", "generator"):
        shutil.copytree(REPO / package, tmp_path / package, ignore=skip)
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    target = tmp_path / module
    # Lazy, inside a function, as the old code did it: it still counts.
    target.write_text(
        target.read_text(encoding="utf-8") + f"\n\ndef _sneak() -> None:\n    {forbidden_import}\n",
        encoding="utf-8",
    )
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.rstrip().endswith("BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout
