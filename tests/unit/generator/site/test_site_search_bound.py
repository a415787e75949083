"""A large site keeps its MkDocs search index bounded: entity pages leave it above a count."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site import build as site_build


@pytest.fixture
def package_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "package" / "docs"
    folder.mkdir(parents=True)
    (folder / "base.yml").write_text("site_name: Proefsite\n", encoding="utf-8")
    (folder / "index.md").write_text("# Start\n", encoding="utf-8")
    monkeypatch.setattr(site_build, "site_docs_dir", lambda: folder)
    monkeypatch.setattr(site_build, "SITE_CONFIG_NAME", "base.yml")
    return folder


PAGES = {
    "generated/segmenten/index.md": '---\ntitle: "Segmenten"\n---\n\n# Segmenten\n',
    "generated/segmenten/a.md": '---\ntitle: "A"\n---\n\n# A\n',
    "generated/segmenten/plan/b.md": "# B\n",
    "generated/planning.md": "# Planning\n",
}


def _written(folder: Path) -> dict[str, str]:
    docs = folder / "docs"
    return {rel: (docs / rel).read_text(encoding="utf-8") for rel in PAGES}


def test_entity_pages_leave_the_search_index_above_the_bound(
    package_docs: Path, tmp_path: Path
) -> None:
    site_build.write_site_sources(tmp_path / "src", PAGES, {}, search_entity_pages_max=1)
    written = _written(tmp_path / "src")
    excluded = "search:\n  exclude: true\n"
    assert written["generated/segmenten/a.md"] == "---\n" + excluded + 'title: "A"\n---\n\n# A\n'
    assert written["generated/segmenten/plan/b.md"] == "---\n" + excluded + "---\n\n# B\n"
    # Overviews and other pages stay searchable: they name every entity.
    assert written["generated/segmenten/index.md"] == PAGES["generated/segmenten/index.md"]
    assert written["generated/planning.md"] == PAGES["generated/planning.md"]


def test_a_small_site_keeps_every_page_searchable(package_docs: Path, tmp_path: Path) -> None:
    site_build.write_site_sources(tmp_path / "src", PAGES, {}, search_entity_pages_max=2)
    assert _written(tmp_path / "src") == PAGES
