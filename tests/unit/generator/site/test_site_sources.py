"""The site is rendered inside the release: sources in ``site-src/``, MkDocs output beside it.

A tiny invented "site docs package" (a base config and one hand-written page) stands in for the
packaged ``docs/``, so these tests need neither the corpus nor the installed package.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site import build as site_build

BASE_CONFIG = """site_name: Proefsite
docs_dir: docs
use_directory_urls: false
exclude_docs: |
  __init__.py
  base.yml
nav:
  - Start: index.md
  - Lijst: generated/lijst.md
"""


@pytest.fixture
def package_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the installed site docs package."""
    folder = tmp_path / "package" / "docs"
    (folder / "__pycache__").mkdir(parents=True)
    (folder / "__init__.py").write_text('"""Package marker."""\n', encoding="utf-8")
    (folder / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"\0")
    (folder / "base.yml").write_text(BASE_CONFIG, encoding="utf-8")
    (folder / "index.md").write_text("# Start\n\nZie de [lijst](generated/lijst.md).\n", "utf-8")
    monkeypatch.setattr(site_build, "site_docs_dir", lambda: folder)
    monkeypatch.setattr(site_build, "SITE_CONFIG_NAME", "base.yml")
    return folder


def test_sources_hold_package_pages_generated_pages_and_a_config(
    package_docs: Path, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    pages = {"generated/lijst.md": "# Lijst\n\n[Terug](../index.md)\n"}
    assets = {"generated/plaatje.svg": b"<svg/>"}
    config = site_build.write_site_sources(release / "site-src", pages, assets)

    docs = release / "site-src" / "docs"
    assert config == release / "site-src" / "mkdocs.yml"
    assert (docs / "index.md").read_text("utf-8") == (package_docs / "index.md").read_text("utf-8")
    assert (docs / "generated" / "lijst.md").read_text("utf-8") == pages["generated/lijst.md"]
    assert (docs / "generated" / "plaatje.svg").read_bytes() == b"<svg/>"
    assert not (docs / "__init__.py").exists() and not (docs / "__pycache__").exists()
    assert "INHERIT: docs/base.yml" in config.read_text("utf-8")
    # The package folder itself is left as it was.
    assert sorted(p.name for p in package_docs.iterdir()) == [
        "__init__.py",
        "__pycache__",
        "base.yml",
        "index.md",
    ]


def test_inherited_config_builds_into_the_site_folder(package_docs: Path, tmp_path: Path) -> None:
    release = tmp_path / "release"
    config = site_build.write_site_sources(
        release / "site-src", {"generated/lijst.md": "# Lijst\n"}, {}
    )
    site_build.run_mkdocs(release / "site", config_file=config)

    index = (release / "site" / "index.html").read_text("utf-8")
    assert "Proefsite" in index  # site_name comes from the inherited base config
    assert (release / "site" / "generated" / "lijst.html").is_file()
    assert not (release / "site" / "base.yml").exists()  # excluded by the base config
    assert not (release / "site-src" / "site").exists()


def test_rewriting_sources_replaces_old_generated_pages(package_docs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "release" / "site-src"
    site_build.write_site_sources(folder, {"generated/oud.md": "# Oud\n"}, {})
    site_build.write_site_sources(folder, {"generated/nieuw.md": "# Nieuw\n"}, {})
    assert sorted(p.name for p in (folder / "docs" / "generated").iterdir()) == ["nieuw.md"]


def test_generated_pages_cannot_replace_hand_written_ones(
    package_docs: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError):
        site_build.write_site_sources(tmp_path / "site-src", {"index.md": "# Kapot\n"}, {})
