"""SPARQL helpers shared by the read model: rows as plain Python values, safe IRI terms."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal

from kb.errors import KbError
from kb.rdf.store import query


class ViewError(KbError):
    """A value handed to the read model cannot be used in a query (the message says which)."""


def plain(value: Any) -> Any:
    """rdflib term → plain Python (str, int, Decimal, float, bool) or None; dates stay strings."""
    if value is None:
        return None
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, bool | int | Decimal | float):
            return py
        return str(value)
    return str(value)


def rows(graph: Graph, sparql: str) -> list[dict[str, Any]]:
    """The result rows of ``sparql`` as dicts of plain values (unbound → None)."""
    result = query(graph, sparql)
    names = [str(v) for v in result.vars]
    return [{n: plain(row[i]) for i, n in enumerate(names)} for row in result]


#: What :func:`iri` accepts: no character that could end or break an IRI reference.
IRI_TEXT = re.compile(r"[^<>\"{}|^`\\\s]+")


def iri(value: str) -> str:
    """``<value>`` for use inside a query; anything that is not an IRI is refused."""
    if not IRI_TEXT.fullmatch(str(value)):
        raise ViewError(f"not an IRI: {value!r}")
    return f"<{value}>"


def to_int(value: Any) -> int | None:
    """``int(value)`` or None."""
    return None if value is None else int(value)


def to_dec(value: Any) -> Decimal | None:
    """``Decimal(value)`` (through str, so floats keep their printed digits) or None."""
    return None if value is None else Decimal(str(value))


def to_str(value: Any) -> str:
    """``str(value)`` or the empty string."""
    return "" if value is None else str(value)


def local_name(value: str) -> str:
    """The last path segment (or fragment) of an IRI: ``…/rubrieken/doelgroep`` → doelgroep."""
    return re.split(r"[/#]", str(value))[-1]
