"""The ontology, SKOS concept schemes and SHACL shapes (Turtle), installed as package data.

This folder is the package ``kb.ontology`` (see ``[tool.setuptools.package-dir]`` in
pyproject.toml), so an installed ``kb`` finds it through :mod:`importlib.resources`; use
:func:`kb.resources.ontology_dir`.
"""
