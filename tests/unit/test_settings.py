"""Settings: precedence of file, environment and flags; every field documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.settings import Settings, load_settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`{name}`" in text, f"docs/settings.md does not document {name}"
        assert field.description, f"setting {name} has no help text"


def test_precedence_file_env_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "kb.toml"
    config.write_text('build_dir = "from-file"\nkeep_releases = 7\n', encoding="utf-8")
    monkeypatch.setenv("KB_CONFIG", str(config))
    assert load_settings().build_dir == Path("from-file")
    assert load_settings().keep_releases == 7
    monkeypatch.setenv("KB_BUILD_DIR", "from-env")
    assert load_settings().build_dir == Path("from-env")
    assert load_settings(build_dir=Path("from-flag")).build_dir == Path("from-flag")
    # A flag left unset does not override.
    assert load_settings(build_dir=None).build_dir == Path("from-env")


def test_invalid_values_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_MAX_PASSAGE_CHARS", "5")
    with pytest.raises(ValueError, match="max_passage_chars"):
        load_settings()
    bad = tmp_path / "kb.toml"
    bad.write_text("build_dir = [unclosed", encoding="utf-8")
    monkeypatch.delenv("KB_MAX_PASSAGE_CHARS")
    monkeypatch.setenv("KB_CONFIG", str(bad))
    with pytest.raises(ValueError, match="kb.toml"):
        load_settings()
