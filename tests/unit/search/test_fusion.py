"""The score scaling of the default fusion: each retriever relative to its own top ``depth``."""

from __future__ import annotations

import numpy as np

from kb.search.searcher import scale_to_depth


def test_best_is_one_and_only_the_depth_best_are_above_zero() -> None:
    scores = np.array([0.9, 0.5, 0.8, 0.7, 0.6], dtype=np.float32)
    out = scale_to_depth(scores, np.ones(5, dtype=bool), depth=2)
    # best 0.9 → 1, the 2nd best 0.8 → 0.5; the 3rd best 0.7 → 0, and below it clipped to 0
    assert np.allclose(out, [1.0, 0.0, 0.5, 0.0, 0.0])


def test_scale_does_not_depend_on_the_far_away_minimum() -> None:
    top = np.array([0.86, 0.85, 0.84, 0.83], dtype=np.float32)
    near = scale_to_depth(np.r_[top, 0.80], np.ones(5, dtype=bool), depth=3)
    far = scale_to_depth(np.r_[top, -5.0], np.ones(5, dtype=bool), depth=3)
    assert np.allclose(near[:4], far[:4])
    assert near[0] - near[1] > 0.3  # bunched cosines keep their differences among candidates


def test_mask_sets_the_scale_and_short_lists_fall_back_to_min_max() -> None:
    scores = np.array([5.0, 3.0, 1.0, 0.0], dtype=np.float32)
    mask = np.array([False, True, True, True])
    out = scale_to_depth(scores, mask, depth=20)
    assert np.isclose(out[1], 1.0) and np.isclose(out[3], 0.0) and np.isclose(out[2], 1 / 3)


def test_flat_or_empty_scores_give_zeros() -> None:
    assert not scale_to_depth(np.zeros(4), np.ones(4, dtype=bool), 2).any()
    assert not scale_to_depth(np.ones(3), np.zeros(3, dtype=bool), 2).any()
    assert not scale_to_depth(np.array([2.0]), np.ones(1, dtype=bool), 5).any()
