"""Linked data on the site: each entity's description beside its page, and the DCAT record.

Every entity page ``<page>.md`` gets ``<page>.ttl`` and ``<page>.jsonld`` beside it (the
entity's description from :func:`kb.views.describe.describe`). ``catalogus.ttl`` at the site's
root describes the dataset, its graph dump and the SPARQL endpoint with DCAT, in the fields
DCAT-AP-NL asks for; ``ontology/dcat-shapes.ttl`` holds the shapes it is checked with.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from generator.site.links import DATA_FORMATS, data_files, entity_of_page
from kb.rdf.namespaces import KB
from kb.settings import Settings
from kb.views.describe import DESCRIBE_BATCH, describe_many

log = logging.getLogger(__name__)

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
#: The file name of the DCAT record at the site's root (served as ``/catalogus.ttl``).
CATALOGUE_FILE = "catalogus.ttl"
#: The graph dump copied into the site and named as the dataset's distribution.
DUMP_FILE = "graph.nt"
#: IRIs of the catalogue, the dataset and the SPARQL service (stable between builds).
CATALOGUE_IRI = URIRef("https://w3id.org/jeugdhulp-kb/catalogus")
DATASET_IRI = URIRef("https://w3id.org/jeugdhulp-kb/dataset")
SERVICE_IRI = URIRef("https://w3id.org/jeugdhulp-kb/sparql-service")
#: Access rights (EU authority table) and theme (the government's OWMS theme list).
ACCESS_PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
THEME = URIRef("http://standaarden.overheid.nl/owms/terms/Zorg_en_gezondheid")


def entity_data(graph: Graph, pages: Iterable[str]) -> dict[str, bytes]:
    """The linked-data files of every entity page among ``pages``: docs-relative path → bytes."""
    files, _keys = entity_data_reusing(graph, pages, None)
    return {path: data for path, data in files.items() if isinstance(data, bytes)}


@dataclass(frozen=True)
class PreviousEntityData:
    """The entity data files of the release a build follows: per entity page the key of the
    description they were serialized from (:func:`description_key`), and where they are."""

    keys: Mapping[str, str]
    #: Docs-relative path of a data file → that file in the previous release.
    locate: Callable[[str], Path]


def entity_data_reusing(
    graph: Graph, pages: Iterable[str], previous: PreviousEntityData | None
) -> tuple[dict[str, bytes | Path], dict[str, str]]:
    """:func:`entity_data`, taking the files of an entity whose description is unchanged from
    the ``previous`` release (as a path to copy) instead of serializing it again; with the key
    of every page's description, for the next build.

    Serializing Turtle and JSON-LD is most of the site's linked-data cost (13,000 files at 50×
    the bundled corpus) while adding a document changes few descriptions."""
    files: dict[str, bytes | Path] = {}
    keys: dict[str, str] = {}
    entity_pages = [(page, iri) for page in pages if (iri := entity_of_page(page)) is not None]
    descriptions: dict[str, Graph] = {}
    for n, (page, iri) in enumerate(entity_pages):
        if n % DESCRIBE_BATCH == 0:  # a batch at a time: one query each, bounded memory
            batch = entity_pages[n : n + DESCRIBE_BATCH]
            descriptions = describe_many(graph, [i for _p, i in batch])
        description = descriptions[iri]
        key = keys[page] = description_key(description)
        same = previous is not None and previous.keys.get(page) == key
        for suffix, path in data_files(page).items():
            old = previous.locate(path) if same and previous is not None else None
            if old is not None and old.is_file():
                files[path] = old
            else:
                files[path] = serialize(description, DATA_FORMATS[suffix])
    return files, keys


def description_key(description: Graph) -> str:
    """A hash of a description's triples and of what turns them into files (this module's and
    the prefix table's code, rdflib's version): equal keys give equal files."""
    digest = hashlib.sha256(_serializer_salt())
    for line in sorted(" ".join(term.n3() for term in triple) for triple in description):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _serializer_salt() -> bytes:
    import rdflib

    from kb.rdf import namespaces

    digest = hashlib.sha256(rdflib.__version__.encode())
    for module in (__file__, namespaces.__file__):
        digest.update(Path(module).read_bytes())
    return digest.digest()


def serialize(graph: Graph, fmt: str) -> bytes:
    """``graph`` in rdflib format ``fmt`` as UTF-8 bytes; JSON-LD in a fixed order."""
    text = graph.serialize(format=fmt, encoding="utf-8")
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if fmt in ("json-ld", "application/ld+json"):
        data = _ordered_json_ld(data)
    return data


def _ordered_json_ld(data: bytes) -> bytes:
    """The JSON-LD document with its nodes sorted by ``@id`` and each property's values sorted.

    rdflib writes nodes and values in the order of a set, which differs between processes: the
    same description would be a different file on every build (and an incremental site could
    not tell an unchanged page from a changed one). Without ``@list``, JSON-LD values are
    unordered, so sorting changes nothing the document says."""

    def key(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def ordered(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: v if k == "@list" else ordered(v) for k, v in node.items()}
        if isinstance(node, list):
            return sorted((ordered(v) for v in node), key=key)
        return node

    document = json.loads(data)
    return json.dumps(ordered(document), indent=2, ensure_ascii=False).encode("utf-8")


def catalogue(graph: Graph, settings: Settings, *, now: datetime | None = None) -> Graph:
    """The DCAT record of the dataset built from ``graph`` (see the module docstring)."""
    now = now or datetime.now(UTC)
    base = settings.public_url if settings.public_url.endswith("/") else settings.public_url + "/"
    out = Graph()
    out.bind("dcat", DCAT)
    out.bind("dct", DCTERMS)
    out.bind("vcard", VCARD)
    out.bind("foaf", FOAF)
    stamp = Literal(now.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    title = Literal("Kennisbank inkoop jeugdhulp", lang="nl")
    out.add((CATALOGUE_IRI, RDF.type, DCAT.Catalog))
    out.add((CATALOGUE_IRI, DCTERMS.title, Literal("Catalogus kennisbank inkoop jeugdhulp", "nl")))
    out.add(
        (
            CATALOGUE_IRI,
            DCTERMS.description,
            Literal("De datasets en diensten van de kennisbank inkoop jeugdhulp.", lang="nl"),
        )
    )
    out.add((CATALOGUE_IRI, DCAT.dataset, DATASET_IRI))
    out.add((CATALOGUE_IRI, DCAT.service, SERVICE_IRI))
    out.add((CATALOGUE_IRI, DCTERMS.modified, stamp))

    d = DATASET_IRI
    out.add((d, RDF.type, DCAT.Dataset))
    out.add((d, DCTERMS.title, title))
    out.add(
        (
            d,
            DCTERMS.description,
            Literal(
                "Kennisgraaf over de inkoop van jeugdhulp door gemeenten en regio's: segmenten, "
                "doelgroepen, inkoopinstrumenten, planning en financiën, elk feit met de passage "
                f"en het citaat waaruit het komt. {len(graph)} triples.",
                lang="nl",
            ),
        )
    )
    out.add((d, DCTERMS.identifier, Literal(str(DATASET_IRI))))
    out.add((d, DCAT.theme, THEME))
    out.add((d, DCTERMS.accessRights, ACCESS_PUBLIC))
    out.add((d, DCTERMS.issued, stamp))
    out.add((d, DCTERMS.modified, stamp))
    out.add(
        (
            d,
            DCTERMS.language,
            URIRef("http://publications.europa.eu/resource/authority/language/NLD"),
        )
    )
    out.add((d, DCTERMS.conformsTo, URIRef(str(KB)[:-1])))
    for node in (CATALOGUE_IRI, d, SERVICE_IRI):
        _publisher_and_contact(out, node, settings)

    dump = URIRef(base + DUMP_FILE)
    out.add((d, DCAT.distribution, dump))
    out.add((dump, RDF.type, DCAT.Distribution))
    out.add((dump, DCTERMS.title, Literal("De volledige kennisgraaf (N-Triples)", lang="nl")))
    out.add((dump, DCAT.accessURL, dump))
    out.add((dump, DCAT.downloadURL, dump))
    out.add(
        (
            dump,
            DCAT.mediaType,
            URIRef("https://www.iana.org/assignments/media-types/application/n-triples"),
        )
    )
    out.add((dump, DCTERMS.modified, stamp))

    endpoint = URIRef(base + "api/sparql")
    sparql = URIRef(base + "api/sparql#distributie")
    out.add((d, DCAT.distribution, sparql))
    out.add((sparql, RDF.type, DCAT.Distribution))
    out.add((sparql, DCTERMS.title, Literal("SPARQL-endpoint op de kennisgraaf", lang="nl")))
    out.add((sparql, DCAT.accessURL, endpoint))
    out.add((sparql, DCAT.accessService, SERVICE_IRI))

    s = SERVICE_IRI
    out.add((s, RDF.type, DCAT.DataService))
    out.add((s, DCTERMS.title, Literal("SPARQL-endpoint kennisbank inkoop jeugdhulp", lang="nl")))
    out.add((s, DCAT.endpointURL, endpoint))
    out.add((s, DCAT.endpointDescription, endpoint))
    out.add((s, DCAT.servesDataset, d))
    out.add((s, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    out.add((s, DCTERMS.accessRights, ACCESS_PUBLIC))
    return out


def _publisher_and_contact(out: Graph, node: URIRef, settings: Settings) -> None:
    if settings.publisher:
        out.add((node, DCTERMS.publisher, URIRef(settings.publisher)))
    if settings.contact_email:
        contact = BNode()
        out.add((node, DCAT.contactPoint, contact))
        out.add((contact, RDF.type, VCARD.Kind))
        out.add((contact, VCARD.fn, Literal("Beheer kennisbank inkoop jeugdhulp", lang="nl")))
        email = settings.contact_email.removeprefix("mailto:")
        out.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))


def catalogue_warnings(settings: Settings) -> list[str]:
    """What the DCAT record lacks because a setting is unset (DCAT-AP-NL asks for both)."""
    missing = []
    if not settings.publisher:
        missing.append(
            "publisher (KB_PUBLISHER, a TOOI IRI) is not set: catalogus.ttl has no publisher"
        )
    if not settings.contact_email:
        missing.append(
            "contact_email (KB_CONTACT_EMAIL) is not set: catalogus.ttl has no contact point"
        )
    return missing
