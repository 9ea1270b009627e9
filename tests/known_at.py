"""The data a program held on a given day, written as canonical files: an independent statement (pandas, no SQL
models) of DOMAIN.md's "as of means as of", for the time-travel tests."""

from datetime import date
from pathlib import Path

import pandas as pd

HAPPENED = ("held", "missed", "cancelled")
SESSION_LOG = ["held_on", "duration_min", "mentor_present", "mentee_present", "trust_rating", "aha_moment",
               "ideas_count", "notes"]  # fmt: skip


def read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def day(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column.replace("", None)).astype("datetime64[s]")


def write_known_at(source: Path, target: Path, on: date) -> None:
    """Write to `target` the files of `source` as they stood on `on`."""
    on = pd.Timestamp(on)
    target.mkdir(parents=True, exist_ok=True)
    cohorts = read(source, "cohorts")
    cohorts = cohorts[day(cohorts["start_date"]) <= on]

    sessions = read(source, "sessions")
    happened_on = day(sessions["held_on"].where(sessions["held_on"] != "", sessions["scheduled_on"]))
    happened = sessions["status"].isin(HAPPENED) & (happened_on <= on)
    later = sessions["status"].isin(HAPPENED) & ~happened
    sessions.loc[later, "status"] = "scheduled"  # it was still a plan
    sessions.loc[later, SESSION_LOG] = ""

    # a finished pair closed on its end date, else its last session; before that it was active
    pairs = read(source, "pairs")
    pairs = pairs[(day(pairs["matched_on"]) <= on) & pairs["cohort_id"].isin(cohorts["cohort_id"])]
    last = (
        pd.DataFrame({"pair_id": sessions["pair_id"], "on": happened_on.where(sessions["status"].isin(HAPPENED))})
        .dropna()
        .groupby("pair_id")["on"]
        .max()
    )
    closed_on = day(pairs["ended_on"]).fillna(pairs["pair_id"].map(last)).fillna(day(pairs["matched_on"]))
    open_then = ~pairs["status"].isin(["completed", "ended_early"]) | (closed_on > on)
    pairs.loc[open_then, ["status", "ended_on", "end_reason"]] = ["active", "", ""]
    sessions = sessions[sessions["pair_id"].isin(pairs["pair_id"])]

    people = read(source, "participants")
    for column in ("promoted_on", "left_on"):
        people.loc[day(people[column]) > on, column] = ""

    # an answer counts from its submission; an undated one once its cohort reached the wave
    responses = read(source, "survey_responses")
    first_pair = pd.concat(
        [pairs[["mentor_id", "cohort_id", "matched_on"]].set_axis(["person", "cohort_id", "matched_on"], axis=1),
         pairs[["mentee_id", "cohort_id", "matched_on"]].set_axis(["person", "cohort_id", "matched_on"], axis=1)]
    ).sort_values("matched_on").drop_duplicates("person").set_index("person")["cohort_id"]  # fmt: skip
    cohort = cohorts.set_index("cohort_id")
    respondent_cohort = responses["participant_id"].map(first_pair)
    reached = pd.Series(
        [
            (cohort_id in cohort.index)
            and day(pd.Series([cohort.loc[cohort_id, "start_date" if wave == "pre" else "end_date"]])).iloc[0] <= on
            for cohort_id, wave in zip(respondent_cohort, responses["wave"], strict=True)
        ],
        index=responses.index,
    )
    submitted = day(responses["submitted_on"])
    responses = responses[submitted.le(on).where(submitted.notna(), reached).astype(bool)]

    activity = read(source, "social_activity")
    activity = activity[day(activity["month"] + "-01") <= on]

    costs = read(source, "costs")
    costs = costs[costs["cohort_id"].isin(cohorts["cohort_id"])]

    for name, frame in {"cohorts": cohorts, "pairs": pairs, "sessions": sessions, "participants": people,
                        "survey_responses": responses, "social_activity": activity, "costs": costs,
                        "survey_items": read(source, "survey_items")}.items():  # fmt: skip
        frame.to_csv(target / f"{name}.csv", index=False)
