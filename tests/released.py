"""Which rows may enter an aggregate, computed with pandas from the raw tables, independently of the SQL views:
DOMAIN.md's differencing rule as warehouse/models/as_of/privacy_*.sql implement it (batches of the minimum group
per cell, in the order the rows became known)."""

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd


def raw(warehouse: Path, table: str) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f"select * from {table}").df()
    finally:
        con.close()


def full_batches(frame: pd.DataFrame, cell: list[str], order: list[str], minimum: int) -> pd.DataFrame:
    """The rows of `frame` that fall in complete batches of `minimum` per cell, in `order`."""
    frame = frame.sort_values([*cell, *order]).copy()
    frame["batch"] = frame.groupby(cell).cumcount() // minimum
    size = frame.groupby([*cell, "batch"])["batch"].transform("size")
    return frame[size == minimum].drop(columns="batch")


def recorded_sessions(warehouse: Path, on: date) -> pd.DataFrame:
    """Sessions held, missed or cancelled by `on` (pairs matched by then, cohorts started), with their cell, when
    they became known, and which of a session's rating, aha and ideas are known (its value group)."""
    tables = ("raw_sessions", "raw_pairs", "raw_participants", "raw_cohorts")
    sessions, pairs, people, cohorts = (raw(warehouse, t) for t in tables)
    on = pd.Timestamp(on)
    started = cohorts.loc[cohorts["start_date"] <= on, "cohort_id"]
    pairs = pairs[(pairs["matched_on"] <= on) & pairs["cohort_id"].isin(started)]
    sessions = sessions.merge(pairs[["pair_id", "cohort_id", "mentor_id", "mentee_id", "matched_on"]], on="pair_id")
    sessions["happened_on"] = sessions["held_on"].fillna(sessions["scheduled_on"])
    sessions = sessions[sessions["status"].isin(["held", "missed", "cancelled"]) & (sessions["happened_on"] <= on)]
    levels = people.set_index("participant_id")["level"].fillna("unknown")
    sessions["level"] = sessions["mentee_id"].map(levels)
    known = [sessions[c].notna() for c in ("trust_rating", "aha_moment", "ideas_count")]
    sessions["value_group"] = sum(k.astype(int) * 2**bit for bit, k in enumerate(known))
    # known when it had happened, its pair was matched and its cohort had started
    starts = sessions["cohort_id"].map(cohorts.set_index("cohort_id")["start_date"])
    sessions["known_on"] = pd.concat([sessions["happened_on"], sessions["matched_on"], starts], axis=1).max(axis=1)
    return sessions


def released_sessions(warehouse: Path, on: date, minimum: int = 5) -> pd.DataFrame:
    """Recorded sessions that enter attendance rates: batches per cohort, mentee level and session number."""
    sessions = recorded_sessions(warehouse, on)
    return full_batches(sessions, ["cohort_id", "level", "session_no"], ["known_on", "pair_id"], minimum)


def released_values(warehouse: Path, on: date, minimum: int = 5) -> pd.DataFrame:
    """Held sessions whose values (rating, aha, ideas, hours) enter aggregates: batches per cohort, mentee level,
    session number and value group."""
    sessions = recorded_sessions(warehouse, on).query("status == 'held'")
    cell = ["cohort_id", "level", "session_no", "value_group"]
    return full_batches(sessions, cell, ["known_on", "pair_id"], minimum)


def cost_rates(warehouse: Path, on: date, minimum: int = 5) -> dict[tuple[str, str, str], float]:
    """(cohort, mentee level, role) -> the mean hourly cost session time is costed at: over the cell's people (each
    once, at their first pair of the cell) matched by `on` (cohort started) with a cost known, in batches of `minimum`
    in the order their first pair was matched."""
    tables = ("raw_pairs", "raw_participants", "raw_cohorts")
    pairs, people, cohorts = (raw(warehouse, t) for t in tables)
    on = pd.Timestamp(on)
    started = cohorts.loc[cohorts["start_date"] <= on, "cohort_id"]
    pairs = pairs[(pairs["matched_on"] <= on) & pairs["cohort_id"].isin(started)].copy()
    people = people.set_index("participant_id")
    pairs["level"] = pairs["mentee_id"].map(people["level"].fillna("unknown"))
    rates = {}
    for role in ("mentee", "mentor"):
        costed = pairs.assign(cost=pairs[f"{role}_id"].map(people["hourly_cost"])).dropna(subset=["cost"])
        firsts = costed.sort_values(["matched_on", "pair_id"]).drop_duplicates(["cohort_id", "level", f"{role}_id"])
        released = full_batches(firsts, ["cohort_id", "level"], ["matched_on", "pair_id"], minimum)
        for (cohort, level), group in released.groupby(["cohort_id", "level"]):
            rates[(cohort, level, role)] = group["cost"].mean()
    return rates


def released_matched(warehouse: Path, items: str, flipped: str, scale_max: int, minimum: int = 5) -> pd.DataFrame:
    """Mentees with a pre and a post score on the construct whose items start with `items` (item `flipped`
    reverse-coded on a 1-`scale_max` scale, at least half the items answered), released in batches per cohort and
    level in the order their later answer was submitted."""
    tables = ("raw_survey_responses", "raw_pairs", "raw_participants", "raw_survey_items")
    answers, pairs, people, survey_items = (raw(warehouse, t) for t in tables)
    count = survey_items["item_id"].str.startswith(items).sum()
    answers = answers[answers["item_id"].str.startswith(items)].copy()
    flip = answers["item_id"] == flipped
    answers.loc[flip, "value"] = 1 + scale_max - answers.loc[flip, "value"]
    scores = answers.groupby(["participant_id", "wave"]).agg(
        score=("value", "mean"), answered=("value", "size"), known_on=("submitted_on", "max")
    )
    scores = scores[scores["answered"] * 2 >= count].reset_index()
    pre, post = scores[scores["wave"] == "pre"], scores[scores["wave"] == "post"]
    matched = pre.merge(post, on="participant_id", suffixes=("_pre", "_post"))
    matched["known_on"] = matched[["known_on_pre", "known_on_post"]].max(axis=1)
    first_pair = pairs.sort_values("matched_on").drop_duplicates("mentee_id").set_index("mentee_id")["cohort_id"]
    matched["cohort_id"] = matched["participant_id"].map(first_pair)
    matched["level"] = matched["participant_id"].map(people.set_index("participant_id")["level"].fillna("unknown"))
    matched = matched.dropna(subset=["cohort_id"])
    return full_batches(matched, ["cohort_id", "level"], ["known_on", "participant_id"], minimum)
