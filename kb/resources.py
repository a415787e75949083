"""Where the package's own data lives: ontology, bundled corpus, curated facts, templates.

Everything is found through :mod:`importlib.resources`, never through the source checkout, so a
normal (non-editable) install works from any folder. Data that is installed as plain files in a
package folder is returned as a :class:`~pathlib.Path`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_path(package: str, *parts: str) -> Path:
    """The file-system path of ``parts`` inside an installed ``package``."""
    return Path(str(files(package).joinpath(*parts)))


def ontology_dir() -> Path:
    """The folder with the ontology, concept schemes and shapes (``ontology/`` in the repo)."""
    return package_path("kb.ontology")


def bundled_corpus() -> Path:
    """The bundled sample corpus with its ``sources.yaml``."""
    return package_path("kb", "corpus")
