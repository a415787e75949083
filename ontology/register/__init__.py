"""The national municipality register (CSV) with other names, former municipalities and names
that are also ordinary Dutch words, installed as package data ``kb.ontology.register``.

Read through :func:`kb.extract.municipalities.load_register`; see ``README.md`` here for the
source, the state it holds and how to update it.
"""
