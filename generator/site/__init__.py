"""The documentation site: graph → Markdown pages (Jinja2) → ``mkdocs build``."""
