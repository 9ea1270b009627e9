"""Small-group suppression (DOMAIN.md section 5): no score or rating aggregate over fewer than N people."""

import os

import numpy as np
import pandas as pd

ENV_VAR = "MENTORING_MIN_GROUP"
DEFAULT_MIN_GROUP = 5
FLOOR = 3  # the setting can lower the threshold, never below this


def min_group() -> int:
    """The smallest group whose scores may be shown: $MENTORING_MIN_GROUP (at least 3), default 5."""
    try:
        chosen = int(os.environ.get(ENV_VAR, DEFAULT_MIN_GROUP))
    except ValueError:
        chosen = DEFAULT_MIN_GROUP
    return max(chosen, FLOOR)


def suppress(
    frame: pd.DataFrame,
    n_column: str,
    value_columns: list[str],
    minimum: int | None = None,
    partition: bool = True,
) -> pd.DataFrame:
    """Blank the value columns of rows with fewer than `minimum` people, and mark them in `suppressed`.

    When the rows partition a total (cohorts, levels), complementary suppression: if exactly one row is
    hidden, the next smallest is hidden too, so the hidden one cannot be recovered from the total.
    """
    minimum = minimum or min_group()
    result = frame.copy()
    hidden = (result[n_column] < minimum).to_numpy().copy()
    if partition and hidden.sum() == 1 and len(result) > 1:
        visible = np.flatnonzero(~hidden)
        hidden[visible[np.argmin(result[n_column].to_numpy()[visible])]] = True
    result["suppressed"] = hidden
    result.loc[hidden, value_columns] = np.nan
    return result


def suppression_note(minimum: int | None = None) -> str:
    return (
        f"Rows marked hidden cover fewer than {minimum or min_group()} people (or would reveal such a group): "
        "their scores are not shown, to protect the people in them."
    )
