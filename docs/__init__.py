"""The documentation site's own sources, installed as the package ``generator.site.docs``.

This folder holds the hand-written pages (Markdown), their assets and the site's base MkDocs
configuration (``mkdocs-base.yml``). It is a package only so that an installed ``kb`` finds it
through :mod:`importlib.resources` (:func:`kb.resources.site_docs_dir`); the site build copies it
into ``<release>/site-src/docs/`` beside the generated pages, and MkDocs skips this file.
"""
