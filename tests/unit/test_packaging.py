"""The package list in pyproject.toml matches the source tree, and docs/ ships whole.

setuptools is given the packages by name (discovery cannot see the folders installed under
another name), so a new package folder that is not added to the list would silently be missing
from a wheel; these tests catch that without building one.
"""

from __future__ import annotations

import glob
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
#: The top-level folders whose packages are found where they stand.
SOURCE_ROOTS = ("kb", "generator")


def _packages_under(folder: Path, name: str) -> set[str]:
    """Dotted names of ``folder`` and its sub-folders that hold an ``__init__.py``."""
    found = set()
    for init in folder.rglob("__init__.py"):
        if "__pycache__" in init.parts:
            continue
        rel = init.parent.relative_to(folder)
        found.add(".".join((name, *rel.parts)))
    return found


def _mapped_dirs() -> dict[str, Path]:
    """Packages installed from a folder of another name (``[tool.setuptools.package-dir]``)."""
    return {name: ROOT / path for name, path in SETUPTOOLS.get("package-dir", {}).items() if name}


def test_package_list_equals_the_folders_with_an_init() -> None:
    expected: set[str] = set()
    for root in SOURCE_ROOTS:
        expected |= _packages_under(ROOT / root, root)
    for name, folder in _mapped_dirs().items():
        expected |= _packages_under(folder, name)
    listed = SETUPTOOLS["packages"]
    assert len(listed) == len(set(listed)), "a package is listed twice"
    assert set(listed) == expected, (
        f"missing from pyproject: {sorted(expected - set(listed))}; "
        f"listed without an __init__.py: {sorted(set(listed) - expected)}"
    )


def test_mapped_packages_are_folders_outside_the_source_roots() -> None:
    # A mapped folder inside kb/ or generator/ would be installed twice under two names.
    for name, folder in _mapped_dirs().items():
        assert (folder / "__init__.py").is_file(), name
        for root in SOURCE_ROOTS:
            assert not folder.is_relative_to(ROOT / root), f"{name}: {folder} is inside {root}/"


def _package_dir(name: str) -> Path:
    """The source folder of package ``name`` (following the package-dir mapping)."""
    mapped = _mapped_dirs()
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in mapped:
            return mapped[prefix].joinpath(*parts[cut:])
    return ROOT.joinpath(*parts)


def _git_files() -> set[Path]:
    """The files of the checkout that git tracks or would track (untracked, not ignored)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return {ROOT / line for line in out.splitlines() if (ROOT / line).is_file()}


def test_every_data_file_in_a_package_folder_is_shipped() -> None:
    # What setuptools ships: the modules of each listed package, plus its package-data patterns
    # expanded with glob(recursive=True) in the package's folder, as build_py does.
    packages = {name: _package_dir(name) for name in SETUPTOOLS["packages"]}
    shipped: set[Path] = set()
    for name, folder in packages.items():
        shipped |= set(folder.glob("*.py"))
        for pattern in SETUPTOOLS.get("package-data", {}).get(name, []):
            found = glob.glob(str(folder / pattern), recursive=True)
            shipped |= {Path(path) for path in found if Path(path).is_file()}
    roots = [ROOT / root for root in SOURCE_ROOTS] + list(_mapped_dirs().values())
    in_packages = {f for f in _git_files() if any(f.is_relative_to(r) for r in roots)}
    missed = sorted(str(f.relative_to(ROOT)) for f in in_packages - shipped)
    assert not missed, f"in a package folder but not in the wheel: {missed}"
