"""``kb curate suggest``: the proposed facts of a build as a reviewable YAML file.

Entries already in the file keep their decision (and the steward's corrected value); proposals
the build still makes that are not in the file are added undecided; undecided entries the build no
longer proposes are dropped. The file is written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from rdflib import Graph

from kb.curate.decisions import DECISIONS, Decision, load_decisions
from kb.files import write_atomic
from kb.views.facts import STATUS_PROPOSED, load_prose_facts

#: The comment at the top of the file: what the steward does with it.
HEADER = """\
# Voorgestelde feiten uit lopende tekst, ter controle door een beheerder.
# Proposed facts read from prose, for a data steward to review.
#
# Per entry: write `decision: accept` (the fact becomes confirmed, "bevestigd") or
# `decision: reject` (the fact leaves the knowledge base and is not proposed again).
# A wrong value may be corrected in `value:` before accepting. Leave `decision:` empty to
# decide later. The next `kb build` reads this file; `kb curate suggest` keeps every decision.
"""

#: A proposed fact is what :class:`Decision` records (an undecided one).
Proposal = Decision


@dataclass(frozen=True)
class SuggestResult:
    """What :func:`suggest` wrote: the file, new proposals, kept decisions, open entries."""

    path: Path
    added: int
    kept: int
    undecided: int
    problems: tuple[str, ...] = ()


def proposals_in_graph(graph: Graph) -> list[Proposal]:
    """Every fact of the graph that a prose pattern proposed and nobody decided on yet."""
    return [
        Decision(
            id=f.id,
            kind=f.kind,
            value=f.value,
            normalised=f.normalised,
            quote=f.quote,
            document=f.file_name,
            passage=f.passage.split("/passage/", 1)[-1],
            rule=f.rule,
        )
        for f in load_prose_facts(graph)
        if f.status == STATUS_PROPOSED
    ]


def write_proposals(path: Path, entries: list[Decision]) -> None:
    """Write the entries as YAML (an empty ``decision:`` for undecided ones), atomically."""
    body = yaml.safe_dump(
        [e.to_dict() for e in entries], allow_unicode=True, sort_keys=False, width=100
    )
    # An undecided entry shows an empty field for the steward to fill in, not "null".
    body = body.replace("  decision: null\n", "  decision:\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, HEADER + "\n" + (body if entries else ""))


def suggest(graph: Graph, path: Path) -> SuggestResult:
    """Write the proposals of ``graph`` to ``path``, keeping the decisions already in it.

    Raises :class:`kb.curate.DecisionError` when the existing file cannot be read (it is then
    left as it is).
    """
    earlier, problems = load_decisions(path) if path.is_file() else ([], [])
    decided = [e for e in earlier if e.decision in DECISIONS]
    # A proposal counts as decided by its id or, once the passage ids moved, by what it says.
    decided_ids = {e.id for e in decided}
    decided_quotes = {(e.document, e.kind, e.quote) for e in decided}
    open_before = {e.id: e for e in earlier if e.decision is None}
    added = 0
    fresh: list[Decision] = []
    for proposal in proposals_in_graph(graph):
        said = (proposal.document, proposal.kind, proposal.quote)
        if proposal.id in decided_ids or said in decided_quotes:
            continue  # decided before (an accepted one is confirmed, a rejected one gone)
        before = open_before.get(proposal.id)
        if before is None:
            added += 1
        # Keep a value the steward already corrected while undecided.
        fresh.append(
            proposal if before is None else replace(proposal, value=before.value or proposal.value)
        )
    entries = decided + fresh
    write_proposals(path, entries)
    return SuggestResult(
        path=path,
        added=added,
        kept=len(decided),
        undecided=len(fresh),
        problems=tuple(problems),
    )
