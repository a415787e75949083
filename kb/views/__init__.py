"""The read model of the graph: plain dataclasses for the CLI, the server, the site and Word.

One module per subject: :mod:`~kb.views.segments`, :mod:`~kb.views.plans`,
:mod:`~kb.views.budget`, :mod:`~kb.views.organisations`, :mod:`~kb.views.glossary`,
:mod:`~kb.views.documents`, :mod:`~kb.views.choices`; vocabulary labels from the graph's SKOS
schemes in :mod:`~kb.views.vocabulary`; finding an entity, plan or segment by name in
:mod:`~kb.views.lookup`; entity cards in :mod:`~kb.views.entities`; the site's bundle in
:mod:`~kb.views.site`.
"""
