"""One typed settings object: defaults → settings file → environment (``KB_…``) → command flags.

The settings file is ``kb.toml`` in the working directory (or the file named by ``KB_CONFIG``);
it holds the same keys as the fields below. Every field has help text; ``docs/settings.md`` is
checked against these fields by a test so the documentation cannot drift.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
BUNDLED_CORPUS = PACKAGE_DIR / "corpus"
CONFIG_FILE = "kb.toml"


class Settings(BaseSettings):
    """Settings of the knowledge base (build, graph, search, site, documents)."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    build_dir: Path = Field(
        Path("build"),
        description="Folder for build output; each build is a release under releases/, "
        "and 'current' points at the last good one.",
    )
    sources: list[Path] = Field(
        default_factory=lambda: [BUNDLED_CORPUS],
        description="Folders or files to ingest when 'kb build' gets no paths "
        "(default: the bundled sample corpus).",
    )
    ontology_dir: Path = Field(
        REPO_DIR / "ontology",
        description="Folder with the ontology, concept schemes and SHACL shapes (Turtle).",
    )
    max_passage_chars: int = Field(
        1000, ge=200, le=10000, description="Longest passage, in characters, before it is cut."
    )
    keep_releases: int = Field(
        3, ge=1, le=100, description="How many earlier builds to keep under releases/."
    )
    default_plan: str = Field(
        "Inkoopplan jeugdhulp Leidse regio en Duin- en Bollenstreek 2021-2024",
        description="Purchasing plan that documents and pages use when none is named "
        "(title or document id).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Flags (init) win over the environment, which wins over the file.
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @property
    def current_dir(self) -> Path:
        """The folder of the last good build."""
        return self.build_dir / "current"


class _TomlSource(PydanticBaseSettingsSource):
    """Reads ``kb.toml`` (or ``$KB_CONFIG``) if it exists."""

    def _data(self) -> dict[str, Any]:
        path = Path(os.environ.get("KB_CONFIG", CONFIG_FILE))
        if not path.is_file():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: invalid settings file: {exc}") from None

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._data().items() if k in self.settings_cls.model_fields}


def load_settings(**overrides: Any) -> Settings:
    """Settings with the given flag values on top (``None`` values are ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
