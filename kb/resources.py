"""Where the package's own data lives: ontology, corpus, curated facts, templates, site sources.

Everything the product reads from its own installation is found here, through
:mod:`importlib.resources`, never through the source checkout, so a normal (non-editable)
install works from any folder. Two top-level folders of the repository are installed as
packages of their own (``[tool.setuptools.package-dir]`` in pyproject.toml): ``ontology/`` as
``kb.ontology`` and ``docs/`` (the hand-written site pages, assets and the site's base MkDocs
configuration) as ``generator.site.docs``.

Data is installed as plain files in package folders (wheels are unpacked), so each function
returns a :class:`~pathlib.Path`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kb.errors import KbError

#: The packages that hold data (names, not imports: ``kb`` reads the generator's data by name).
ONTOLOGY_PACKAGE = "kb.ontology"
SITE_DOCS_PACKAGE = "generator.site.docs"
#: The site's MkDocs configuration inside the site docs package; the repository's root
#: ``mkdocs.yml`` and every build's generated configuration inherit from it.
SITE_CONFIG_NAME = "mkdocs-base.yml"


class ResourceError(KbError):
    """Data the package should carry is missing: the installation is incomplete or stale."""


def package_path(package: str, *parts: str) -> Path:
    """The file-system path of ``parts`` inside an installed ``package``.

    Raises :class:`ResourceError` when the package cannot be imported, e.g. an editable install
    made before the package was added to pyproject.toml.
    """
    try:
        root = files(package)
    except ModuleNotFoundError as exc:
        raise ResourceError(
            f"package data {package!r} is not installed ({exc}); reinstall jeugdhulp-kb "
            "(pip install . or, in a checkout, make setup)"
        ) from exc
    return Path(str(root.joinpath(*parts)))


def ontology_dir() -> Path:
    """The folder with the ontology, concept schemes and shapes (``ontology/`` in the repo)."""
    return package_path(ONTOLOGY_PACKAGE)


def bundled_corpus() -> Path:
    """The bundled sample corpus with its ``sources.yaml``."""
    return package_path("kb", "corpus")


def curated_dir() -> Path:
    """The folder of curated facts (``kb/curated/``: regions, choices)."""
    return package_path("kb", "curated")


def word_template() -> Path:
    """The reference Word template with the house style (``generator/docx/templates/``)."""
    return package_path("generator.docx", "templates", "huisstijl.docx")


def site_templates() -> Path:
    """The Jinja2 templates of the generated site pages (``generator/site/templates/``)."""
    return package_path("generator.site", "templates")


def site_docs_dir() -> Path:
    """The hand-written site pages and assets (``docs/`` in the repo)."""
    return package_path(SITE_DOCS_PACKAGE)


def site_config() -> Path:
    """The site's base MkDocs configuration (``docs/mkdocs-base.yml`` in the repo)."""
    return package_path(SITE_DOCS_PACKAGE, SITE_CONFIG_NAME)
