"""Every namespace and IRI base the project uses, in one place (never write IRIs inline)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

#: The project's own ontology (classes and properties).
KB = Namespace("https://w3id.org/jeugdhulp-kb/def#")
#: Instance data: documents, passages, segments, concepts, budget lines …
KBI = Namespace("https://w3id.org/jeugdhulp-kb/id/")
#: SHACL shapes.
KBSH = Namespace("https://w3id.org/jeugdhulp-kb/shapes#")

OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
SH = Namespace("http://www.w3.org/ns/shacl#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

#: TOOI identifiers of Dutch municipalities (``TOOI_GEMEENTE["gm0546"]`` is Leiden).
TOOI_GEMEENTE = Namespace("https://identifier.overheid.nl/tooi/id/gemeente/")
#: The Jeugdwet on wetten.overheid.nl.
JEUGDWET = "https://wetten.overheid.nl/BWBR0034925"

#: Concept schemes (SKOS) the ontology ships.
SCHEME_INSTRUMENTS = KBI["scheme/inkoopinstrumenten"]
SCHEME_FUNDING = KBI["scheme/bekostigingsvormen"]
SCHEME_PURCHASING = KBI["scheme/inkoopmodellen"]
SCHEME_IJW = KBI["scheme/ijw-productcategorieen"]
SCHEME_GLOSSARY = KBI["scheme/begrippenkader"]
SCHEME_RUBRICS = KBI["scheme/rubrieken"]
SCHEME_CHOICE_ASPECTS = KBI["scheme/keuze-aspecten"]
SCHEME_DOCUMENT_TYPES = KBI["scheme/documenttypen"]

PREFIXES: dict[str, Namespace | type[DefinedNamespace] | str] = {
    "kb": KB,
    "kbi": KBI,
    "kbsh": KBSH,
    "oa": OA,
    "org": ORG,
    "schema": SCHEMA,
    "time": TIME,
    "sh": SH,
    "skos": SKOS,
    "dct": DCTERMS,
    "prov": PROV,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "tooi": TOOI_GEMEENTE,
}


def bind_prefixes(graph) -> None:  # type: ignore[no-untyped-def]
    """Bind the project's prefixes on an rdflib graph (for readable Turtle and SPARQL)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def sparql_prefixes() -> str:
    """The PREFIX header every query of the project starts with."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def compact(iri: str) -> str:
    """``https://w3id.org/jeugdhulp-kb/id/segment/x`` → ``kbi:segment/x``."""
    best = ""
    for prefix, ns in PREFIXES.items():
        base = str(ns)
        if iri.startswith(base) and len(base) > len(best):
            best, name = base, prefix
    return f"{name}:{iri[len(best) :]}" if best else iri
