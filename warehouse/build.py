"""Builds the SQL models (staging views, mart tables, as-of views) and reconciles their totals."""

import graphlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

MODELS = Path(__file__).resolve().parent / "models"
# folder -> what its models become; as_of views are computed when queried, at the as-of date of the page
LAYERS = {"staging": "view", "marts": "table", "as_of": "view"}


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    sql: str

    @property
    def kind(self) -> str:
        return LAYERS[self.layer]


class ReconciliationError(Exception):
    """The marts disagree with the rows they were built from: the load is aborted."""


def read_models() -> list[Model]:
    """Every model, ordered so that each comes after the models its SQL names."""
    models = {
        path.stem: Model(path.stem, layer, path.read_text())
        for layer in LAYERS
        for path in sorted((MODELS / layer).glob("*.sql"))
    }
    graph = graphlib.TopologicalSorter()
    for model in models.values():
        mentioned = set(re.findall(r"\b[a-z_]+\b", model.sql)) & models.keys()
        graph.add(model.name, *(mentioned - {model.name}))
    return [models[name] for name in graph.static_order()]


def build_models(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every model in dependency order inside the caller's transaction."""
    models = read_models()
    for model in reversed(models):
        con.execute(f"drop {model.kind} if exists {model.name}")
    for model in models:
        con.execute(f"create {model.kind} {model.name} as {model.sql}")


# (what must hold, SQL giving the two totals that must be equal)
RECONCILIATIONS = (
    ("every session row is in fct_sessions", "select (select count(*) from raw_sessions), count(*) from fct_sessions"),
    ("every pair is in dim_pairs", "select (select count(*) from raw_pairs), count(*) from dim_pairs"),
    (
        "every pair matched in a started cohort has a health row",
        "select (select count(*) from dim_pairs join stg_cohorts using (cohort_id), as_of_date"
        " where matched_on <= as_of and start_date <= as_of), count(*) from fct_pair_health",
    ),
    (
        "cohort summaries add up to the pairs",
        "select (select count(*) from fct_pair_health), coalesce(sum(pairs), 0) from fct_cohort_summary",
    ),
    (
        "every participant is in dim_participants",
        "select (select count(*) from raw_participants), count(*) from dim_participants",
    ),
    (
        "every survey answer is in fct_survey_answers",
        "select (select count(*) from raw_survey_responses), count(*) from fct_survey_answers",
    ),
    (
        "every activity row is in fct_social_activity",
        "select (select count(*) from raw_social_activity), count(*) from fct_social_activity",
    ),
)


def reconcile(con: duckdb.DuckDBPyConnection) -> str:
    """Check that the marts' totals match the raw rows; raise ReconciliationError if one does not."""
    for claim, sql in RECONCILIATIONS:
        expected, actual = con.execute(sql).fetchone()
        if expected != actual:
            raise ReconciliationError(f"Reconciliation failed: {claim} (expected {expected:,}, found {actual:,})")
    return f"{len(RECONCILIATIONS)} of {len(RECONCILIATIONS)} checks passed"
