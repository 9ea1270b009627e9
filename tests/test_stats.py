"""Statistics against published worked examples and independent computations."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from warehouse.stats import (
    bh_adjust,
    bootstrap_means,
    compare_groups,
    diff_in_diff,
    hedges_g_interval,
    likert_shares,
    monetised_benefit,
    paired_change,
    roi,
    t_half_width,
)

# Lakens (2013), "Calculating and reporting effect sizes", Table 1: ten people rate two movies.
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


def test_paired_change_matches_lakens_2013():
    # Lakens reports t(9) = 4.74, d_z = 1.50, d_av = 1.13, g_av = 1.08 for Movie 1 vs Movie 2
    result = paired_change(pre=MOVIE_2, post=MOVIE_1)
    assert result.n == 10
    assert (result.mean_pre, result.mean_post, result.mean_change) == pytest.approx((7.7, 8.7, 1.0))
    assert result.d_z == pytest.approx(1.50, abs=0.005)
    assert result.g_av == pytest.approx(1.08, abs=0.005)
    # t = 4.74 with 9 df; CI = 1 +- t(0.975, 9) * sd / sqrt(10), sd of differences = sqrt(4 / 9)
    half = 2.2621571627 * math.sqrt(4 / 9) / math.sqrt(10)
    assert (result.ci_low, result.ci_high) == pytest.approx((1 - half, 1 + half))
    assert result.t_p == pytest.approx(0.00105387, rel=1e-4)


def test_wilcoxon_p_equals_exact_enumeration_of_signs():
    # no zeros and no ties: scipy's "auto" is exact for n <= 50; enumerate all 2^8 sign patterns independently
    pre = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]
    post = [11.5, 10.7, 14.1, 16.4, 13.2, 20.0, 22.6, 24.9]
    diffs = np.array(post) - np.array(pre)
    ranks = stats.rankdata(np.abs(diffs))
    observed = ranks[diffs > 0].sum()
    totals = [sum(r for r, s in zip(ranks, signs, strict=True) if s) for signs in itertools.product([0, 1], repeat=8)]
    mean_total = ranks.sum() / 2
    p_exact = np.mean([abs(t - mean_total) >= abs(observed - mean_total) for t in totals])
    assert paired_change(pre, post).wilcoxon_p == pytest.approx(p_exact)


def test_paired_change_with_one_person_has_no_spread_statistics():
    result = paired_change([3.0], [4.0])
    assert (result.n, result.mean_change) == (1, 1.0)
    assert all(math.isnan(v) for v in (result.ci_low, result.t_p, result.wilcoxon_p, result.d_z, result.g_av))


def test_paired_change_when_nobody_changed():
    result = paired_change([3.0, 4.0, 5.0], [3.0, 4.0, 5.0])
    assert (result.n, result.mean_change) == (3, 0.0)
    assert math.isnan(result.t_p) and math.isnan(result.wilcoxon_p) and math.isnan(result.d_z)


def test_paired_change_without_respondents():
    assert paired_change([], []).n == 0


def test_group_comparison_matches_lakens_2013_between_subjects():
    # the same ratings as two independent groups: Lakens reports t(18) = 2.52, d_s = 1.13, g_s = 1.08
    result = compare_groups(MOVIE_1, MOVIE_2)
    assert (result.n1, result.n2, result.difference) == (10, 10, pytest.approx(1.0))
    assert result.hedges_g == pytest.approx(1.08, abs=0.005)
    se = math.sqrt(np.var(MOVIE_1, ddof=1) / 10 + np.var(MOVIE_2, ddof=1) / 10)
    assert 1.0 / se == pytest.approx(2.517, abs=0.001)  # Welch's t, independent of scipy
    assert result.ci_low < 1.0 < result.ci_high


def test_rank_biserial_equals_brute_force_pair_counting():
    first, second = [3.0, 5.0, 5.0, 8.0, 9.0], [1.0, 2.0, 5.0, 6.0]
    wins = sum((x > y) + 0.5 * (x == y) for x in first for y in second)
    assert compare_groups(first, second).rank_biserial == pytest.approx(2 * wins / 20 - 1)


def test_group_comparison_with_ties_everywhere_has_no_test():
    result = compare_groups([2.0, 2.0, 2.0], [2.0, 2.0])
    assert result.difference == 0 and math.isnan(result.welch_p) and math.isnan(result.hedges_g)


def test_a_group_whose_values_are_all_alike_gets_no_t_test_but_keeps_mann_whitney():
    # 5 of 5 pairs completed against 370 of 400: Welch would take the 5 as exact (CI -10.1 to -4.9 pp, p < 0.001)
    result = compare_groups([1.0] * 5, [1.0] * 370 + [0.0] * 30)
    assert math.isnan(result.welch_p) and math.isnan(result.ci_low) and math.isnan(result.ci_high)
    assert result.difference == pytest.approx(0.075)
    # U1 = 5 x (30 wins + 370 ties / 2) = 1075; r = 2 x 1075 / (5 x 400) - 1
    assert result.rank_biserial == pytest.approx(0.075)
    # pooled SD sqrt(399 x 0.0695489 / 403) = 0.262409; d = 0.285813; x (1 - 3 / 1611)
    assert result.hedges_g == pytest.approx(0.285281, abs=1e-6)
    assert result.mann_whitney_p == pytest.approx(0.5278, abs=1e-4)


def test_group_comparison_needs_two_per_group():
    result = compare_groups([1.0], [2.0, 3.0])
    assert (result.n1, result.n2) == (1, 2) and math.isnan(result.welch_p)


def test_group_comparison_ignores_missing_values():
    assert compare_groups([1.0, float("nan"), 3.0], [2.0, None, 4.0]).n1 == 2


def test_bh_matches_benjamini_hochberg_1995_example():
    # the 15 p-values of Benjamini & Hochberg (1995), section 3.2: at q = 0.05 the first four are rejected
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528,
         0.7590, 1.000]  # fmt: skip
    adjusted = bh_adjust(p)
    assert [a <= 0.05 for a in adjusted] == [True] * 4 + [False] * 11
    # independent step-up computation: min over j >= i of p_j * m / j
    m = len(p)
    expected = [min(min(p[j] * m / (j + 1) for j in range(i, m)), 1.0) for i in range(m)]
    assert adjusted == pytest.approx(expected)


def test_bh_leaves_missing_p_values_out_of_the_family():
    adjusted = bh_adjust([0.01, float("nan"), 0.04])
    assert adjusted[0] == pytest.approx(0.02) and math.isnan(adjusted[1]) and adjusted[2] == pytest.approx(0.04)


def test_t_half_width_of_a_mean():
    # values 2, 4, 6: sd 2, n 3; t(0.975, 2) = 4.302652729749464
    assert t_half_width(3, 2.0) == pytest.approx(4.302652729749464 * 2 / math.sqrt(3))
    assert math.isnan(t_half_width(1, 2.0))


def test_diff_in_diff_point_estimate_by_hand():
    # mentees: 0.2 -> 0.6 (+0.4); comparison: 0.3 -> 0.4 (+0.1); DiD = 0.3
    result = diff_in_diff([0.0, 0.4], [0.6, 0.6], [0.2, 0.4], [0.4, 0.4])
    assert (result.mentee_change, result.comparison_change, result.estimate) == pytest.approx((0.4, 0.1, 0.3))
    assert result.ci_low <= 0.3 <= result.ci_high


def test_diff_in_diff_ci_is_a_point_when_everyone_changes_alike():
    result = diff_in_diff([0, 0, 0], [1, 1, 1], [0, 0], [0.5, 0.5])
    assert (result.ci_low, result.ci_high) == pytest.approx((0.5, 0.5))


def test_bootstrap_of_counts_resamples_people_with_replacement():
    # the means of resamples with replacement have the mean of the values and an SD of SD(ddof=0) / sqrt(n)
    values = np.repeat([0.0, 1 / 3, 2 / 3, 1.0], [50, 30, 15, 5])
    means = bootstrap_means(values, 20_000, np.random.default_rng(1))
    assert means.mean() == pytest.approx(values.mean(), abs=0.002)
    assert means.std() == pytest.approx(values.std() / np.sqrt(len(values)), rel=0.03)


def test_diff_in_diff_is_deterministic_for_a_seed():
    args = ([0, 0.3, 0.6, 0.1], [0.7, 0.9, 0.6, 0.5], [0.1, 0.2, 0.3], [0.2, 0.2, 0.5])
    assert diff_in_diff(*args) == diff_in_diff(*args)


def test_likert_shares_on_a_five_point_scale():
    shares = likert_shares([1, 2, 3, 4, 5, 5, 4, 3], 1, 5)
    assert shares == {"unfavourable": 0.25, "somewhat_unfavourable": 0.0, "neutral": 0.25,
                      "somewhat_favourable": 0.0, "favourable": 0.5}  # fmt: skip


def test_likert_shares_on_a_seven_point_scale():
    assert likert_shares([7, 6, 5, 4, 3, 1], 1, 7) == pytest.approx(
        {
            "unfavourable": 1 / 6,
            "somewhat_unfavourable": 1 / 6,
            "neutral": 1 / 6,
            "somewhat_favourable": 1 / 6,
            "favourable": 2 / 6,
        }  # fmt: skip
    )


def test_roi_phillips():
    # costs 80,000, benefits 240,000: BCR 3.0, ROI 200 %
    result = roi(80_000, 240_000)
    assert (result.bcr, result.roi_percent) == (3.0, 200.0)


def test_roi_without_costs_is_undefined():
    assert math.isnan(roi(0, 100).bcr)


def test_monetised_benefit_applies_attribution_and_confidence():
    # 10 executives newly active x $2,000 x 50 % attributed x 80 % confidence
    assert monetised_benefit(10, 2000, 0.5, 0.8) == 8000


def test_hedges_g_interval_from_its_large_sample_standard_error():
    # SE = sqrt(40 / 400 + 0.25 / 80) = 0.321131; 0.5 -/+ 1.959964 x SE
    low, high = hedges_g_interval(0.5, 20, 20)
    assert (round(float(low), 4), round(float(high), 4)) == (-0.1294, 1.1294)
    low, high = hedges_g_interval([float("nan")], [3], [4])
    assert math.isnan(low[0]) and math.isnan(high[0])
