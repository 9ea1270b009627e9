"""Cohort comparison tables: one row per metric, small groups hidden first, then p-values adjusted over the rest."""

from collections.abc import Sequence

import pandas as pd

from warehouse import stats


def compare_metrics(values: dict[str, tuple[Sequence[float], Sequence[float]]], minimum: int) -> pd.DataFrame:
    """Per metric (label -> first cohort's values, second's), Welch, Mann-Whitney and effect sizes.

    A metric with fewer than `minimum` units in either cohort is hidden: its statistics are blank and, as DOMAIN.md
    asks, it is not in the Benjamini-Hochberg family, so hiding a row never changes a visible adjusted p. A cohort's
    own mean stays when it has `minimum` units or more.
    """
    rows = [{"metric": label, **stats.compare_groups(a, b).as_dict()} for label, (a, b) in values.items()]
    table = pd.DataFrame(rows, columns=["metric", *stats.GroupComparison.__dataclass_fields__])
    table["hidden"] = (table["n1"] < minimum) | (table["n2"] < minimum)
    measures = [c for c in table.columns if c not in ("metric", "n1", "n2", "hidden", "mean1", "mean2")]
    table.loc[table["hidden"], measures] = float("nan")
    for side in ("1", "2"):
        table.loc[table[f"n{side}"] < minimum, f"mean{side}"] = float("nan")
    table["bh_p"] = stats.bh_adjust(table["welch_p"].tolist())  # blank p-values are outside the family
    # the standardised difference puts rates, ratings and counts on one scale (the page's chart)
    table["g_low"], table["g_high"] = stats.hedges_g_interval(table["hedges_g"], table["n1"], table["n2"])
    return table
