"""Renders the knowledge graph: Word documents and site pages (context queries → render)."""
