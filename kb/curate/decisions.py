"""The steward's decisions file: reading it safely, with the file and line in every message.

One YAML list, one entry per proposed fact (as :func:`kb.curate.suggest.write_proposals` writes
it)::

    - id: 2024-05-01_regio_brief/p/3/contract_duration/57
      kind: contract_duration
      value: 4+2 jaar              # the value as written; the steward may correct it
      normalised: P4Y (+P2Y)       # for reading only
      quote: "De contracten hebben een looptijd van 4+2 jaar."
      document: 2024-05-01_regio_brief.md
      passage: 2024-05-01_regio_brief/p/3
      rule: contract_duration-cue
      decision:                    # accept | reject (empty: not decided yet)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import KbError
from kb.yamlfile import YamlSyntaxError, parse_yaml

#: The file :func:`kb.curate.suggest` writes in the curated folder, and the files a build reads.
PROPOSALS_FILE = "voorstellen.yaml"
PROPOSALS_GLOB = "voorstellen*.yaml"
ACCEPT = "accept"
REJECT = "reject"
DECISIONS = (ACCEPT, REJECT)
REQUIRED = ("id", "kind", "quote", "document")
KNOWN = (*REQUIRED, "value", "normalised", "passage", "rule", "decision")


class DecisionError(KbError):
    """A decisions file that cannot be read: the message names the file and the line."""


@dataclass(frozen=True)
class Decision:
    """One entry of a decisions file (``decision`` is None while undecided)."""

    id: str
    kind: str
    quote: str
    document: str
    value: str = ""
    normalised: str = ""
    passage: str = ""
    rule: str = ""
    decision: str | None = None
    source: Path | None = None
    line: int = 0

    @property
    def where(self) -> str:
        """``<file> line <n>`` for messages."""
        name = self.source.name if self.source else "?"
        return f"{name} line {self.line}"

    def to_dict(self) -> dict[str, Any]:
        """The entry as written to YAML (in this key order)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "normalised": self.normalised,
            "quote": self.quote,
            "document": self.document,
            "passage": self.passage,
            "rule": self.rule,
            "decision": self.decision,
        }


def decision_files(folder: Path | None) -> list[Path]:
    """The decisions files of a curated folder, in a stable order (none if it is None)."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob(PROPOSALS_GLOB))


def load_decisions(path: Path) -> tuple[list[Decision], list[str]]:
    """The entries of a decisions file and a message per entry that was left out.

    Loaded with PyYAML's safe loader. Raises :class:`DecisionError` naming the file (and the line
    and column) when it cannot be read, is not YAML or is not a list; an entry with a missing
    field or an unknown decision is left out with a message naming the file and its line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DecisionError(f"{path}: cannot read decisions file: {exc}") from None
    try:
        parsed = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise DecisionError(f"{path}: {exc}") from None
    data = parsed.data
    if data is None:
        return [], []
    if not isinstance(data, list):
        raise DecisionError(f"{path}: expected a list of proposals, found {type(data).__name__}")
    entries: list[Decision] = []
    problems: list[str] = []
    for line, raw in zip(parsed.item_lines(), data, strict=True):
        label = f"{path.name} line {line}"
        if not isinstance(raw, dict):
            problems.append(f"{label}: expected a mapping with id, kind, quote and document")
            continue
        missing = [k for k in REQUIRED if not str(raw.get(k) or "").strip()]
        if missing:
            problems.append(f"{label}: missing field(s) {', '.join(missing)}; entry skipped")
            continue
        unknown = sorted(set(map(str, raw)) - set(KNOWN))
        if unknown:
            problems.append(f"{label}: unknown field(s) {', '.join(unknown)} ignored")
        decision = raw.get("decision")
        decision = str(decision).strip().lower() if decision is not None else None
        if decision == "":
            decision = None
        if decision is not None and decision not in DECISIONS:
            problems.append(
                f"{label}: decision {raw.get('decision')!r} is not one of "
                f"{', '.join(DECISIONS)}; left undecided"
            )
            decision = None
        entries.append(
            Decision(
                id=str(raw["id"]).strip(),
                kind=str(raw["kind"]).strip(),
                quote=str(raw["quote"]),
                document=str(raw["document"]).strip(),
                value="" if raw.get("value") is None else str(raw["value"]).strip(),
                normalised=str(raw.get("normalised") or ""),
                passage=str(raw.get("passage") or ""),
                rule=str(raw.get("rule") or ""),
                decision=decision,
                source=path,
                line=line,
            )
        )
    return entries, problems
