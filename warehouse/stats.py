"""Statistics for the pages, as small pure functions over numbers (DOMAIN.md section 4).

The tests come from scipy.stats, imported by the functions that run them: importing it takes 0.6 s, which a server's
first page (the Overview, which needs only a t quantile from scipy.special) would otherwise wait for."""

import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import special

NAN = float("nan")


def clean(values: Sequence[float]) -> np.ndarray:
    """The numbers, without missing ones (None, NaN or pandas' NA), in one vectorised pass."""
    x = pd.to_numeric(pd.Series(values)).to_numpy(dtype=float, na_value=np.nan)
    return x[~np.isnan(x)]


def hedges_correction(total_n: int) -> float:
    """J = 1 - 3 / (4 N - 9), N the number of observations in both groups (Lakens 2013)."""
    return 1 - 3 / (4 * total_n - 9)


@dataclass(frozen=True)
class PairedChange:
    """Pre/post change among matched respondents."""

    n: int
    mean_pre: float
    mean_post: float
    mean_change: float
    ci_low: float
    ci_high: float
    t_p: float
    wilcoxon_p: float
    d_z: float
    g_av: float

    def as_dict(self) -> dict:
        return asdict(self)


def paired_change(pre: Sequence[float], post: Sequence[float]) -> PairedChange:
    """n, means, mean change (post - pre) with its 95% t-interval, paired t and Wilcoxon p, d_z and g_av.

    Statistics that need a spread are NaN when n < 2 or when every difference is zero.
    """
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    if pre.shape != post.shape:
        raise ValueError("pre and post must be matched pairs of equal length")
    n = len(pre)
    if n == 0:
        return PairedChange(0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN)
    diff = post - pre
    mean_change = float(diff.mean())
    result = dict(n=n, mean_pre=float(pre.mean()), mean_post=float(post.mean()), mean_change=mean_change)
    sd_diff = float(diff.std(ddof=1)) if n > 1 else 0.0
    if n < 2 or sd_diff == 0:
        return PairedChange(**result, ci_low=NAN, ci_high=NAN, t_p=NAN, wilcoxon_p=NAN, d_z=NAN, g_av=NAN)
    from scipy import stats

    test = stats.ttest_rel(post, pre)
    interval = test.confidence_interval(0.95)
    with warnings.catch_warnings():  # scipy warns when it falls back to the normal approximation
        warnings.simplefilter("ignore")
        wilcoxon_p = float(stats.wilcoxon(post, pre, zero_method="wilcox", method="auto").pvalue)
    sd_average = (pre.std(ddof=1) + post.std(ddof=1)) / 2
    d_av = mean_change / sd_average if sd_average > 0 else NAN
    return PairedChange(
        **result,
        ci_low=float(interval.low),
        ci_high=float(interval.high),
        t_p=float(test.pvalue),
        wilcoxon_p=wilcoxon_p,
        d_z=mean_change / sd_diff,
        g_av=float(d_av * hedges_correction(2 * n)),
    )


@dataclass(frozen=True)
class GroupComparison:
    """First group minus second, with the unit (pair or person) as the observation."""

    n1: int
    n2: int
    mean1: float
    mean2: float
    difference: float
    ci_low: float
    ci_high: float
    welch_p: float
    mann_whitney_p: float
    rank_biserial: float
    hedges_g: float

    def as_dict(self) -> dict:
        return asdict(self)


def compare_groups(first: Sequence[float], second: Sequence[float]) -> GroupComparison:
    """Welch t-test with the 95% CI of the difference, Mann-Whitney U with rank-biserial r, Hedges' g."""
    a, b = clean(first), clean(second)
    n1, n2 = len(a), len(b)
    mean1 = float(a.mean()) if n1 else NAN
    mean2 = float(b.mean()) if n2 else NAN
    base = dict(n1=n1, n2=n2, mean1=mean1, mean2=mean2, difference=mean1 - mean2)
    if n1 < 2 or n2 < 2:
        return GroupComparison(**base, ci_low=NAN, ci_high=NAN, welch_p=NAN, mann_whitney_p=NAN,
                               rank_biserial=NAN, hedges_g=NAN)  # fmt: skip
    pooled_var = ((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2)
    if pooled_var == 0:  # every value the same: no spread to test against
        return GroupComparison(**base, ci_low=NAN, ci_high=NAN, welch_p=NAN, mann_whitney_p=NAN,
                               rank_biserial=NAN, hedges_g=NAN)  # fmt: skip
    from scipy import stats

    # a group whose values are all the same (5 pairs of 5 completed) gives Welch no spread of its own: its mean would
    # count as known exactly, and 5 pairs would differ "significantly" from 400. No t-test then; Mann-Whitney stays
    if a.var(ddof=1) == 0 or b.var(ddof=1) == 0:
        low = high = welch_p = NAN
    else:
        with warnings.catch_warnings():  # near-constant groups warn about precision
            warnings.simplefilter("ignore", RuntimeWarning)
            welch = stats.ttest_ind(a, b, equal_var=False)
            interval = welch.confidence_interval(0.95)
        low, high, welch_p = float(interval.low), float(interval.high), float(welch.pvalue)
    mann_whitney = stats.mannwhitneyu(a, b, alternative="two-sided")
    return GroupComparison(
        **base,
        ci_low=low,
        ci_high=high,
        welch_p=welch_p,
        mann_whitney_p=float(mann_whitney.pvalue),
        rank_biserial=float(2 * mann_whitney.statistic / (n1 * n2) - 1),
        hedges_g=float((mean1 - mean2) / math.sqrt(pooled_var) * hedges_correction(n1 + n2)),
    )


def hedges_g_interval(g, n1, n2) -> tuple[np.ndarray, np.ndarray]:
    """95% CI of Hedges' g from its large-sample standard error (Hedges & Olkin 1985):
    SE = sqrt((n1 + n2) / (n1 n2) + g^2 / (2 (n1 + n2))). Works on numbers or arrays; NaN stays NaN."""
    g, n1, n2 = (np.asarray(v, dtype=float) for v in (g, n1, n2))
    with np.errstate(divide="ignore", invalid="ignore"):  # an empty group has no g and no interval
        se = np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    z = special.ndtri(0.975)
    return g - z * se, g + z * se


def bh_adjust(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values; NaN stays NaN and does not count in the family."""
    values = np.asarray(p_values, dtype=float)
    adjusted = np.full(len(values), NAN)
    present = ~np.isnan(values)
    if present.any():
        from scipy import stats

        adjusted[present] = stats.false_discovery_control(values[present], method="bh")
    return adjusted.tolist()


def bootstrap_means(values: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of `resamples` resamples with replacement of `values`, drawn as counts of its distinct values: the same
    distribution as drawing positions, but memory and time grow with the distinct values, not with the people
    (drawing positions took 1.5 GB and 3.5 s for 45,000 mentees), and the order of the values does not matter."""
    distinct, counts = np.unique(values, return_counts=True)
    drawn = rng.multinomial(len(values), counts / len(values), size=resamples)
    return drawn @ distinct / len(values)


@dataclass(frozen=True)
class DiffInDiff:
    mentee_change: float
    comparison_change: float
    estimate: float
    ci_low: float
    ci_high: float
    n_mentees: int
    n_comparison: int


def diff_in_diff(
    mentee_pre: Sequence[float],
    mentee_post: Sequence[float],
    comparison_pre: Sequence[float],
    comparison_post: Sequence[float],
    resamples: int = 2000,
    seed: int = 2011,
) -> DiffInDiff:
    """(post - pre for mentees) - (post - pre for comparison), with a percentile bootstrap 95% CI.

    Each person's pre and post stay together; mentees and comparison people are resampled separately.
    """
    m = np.asarray(mentee_post, float) - np.asarray(mentee_pre, float)
    c = np.asarray(comparison_post, float) - np.asarray(comparison_pre, float)
    if len(m) == 0 or len(c) == 0:
        return DiffInDiff(NAN, NAN, NAN, NAN, NAN, len(m), len(c))
    estimate = float(m.mean() - c.mean())
    if len(m) < 2 or len(c) < 2:
        return DiffInDiff(float(m.mean()), float(c.mean()), estimate, NAN, NAN, len(m), len(c))
    rng = np.random.default_rng(seed)
    boot = bootstrap_means(m, resamples, rng) - bootstrap_means(c, resamples, rng)
    low, high = np.percentile(boot, [2.5, 97.5])
    return DiffInDiff(float(m.mean()), float(c.mean()), estimate, float(low), float(high), len(m), len(c))


LIKERT_BANDS = ("unfavourable", "somewhat_unfavourable", "neutral", "somewhat_favourable", "favourable")


def likert_shares(values: Sequence[float], scale_min: int, scale_max: int) -> dict[str, float]:
    """Shares of answers: top two points favourable, bottom two unfavourable, the middle point neutral;
    points between them (on scales of 7 or more) somewhat favourable or somewhat unfavourable."""
    x = clean(values)
    if len(x) == 0:
        return dict.fromkeys(LIKERT_BANDS, NAN)
    middle = (scale_min + scale_max) / 2
    favourable, unfavourable = x >= scale_max - 1, x <= scale_min + 1
    return {
        "unfavourable": float(np.mean(unfavourable)),
        "somewhat_unfavourable": float(np.mean(~unfavourable & (x < middle))),
        "neutral": float(np.mean(x == middle)),
        "somewhat_favourable": float(np.mean(~favourable & (x > middle))),
        "favourable": float(np.mean(favourable)),
    }


@dataclass(frozen=True)
class Roi:
    costs: float
    benefits: float
    bcr: float
    roi_percent: float


def roi(costs: float, benefits: float) -> Roi:
    """Phillips: BCR = benefits / costs; ROI % = (benefits - costs) / costs x 100."""
    if costs <= 0:
        return Roi(costs, benefits, NAN, NAN)
    return Roi(costs, benefits, benefits / costs, (benefits - costs) / costs * 100)


def monetised_benefit(count: float, value_each: float, attribution: float, confidence: float) -> float:
    """First-year benefit of one outcome: count x value x share attributed to the program x confidence."""
    return count * value_each * attribution * confidence


def retained_beyond_baseline(mentors: int, left: int, baseline_turnover: float) -> float:
    """Mentors who stayed, beyond the number expected to stay anyway: (mentors - left) - mentors x (1 - baseline).

    Never below zero: more departures than the baseline is no benefit (and not a cost this method counts).
    """
    return max(0.0, (mentors - left) - mentors * (1 - baseline_turnover))


def t_half_width(n: int, sd: float) -> float:
    """Half-width of the 95% t-interval of a mean from n values with sample SD sd (NaN below 2 values)."""
    if n is None or n < 2 or sd is None or math.isnan(sd):
        return NAN
    return float(special.stdtrit(n - 1, 0.975) * sd / math.sqrt(n))
