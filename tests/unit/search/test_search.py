"""Search on tiny invented passages with the hashing embedder: no model, no corpus, fast."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from kb.index.build import build_index
from kb.index.embed import HashingEmbedder
from kb.index.lexical import DUTCH_STOPWORDS, Analyzer, LexicalIndex, content_words, stem
from kb.index.records import Entity, Record
from kb.search.evaluate import answers, metrics, normalise
from kb.search.searcher import Searcher, SearchError, highlight, validate_query

SEG = "https://w3id.org/jeugdhulp-kb/id/segment/test/wonen"
REG = "https://w3id.org/jeugdhulp-kb/id/region/testregio"
PXQ = "https://w3id.org/jeugdhulp-kb/id/concept/bekostigingsvormen/pxq"


def rec(
    doc: str,
    n: int,
    text: str,
    path: list[str],
    *,
    segments=(),
    region="Testregio",
    doc_type="inkoopplan",
    year=2020,
    entities=(),
) -> Record:
    return Record(
        id=f"{doc}/p/{n:04d}",
        iri=f"https://w3id.org/jeugdhulp-kb/id/passage/{doc}/{n:04d}",
        doc_id=doc,
        doc_iri=f"https://w3id.org/jeugdhulp-kb/id/document/{doc}",
        doc_title=f"Plan {doc}",
        doc_type=doc_type,
        year=year,
        region=region,
        region_iri=REG,
        section_id=f"{doc}/s/{n}",
        section_path=list(path),
        start=n * 100,
        end=n * 100 + len(text),
        text=text,
        segments=list(segments),
        rubric=path[-1] if path else "",
        entities=list(entities),
        doc_hash=f"hash-{doc}",
    )


def corpus(plan_text: str = "Voor dit segment geldt PxQ met budgetplafonds.") -> list[Record]:
    seg = {"iri": SEG, "label": "Wonen", "type": "segment"}
    return [
        rec(
            "plan",
            1,
            plan_text,
            ["SEGMENT 2: WONEN", "Bekostigingsmodel"],
            segments=["Wonen"],
            entities=[seg],
        ),
        rec(
            "plan",
            2,
            "De jeugdhulpaanbieders leveren zorg in een woonvoorziening.",
            ["SEGMENT 2: WONEN", "Huidig landschap"],
            segments=["Wonen"],
            entities=[seg],
        ),
        rec(
            "plan",
            3,
            "Crisishulp is altijd beschikbaar, dag en nacht.",
            ["SEGMENT 6: CRISIS", "Doelgroep"],
            segments=["Crisis"],
        ),
        rec(
            "memo",
            1,
            "De aanbieders vragen om langere contracten en minder administratie.",
            ["Risico's"],
            doc_type="memo",
            year=2018,
        ),
        rec(
            "memo",
            2,
            "Het budget van Katwijk stijgt in 2024 naar vijftien miljoen.",
            ["Financieel kader"],
            doc_type="memo",
            year=2018,
            region="Andere regio",
        ),
    ]


def tiny_index(
    tmp_path: Path, records: list[Record], entities: list[Entity], **settings: float
) -> SimpleNamespace:
    """An index of ``records`` built with the hashing embedder: settings, folder, embedder."""
    ns = SimpleNamespace(build_dir=tmp_path / "build", **settings)
    release = tmp_path / "build" / "releases" / "r1"
    release.mkdir(parents=True)
    emb = HashingEmbedder()
    build_index(release, ns, embedder=emb, records=records, entities=entities)
    return SimpleNamespace(settings=ns, dir=release / "index", emb=emb)


ENTITIES = [
    Entity(SEG, "segment", "Wonen"),
    Entity(REG, "region", "Testregio"),
    Entity(PXQ, "concept", "inspanningsgerichte bekostiging", alt_labels=["PxQ"]),
]


@pytest.fixture()
def env(tmp_path: Path):
    settings = SimpleNamespace(build_dir=tmp_path / "build", dense_weight=0.3)
    release = tmp_path / "build" / "releases" / "r1"
    release.mkdir(parents=True)
    emb = HashingEmbedder()
    stats = build_index(release, settings, embedder=emb, records=corpus(), entities=ENTITIES)
    return SimpleNamespace(settings=settings, release=release, emb=emb, stats=stats, tmp=tmp_path)


# ---------------------------------------------------------------- Dutch text analysis
def test_stopwords_are_dutch_not_english() -> None:
    assert {"de", "het", "een", "van", "welke", "wat"} <= DUTCH_STOPWORDS
    assert "the" not in DUTCH_STOPWORDS and "jeugdhulp" not in DUTCH_STOPWORDS
    assert content_words("Wat is de bekostiging van het segment?") == ["bekostiging", "segment"]


def test_dutch_snowball_stemmer() -> None:
    assert stem("contracten") == stem("contract")
    assert stem("gemeenten") == stem("gemeente")


def test_decompounding_against_vocabulary() -> None:
    a = Analyzer(
        {"jeugdhulp", "aanbieders", "jeugd", "hulp", "woon", "voorziening", "bekostiging", "model"}
    )
    parts = a.split("jeugdhulpaanbieders")
    assert parts[:2] == ("jeugdhulp", "aanbieders") and {"jeugd", "hulp"} <= set(parts)
    assert a.split("woonvoorziening") == ("woon", "voorziening")
    assert a.split("bekostigingsmodel") == ("bekostiging", "model")  # linking s
    assert a.split("onbekendwoordje") == ()
    assert Analyzer(a.vocabulary, decompound=False).split("woonvoorziening") == ()
    # Both the compound and its parts are terms.
    terms = a.terms("woonvoorziening")
    assert stem("woonvoorziening") in terms and stem("voorziening") in terms


def test_compound_does_not_hide_match() -> None:
    texts = ["De jeugdhulpaanbieders leveren zorg.", "Aanbieders van onderwijs.", "Jeugdhulp hier."]
    index = LexicalIndex.build(texts)
    scores = index.scores("jeugdhulp")
    assert scores[0] > 0  # only as part of the compound
    assert LexicalIndex.build(texts, decompound=False).scores("jeugdhulp")[0] == 0
    assert LexicalIndex.build(texts).scores("aanbieders")[0] > 0


def test_lexical_index_save_load(tmp_path: Path) -> None:
    index = LexicalIndex.build(["eerste tekst over wonen", "tweede tekst over crisis"])
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert np.allclose(index.scores("crisis"), loaded.scores("crisis"))


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    e = HashingEmbedder(dim=64)
    a, b = e.encode_passages(["wonen en zorg"]), e.encode_passages(["wonen en zorg"])
    assert a.dtype == np.float32 and a.shape == (1, 64)
    assert np.allclose(a, b) and np.isclose(np.linalg.norm(a), 1.0)


# ---------------------------------------------------------------- search
def test_search_finds_and_annotates(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb)
    hits = s.search("Welke bekostiging geldt voor het segment Wonen?", top_k=3)
    assert hits[0].passage_id == "plan/p/0001"
    h = hits[0].to_dict()
    for key in (
        "text",
        "score",
        "document",
        "section",
        "start",
        "end",
        "entities",
        "passage_id",
        "document_id",
        "document_title",
        "section_path",
    ):
        assert key in h
    assert h["section"] == "SEGMENT 2: WONEN › Bekostigingsmodel"
    assert any(e["label"] == "Wonen" for e in h["entities"])


def test_footnote_text_is_searchable_and_shown(tmp_path: Path) -> None:
    records = corpus()
    records[3].footnotes = ["De TWO is de Tijdelijke Werkorganisatie Opdrachtgeverschap."]
    settings = SimpleNamespace(build_dir=tmp_path / "build", dense_weight=0.3)
    release = tmp_path / "build" / "releases" / "r1"
    release.mkdir(parents=True)
    emb = HashingEmbedder()
    build_index(release, settings, embedder=emb, records=records, entities=ENTITIES)
    hit = Searcher(release / "index", settings, embedder=emb).search("Werkorganisatie", top_k=1)[0]
    assert hit.passage_id == "memo/p/0001"
    assert hit.footnotes == records[3].footnotes
    assert "Tijdelijke Werkorganisatie" not in hit.text  # the passage text stays as written …
    assert answers(hit.full_text(), ["tijdelijke werkorganisatie opdrachtgeverschap"])  # … eval
    assert hit.to_dict()["footnotes"] == records[3].footnotes


class CountingEmbedder(HashingEmbedder):
    """Counts the queries it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def encode_queries(self, texts):  # type: ignore[no-untyped-def]
        self.queries.extend(texts)
        return super().encode_queries(texts)


@pytest.mark.parametrize("cache_size", [0, 2])
def test_query_vectors_are_cached_per_question(env, cache_size: int) -> None:
    emb = CountingEmbedder()
    settings = SimpleNamespace(**vars(env.settings), query_cache_size=cache_size)
    s = Searcher(env.release / "index", settings, embedder=emb)
    first = s.search("bekostiging wonen", top_k=3)
    again = s.search("bekostiging wonen", top_k=3)
    s.search("bekostiging wonen", top_k=1, segment="Wonen")
    assert [h.passage_id for h in first] == [h.passage_id for h in again]
    assert len(emb.queries) == (1 if cache_size else 3)
    s.search("crisis", top_k=1)
    s.search("katwijk", top_k=1)
    s.search("bekostiging wonen", top_k=1)  # pushed out by the two newer questions
    assert len(emb.queries) == (4 if cache_size else 6)


def test_abbreviation_links_and_expands(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb)
    linked = s.link("Waar wordt PxQ gebruikt?")
    assert [e.iri for e in linked] == [PXQ]
    assert s.link("pxq") == []  # abbreviations are case-sensitive
    fused, info = s.score("Waar wordt PxQ gebruikt?")
    assert "inspanningsgerichte bekostiging" in info["expansion"]


def test_kg_boost_prefers_linked_entity(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb, kg_boost=0.0)
    s.min_content_words = 0
    base, _ = s.score("zorg voor het segment wonen")
    s.kg_boost = 0.5
    boosted, info = s.score("zorg voor het segment wonen")
    # The boost is weighted by how specific the entity is: log(N / df) / log(N).
    df = len(s._rows_of_segment_label["wonen"])
    weight = np.log(s.n / df) / np.log(s.n)
    assert info["linked"] and boosted[1] - base[1] == pytest.approx(0.5 * weight, rel=1e-5)
    assert boosted[3] == pytest.approx(base[3])  # memo passage: no Wonen link


def test_linking_longest_name_wins_and_whole_words_only() -> None:
    from kb.search.linking import Linker

    broad = "https://w3id.org/jeugdhulp-kb/id/concept/test/bekostiging"
    narrow = "https://w3id.org/jeugdhulp-kb/id/concept/test/collectieve-bekostiging"
    linker = Linker(
        [
            Entity(broad, "concept", "Bekostiging", other_labels=["Funding model"]),
            Entity(narrow, "concept", "Collectieve bekostiging"),
            Entity(SEG, "segment", "Wonen"),
        ]
    )
    assert [e.iri for e in linker.link("Wat is collectieve bekostiging?", None)] == [narrow]
    assert {e.iri for e in linker.link("bekostiging voor wonen", None)} == {broad, SEG}
    assert linker.link("een woonvoorziening", None) == []  # no match inside another word
    assert [e.iri for e in linker.link("the funding model", None)] == [broad]  # English names
    # A passage holds names; each entity knows its own.
    held = linker.names("Over collectieve bekostiging in het segment Wonen.")
    assert held == linker.names_of[narrow] | linker.names_of[SEG]
    assert not held & linker.names_of[broad]  # the longer name wins here too


def test_entities_sharing_a_name_share_its_passages() -> None:
    """One name key per passage however many entities (a segment per region) carry the name,
    and every one of them links from a query."""
    from kb.search.linking import Linker

    segments = [
        Entity(f"https://w3id.org/jeugdhulp-kb/id/segment/r{i}/verblijf", "segment", "Verblijf")
        for i in range(50)
    ]
    linker = Linker([*segments, Entity(PXQ, "concept", "Bekostiging", alt_labels=["PxQ"])])
    assert linker.names("Jeugdhulp met verblijf, bekostigd in PxQ.") == {"verblijf", "=PxQ"}
    linked = linker.link("verblijf", None)
    assert {le.iri for le in linked} == {e.iri for e in segments}
    assert {le.name for le in linked} == {"verblijf"}


def test_expansion_adds_only_the_other_form_in_dutch(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb)
    _, info = s.score("Hoe werkt inspanningsgerichte bekostiging?")
    assert info["expansion"] == ["PxQ"]  # written-out name → its abbreviation
    _, info = s.score("Waar wordt PxQ gebruikt?")
    assert info["expansion"] == ["inspanningsgerichte bekostiging"]


def test_low_content_passages_are_scaled_down(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb, kg_boost=0.0)
    s.min_content_words = 0
    plain, _ = s.score("budget Katwijk")
    s.min_content_words = 50
    scaled, _ = s.score("budget Katwijk")
    assert np.all(scaled <= plain + 1e-6) and np.any(scaled < plain)


def test_fusion_weight_extremes(env) -> None:
    s = Searcher(
        env.release / "index", env.settings, embedder=env.emb, dense_weight=0.0, kg_boost=0
    )
    s.min_content_words = 0  # compare the pure fusion
    _, info = s.score("aanbieders contracten")
    fused, _ = s.score("aanbieders contracten")
    assert np.allclose(fused, info["lexical"])
    s.dense_weight = 1.0
    fused, info = s.score("aanbieders contracten")
    assert np.allclose(fused, info["dense"])
    s.fusion = "rrf"
    fused, _ = s.score("aanbieders contracten")
    assert fused.max() <= 2 / 61 + 1e-6


def test_filters(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb)
    assert {h.passage_id for h in s.search("zorg aanbieders", segment="Wonen")} <= {
        "plan/p/0001",
        "plan/p/0002",
    }
    assert all(h.doc_type == "memo" for h in s.search("aanbieders", doc_type="memo"))
    assert all(h.year == 2018 for h in s.search("aanbieders", year=2018))
    assert [h.passage_id for h in s.search("budget Katwijk", region="Andere regio")] == [
        "memo/p/0002"
    ]
    assert s.search("aanbieders", segment="Bestaat niet") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("?!?", "no words"),
        ("wat is het", "stopwords"),
        ("x" * 1001, "too long"),
        (None, "empty"),
    ],
)
def test_bad_queries(query, message) -> None:
    with pytest.raises(SearchError, match=message):
        validate_query(query)


def test_nonsense_query(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb)
    with pytest.raises(SearchError, match="none of the query's words"):
        s.search("xqzzv blorfs")
    with pytest.raises(SearchError, match="top_k"):
        s.search("wonen", top_k=0)


def test_highlight_by_stem() -> None:
    out = highlight("De contracten lopen af.", {stem("contract")})
    assert out == "De **contracten** lopen af."


# ---------------------------------------------------------------- index life cycle
def test_incremental_embeds_only_changed_passages(env) -> None:
    assert env.stats.embedded == 5 and env.stats.cached == 0
    release2 = env.tmp / "build" / "releases" / "r2"
    release2.mkdir()
    emb = HashingEmbedder()
    changed = corpus("Voor dit segment geldt nu een taakgerichte bekostiging.")
    changed[0].doc_hash = "hash-plan-v2"
    stats = build_index(release2, env.settings, embedder=emb, records=changed, entities=ENTITIES)
    assert (stats.embedded, stats.cached) == (1, 4)
    assert emb.passages_embedded == 1


def test_removed_document_disappears(env) -> None:
    release2 = env.tmp / "build" / "releases" / "r2"
    release2.mkdir()
    (env.tmp / "build" / "current").symlink_to(env.release)
    only_plan = [r for r in corpus() if r.doc_id == "plan"]
    stats = build_index(
        release2, env.settings, embedder=HashingEmbedder(), records=only_plan, entities=ENTITIES
    )
    assert stats.embedded == 0 and stats.removed_documents == ["memo"]
    s = Searcher(release2 / "index", env.settings, embedder=HashingEmbedder())
    assert all(
        h.document_id == "plan" for h in s.search("zorg budgetplafonds crisishulp", top_k=10)
    )


def test_model_mismatch_is_a_clear_error(env) -> None:
    with pytest.raises(SearchError, match="rebuild"):
        Searcher(
            env.release / "index", env.settings, embedder=HashingEmbedder(dim=128, name="other")
        )


def test_an_index_of_an_older_format_is_a_clear_error(env) -> None:
    import json

    manifest = env.release / "index" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["format"] = 1  # records whose mentions were entity IRIs
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SearchError, match=r"format 1.*kb index --rebuild"):
        Searcher(env.release / "index", env.settings, embedder=env.emb)


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchError, match="kb index"):
        Searcher(tmp_path, SimpleNamespace(build_dir=tmp_path), embedder=HashingEmbedder())


# ---------------------------------------------------------------- evaluation rule
def test_matching_rule() -> None:
    assert normalise("Wettelijk ‘gesloten  jeugdzorg’[bookmark: _Toc1] genoemd!") == (
        "wettelijk gesloten jeugdzorg genoemd"
    )
    assert answers("Het budget is 15.923.000 euro", ["15.923.000"])
    assert answers(
        "JeugdzorgPlus biedt wat wettelijk ‘gesloten jeugdzorg’ wordt genoemd",
        ["JeugdzorgPlus biedt wat wettelijk 'gesloten jeugdzorg' wordt genoemd"],
    )
    assert not answers("iets anders", ["budget"])
    recall, mrr = metrics([1, 3, None, 10])
    assert recall == {1: 0.25, 5: 0.5, 10: 0.75}
    assert mrr == pytest.approx((1 + 1 / 3 + 0.1) / 4)


def test_index_without_exportable_model_searches_with_its_own_embedder(env) -> None:
    from kb.index.format import read_manifest

    manifest = read_manifest(env.release / "index")
    assert env.stats.query_encoder == manifest["query_encoder"] == "torch"
    assert "no exportable model" in manifest["query_encoder_note"]
    assert not (env.release / "index" / "query-encoder").exists()


def test_kg_boost_does_not_push_down_passages_of_documents_without_facts(
    env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo has no facts about Wonen; a question that names Wonen but asks what the memo
    says keeps the memo first: a weakly matching plan passage cannot ride on its facts."""
    import kb.search.searcher as searcher_module

    s = Searcher(env.release / "index", env.settings, embedder=env.emb, kg_boost=3.0)
    s.min_content_words = 0
    query = "vragen aanbieders om langere contracten en minder administratie bij wonen"
    assert [le.label for le in s.link(query)] == ["Wonen"]
    assert s.search(query, top_k=1)[0].passage_id == "memo/p/0001"
    # Without the cap the boost would have put a plan passage first: the test can fail.
    monkeypatch.setattr(searcher_module, "MAX_BOOST_RATIO", 1e9)
    assert s.search(query, top_k=1)[0].document_id == "plan"


def test_fusion_modes(env) -> None:
    s = Searcher(env.release / "index", env.settings, embedder=env.emb, kg_boost=0)
    assert s.fusion == "depth"  # the default (settings.fusion)
    s.min_content_words = 0
    s.fusion_depth = 2
    fused, info = s.score("aanbieders contracten")
    # only each retriever's two best passages take part; the rest score 0
    assert (info["lexical"] > 0).sum() <= 2 and (info["dense"] > 0).sum() <= 2
    assert (fused > 0).sum() <= 4 and np.isclose(max(info["lexical"].max(), 1.0), 1.0)
    assert Searcher(env.release / "index", env.settings, embedder=env.emb, fusion="cc").fusion == (
        "minmax"
    )
    with pytest.raises(SearchError, match="unknown fusion"):
        Searcher(env.release / "index", env.settings, embedder=env.emb, fusion="best")


@pytest.mark.parametrize("index_type", ["flat", "hnsw"])
def test_dense_scores_are_each_passages_own_cosine(tmp_path: Path, index_type: str) -> None:
    """The flat index is scored as one matrix product over its vectors; each score must land on
    its own passage (and the HNSW path, which asks FAISS, gives the same for its top passages)."""
    settings = SimpleNamespace(build_dir=tmp_path / "b", dense_weight=1.0, index_type=index_type)
    release = tmp_path / "b" / "releases" / "r1"
    release.mkdir(parents=True)
    emb = HashingEmbedder()
    records = list(reversed(corpus()))  # rows in another order than the fixture's ids
    build_index(release, settings, embedder=emb, records=records, entities=ENTITIES)
    s = Searcher(release / "index", settings, embedder=emb)
    query = "aanbieders langere contracten"
    got = s._dense_scores(query, np.ones(s.n, dtype=bool))
    q = emb.encode_queries([query])[0]
    want = emb.encode_passages([r.indexed_text(with_header=True) for r in s.records]) @ q
    assert np.allclose(got, want, atol=1e-5)
    assert [r.id for r in s.records][int(np.argmax(got))] == "memo/p/0001"
