"""Curation by a data steward: proposed facts out as reviewable YAML, decisions back in.

The prose patterns (:mod:`kb.extract.prose`) propose facts (``kb:ProposedFact``, status
"voorgesteld"). :func:`suggest` writes the proposals of a published build into a YAML file in the
curated folder beside the user's documents (``Settings.curated_folder``): one entry per proposed
fact with its id, kind, value, quote, document and passage, and an empty ``decision:``. The steward
writes ``accept`` or ``reject`` (and may correct ``value:``). The next build reads the decisions
(:func:`load_decisions`, used by :mod:`kb.extract.curated`): accepted facts become confirmed
(status "bevestigd", obtained by curation), rejected ones leave the graph and are not proposed
again. Running :func:`suggest` again keeps every decision already taken.
"""

from kb.curate.decisions import (
    ACCEPT,
    DECISIONS,
    PROPOSALS_FILE,
    PROPOSALS_GLOB,
    REJECT,
    Decision,
    DecisionError,
    decision_files,
    load_decisions,
)
from kb.curate.suggest import Proposal, SuggestResult, proposals_in_graph, suggest, write_proposals

__all__ = [
    "ACCEPT",
    "DECISIONS",
    "PROPOSALS_FILE",
    "PROPOSALS_GLOB",
    "REJECT",
    "Decision",
    "DecisionError",
    "Proposal",
    "SuggestResult",
    "decision_files",
    "load_decisions",
    "proposals_in_graph",
    "suggest",
    "write_proposals",
]
