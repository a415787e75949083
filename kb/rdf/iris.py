"""IRIs of things outside the project's own namespace, minted in one place.

The project's instance IRIs (``kbi:…``) are minted by the helpers in :mod:`kb.extract.common`;
this module holds the functions for national identifiers the graph links to.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from kb.errors import KbError
from kb.rdf.namespaces import TOOI_GEMEENTE

_CBS_RE = re.compile(r"^(?:GM|gm)?(\d{4})$")


class IdentifierError(KbError):
    """A code cannot be turned into a national identifier; the message names the code."""


def tooi_municipality_iri(cbs_code: str) -> URIRef:
    """The TOOI identifier of a municipality from its CBS code.

    Accepts the four digits (``"0546"``) or the register form (``"GM0546"``):
    ``https://identifier.overheid.nl/tooi/id/gemeente/gm0546``.
    """
    match = _CBS_RE.match(cbs_code.strip())
    if not match:
        raise IdentifierError(f"CBS municipality code {cbs_code!r}: expected 4 digits or GMnnnn")
    return TOOI_GEMEENTE[f"gm{match.group(1)}"]
