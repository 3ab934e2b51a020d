"""Why the clipping tests check "200% on 1920×1080" as a 960×540 window in the test process.

With ``QT_SCALE_FACTOR=2`` Qt draws every logical pixel as two, and lays windows out in logical
pixels with the same font metrics and style sizes as at 100%. This checks that claim in a fresh
process: the same button measures the same at 1 and at 2, drawn at twice the device pixels.
"""

from __future__ import annotations

from tests.ui.clipping import scale_factor_metrics


def test_at_200_percent_a_window_lays_out_in_the_same_logical_pixels():
    normal, double = scale_factor_metrics("1"), scale_factor_metrics("2")
    assert normal["ratio"] == 1 and double["ratio"] == 2
    assert double["hint"] == normal["hint"] and double["text"] == normal["text"]
