"""One way to resolve a name: entities, plans and segments by label, id or IRI."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from kb.rdf.namespaces import KBI
from kb.rdf.store import StoreError
from kb.views.lookup import (
    Ambiguous,
    NotFound,
    expand,
    resolve_entity,
    resolve_plan,
    resolve_segment,
)
from kb.views.plans import load_plan

PLAN = str(KBI["document/plan-zuidhoek"])
TITLE = "Inkoopplan jeugdhulp Zuidhoek 2030"


def test_expand() -> None:
    assert expand("kbi:segment/zuidhoek/verblijf") == str(KBI["segment/zuidhoek/verblijf"])
    assert expand("https://example.org/x") == "https://example.org/x"
    assert expand("Verblijf") is None
    assert expand("onbekend:iets") is None


@pytest.mark.parametrize(
    "name", [TITLE, TITLE.upper(), "plan-zuidhoek", PLAN, "kbi:document/plan-zuidhoek"]
)
def test_resolve_plan(tiny: Graph, name: str) -> None:
    assert resolve_plan(tiny, name) == (PLAN, TITLE)


def test_unknown_plan_lists_the_known_ones(tiny: Graph) -> None:
    with pytest.raises(NotFound, match=rf"unknown plan 'Bestaat niet'; known plans: {TITLE}"):
        resolve_plan(tiny, "Bestaat niet")


def test_resolve_segment(tiny: Graph) -> None:
    verblijf = str(KBI["segment/zuidhoek/verblijf"])
    assert resolve_segment(tiny, "VERBLIJF") == verblijf  # unique across all plans
    assert resolve_segment(tiny, "kbi:segment/zuidhoek/verblijf") == verblijf
    # "Ambulant" exists in two regions: ambiguous without a plan, unique within one.
    with pytest.raises(Ambiguous, match="kbi:segment/kuststreek/ambulant"):
        resolve_segment(tiny, "Ambulant")
    assert resolve_segment(tiny, "ambulant", TITLE) == str(KBI["segment/zuidhoek/ambulant"])
    with pytest.raises(NotFound, match=r"known segments: .*Verblijf \(verblijf\)"):
        resolve_segment(tiny, "Zwemmen", PLAN)


def test_plan_segment_uses_the_same_rules(tiny: Graph) -> None:
    plan = load_plan(tiny, PLAN)
    assert plan.segment("AMBULANT").iri == str(KBI["segment/zuidhoek/ambulant"])
    with pytest.raises(NotFound, match=f"unknown segment 'Zwemmen' in '{TITLE}'"):
        plan.segment("Zwemmen")


def test_resolve_entity(tiny: Graph) -> None:
    # An exact label wins over partial matches ("Verblijf" is also inside other labels).
    assert resolve_entity(tiny, "wijkteam") == URIRef(KBI["stakeholder/wijkteam"])
    assert resolve_entity(tiny, "kbi:municipality/betastad") == URIRef(KBI["municipality/betastad"])
    with pytest.raises(NotFound, match="no entity named 'ruimtevaart'"):
        resolve_entity(tiny, "ruimtevaart")
    with pytest.raises(NotFound, match="no entity with IRI"):
        resolve_entity(tiny, "kbi:segment/nergens")
    with pytest.raises(Ambiguous, match="matches 2 entities"):
        resolve_entity(tiny, "Ambulant")


def test_lookup_errors_are_store_errors() -> None:
    # The CLI and the server turn StoreErrors into messages; lookup errors must be among them.
    assert issubclass(NotFound, StoreError) and issubclass(Ambiguous, StoreError)
