"""YAML files a user writes (sources, curated facts, a steward's decisions), read safely.

One loader for all of them: PyYAML's safe loader (no Python objects), a cap on aliases (a few
hundred bytes of nested aliases can otherwise expand into gigabytes once the data is walked), and
the line each top-level list entry starts on, so messages can point the user at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from kb.errors import KbError

#: Aliases (``*name``) one file may use; real files of this product use none.
MAX_ALIASES = 50


class YamlSyntaxError(KbError):
    """The text is not valid YAML, or uses too many aliases; the message says where."""


@dataclass
class ParsedYaml:
    """The data of a YAML text and its node tree, which knows the line of every entry."""

    data: Any
    node: Node | None = None

    def item_lines(self, key: str | None = None) -> list[int]:
        """The line (1-based) each entry of the top-level list starts on, or of the list under
        ``key`` of a top-level mapping; empty when there is no such list."""
        node = self.node
        if key is not None:
            pairs = node.value if isinstance(node, MappingNode) else []
            node = next((v for k, v in pairs if getattr(k, "value", None) == key), None)
        if not isinstance(node, SequenceNode):
            return []
        return [child.start_mark.line + 1 for child in node.value]


class _CountingLoader(yaml.SafeLoader):
    """The safe loader, refusing a document with more than ``max_aliases`` aliases."""

    max_aliases = MAX_ALIASES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            self.aliases += 1
            if self.aliases > self.max_aliases:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(
                    f"more than {self.max_aliases} aliases at line {mark.line + 1}: "
                    "refused (aliases can blow a small file up)"
                )
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


def parse_yaml(text: str, *, max_aliases: int = MAX_ALIASES) -> ParsedYaml:
    """Parse ``text`` with the safe loader; raise :class:`YamlSyntaxError` with line and column."""
    loader = _CountingLoader(text)
    loader.max_aliases = max_aliases
    try:
        # Compose first so each list entry keeps the line it starts on (yaml.safe_load does the
        # same construction, but forgets the lines).
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlSyntaxError(f"YAML syntax error{where}: {problem}") from None
    finally:
        loader.dispose()
    return ParsedYaml(data, node)
