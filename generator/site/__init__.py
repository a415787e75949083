"""The static documentation site: Markdown pages from the graph, built with MkDocs."""
