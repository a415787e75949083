"""An installed wheel builds the bundled corpus from any folder, without the source checkout.

The project is built into a wheel from a copy of the checkout's files (building in the checkout
would write ``build/`` and ``*.egg-info`` into it), installed into a temporary folder, and run from
two other temporary folders at once with only that installation and the dependencies on the path
(``python -S``: the shared environment's ``.pth`` files, among them an editable install's import
hook that would quietly fall back on a checkout, are not read). Each build must publish a graph,
a site and Word documents, and the checkout must be left exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.acceptance

ROOT = Path(__file__).resolve().parents[2]
#: Generous bounds for the steps on a shared two-core machine (measured: seconds each).
PIP_TIMEOUT = 180
BUILD_TIMEOUT = 300


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout


def _checkout_state() -> list[str]:
    """What git sees in the checkout, ignored files included (caches of Python and pytest,
    which the test run itself writes, left out)."""
    lines = _git("status", "--porcelain", "--ignored", "--untracked-files=all").splitlines()
    caches = ("__pycache__", ".pytest_cache")
    return sorted(line for line in lines if not any(cache in line for cache in caches))


def _installed_env(install: Path) -> dict[str, str]:
    """Environment for a Python that sees the installation and the dependencies only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    env["PYTHONPATH"] = os.pathsep.join([str(install), *sorted(deps)])
    env.pop("PYTHONHOME", None)
    return env


def _kb(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-S", "-P", "-m", "kb.cli.main", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    try:
        output, _ = proc.communicate(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
        pytest.fail(f"{proc.args!r}: no result within {BUILD_TIMEOUT} s\n{output[-3000:]}")
    assert proc.returncode == 0, f"{proc.args!r} exited with {proc.returncode}:\n{output[-3000:]}"
    return output


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project installed from a wheel into a temporary folder."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout of the project")
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    files = _git("ls-files", "--cached", "--others", "--exclude-standard").splitlines()
    for rel in files:
        if (ROOT / rel).is_file():  # a file deleted but not yet committed is skipped
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, source / rel)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(root / "wheel"), "."],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=PIP_TIMEOUT,
    )
    (wheel,) = (root / "wheel").glob("*.whl")
    target = root / "site-packages"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=PIP_TIMEOUT,
    )
    return target


def test_package_data_is_found_in_the_installation(install: Path, tmp_path: Path) -> None:
    script = (
        "import json, kb.resources as r\n"
        "names = ['ontology_dir', 'bundled_corpus', 'curated_dir', 'word_template',\n"
        "         'site_templates', 'site_docs_dir', 'site_config']\n"
        "print(json.dumps({n: str(getattr(r, n)()) for n in names}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-P", "-c", script],
        cwd=tmp_path,
        env=_installed_env(install),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name, path in json.loads(out).items():
        assert Path(path).exists(), f"{name}: {path} does not exist"
        assert Path(path).is_relative_to(install), f"{name}: {path} is not in the installation"
    # The installed docs hold every file of docs/ in the checkout (the hand-written site).
    checkout_docs = {
        rel[len("docs/") :]
        for rel in _git("ls-files", "docs").splitlines()
        if (ROOT / rel).is_file() and rel.startswith("docs/")
    }
    installed_docs = install / "generator" / "site" / "docs"
    missing = sorted(rel for rel in checkout_docs if not (installed_docs / rel).is_file())
    assert not missing, f"docs/ files missing from the installation: {missing}"


def test_two_builds_at_once_from_the_installation(install: Path, tmp_path: Path) -> None:
    before = _checkout_state()
    env = _installed_env(install)
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    procs = [_kb(["build", "--skip", "index"], folder, env) for folder in folders]
    for proc in procs:
        _finish(proc)

    for folder in folders:
        current = folder / "build" / "current"
        assert (current / "graph.nt").stat().st_size > 0
        assert (current / "site" / "index.html").is_file()
        assert (current / "site" / "generated" / "begrippen" / "index.html").is_file()
        assert (current / "site-src" / "mkdocs.yml").is_file()
        assert list((current / "documents").rglob("*.docx"))  # a folder per plan
        # Package files and the base config are site sources, not pages of the site.
        assert not list((current / "site").rglob("__init__.py"))
        assert not list((current / "site").rglob("mkdocs-base.yml"))
        # The build read the installed corpus, not the checkout's.
        manifest = (current / "manifest.json").read_text(encoding="utf-8")
        assert str(install) in manifest and str(ROOT) not in manifest

    # `kb site` rebuilds the site of the current build in place.
    first = folders[0] / "build" / "current"
    stale = first / "site" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    _finish(_kb(["site", "--quiet"], folders[0], env))
    assert (first / "site" / "index.html").is_file() and not stale.exists()

    assert _checkout_state() == before, "the build changed the source checkout"
