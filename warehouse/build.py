"""Builds the SQL models (staging views, mart tables, as-of views) and reconciles their totals."""

import graphlib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

MODELS = Path(__file__).resolve().parent / "models"
# folder -> what its models become; as_of views are computed when queried, at the as-of date of the page
LAYERS = {"staging": "view", "marts": "table", "as_of": "view"}
# only models make views, and only marts are tables named so: any other is a model of an earlier version
MART_PREFIXES = ("fct_", "dim_")


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
        mentioned = mentions(model.sql) & models.keys()
        graph.add(model.name, *(mentioned - {model.name}))
    return [models[name] for name in graph.static_order()]


def models_version() -> str:
    """A fingerprint of the models' SQL and of how marts are rebuilt in part (PARTIAL): a warehouse built by other
    models needs a rebuild before it is read, and one whose marts an older scope kept in part a full rebuild."""
    return hashlib.sha256(
        (
            "".join(m.name + m.sql for m in sorted(read_models(), key=lambda m: m.name)) + repr(sorted(PARTIAL.items()))
        ).encode()
    ).hexdigest()


def built_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The models_version() a warehouse was built with (None before versions were recorded)."""
    found = con.execute("select count(*) from information_schema.tables where table_name = 'models_version'").fetchone()
    return con.execute("select version from models_version").fetchone()[0] if found[0] else None


def mentions(sql: str) -> set[str]:
    return set(re.findall(r"\b[a-z_]+\b", sql))


def affected(models: list[Model], changed: set[str]) -> set[str]:
    """The `changed` tables and every model that reads one of them, directly or through other models."""
    stale = set(changed)
    for model in models:  # in dependency order: a model's inputs are settled before it
        if mentions(model.sql) & stale:
            stale.add(model.name)
    return stale


@dataclass(frozen=True)
class Partial:
    """How a mart is rebuilt in part when `raw` is the only raw table a load wrote: the mart's rows in `scope` (SQL
    over columns the mart and its input `source` share, `{load_id}` standing for the load) are computed again from
    the source's rows in scope, and the rest stay. Right when a mart row depends only on rows in the same scope, and
    `key` names one row of the mart."""

    raw: str
    source: str
    scope: str
    key: tuple[str, ...]

    def sql(self, model: Model, load_id: int) -> tuple[str, str]:
        """(the scope, the model's rows in it, computed from the source's rows in it alone)."""
        scope = self.scope.format(load_id=int(load_id))
        reads = rf"\bfrom {self.source}\b"
        if len(re.findall(rf"\b{self.source}\b", model.sql)) != 1 or not re.search(reads, model.sql):
            raise ValueError(f"{model.name} must read {self.source} once to be rebuilt in part")
        scoped = re.sub(reads, f"from (select * from {self.source} where {scope}) as {self.source}", model.sql)
        return scope, f"select * from ({scoped}) where {scope}"


def merge_rows(con: duckdb.DuckDBPyConnection, table: str, rows: str, key: tuple[str, ...], scope: str) -> None:
    """The rows of the query `rows` (the table's columns, in its order) into `table`: one whose `key` is there
    replaces that row in place, the others are added, and the table's rows in `scope` that `rows` lacks are removed.
    In place rather than deleted and added again: deleted rows make the next checkpoint compact their row groups
    whenever the rest fit in fewer, which depends on how a first load happened to fill them (0.2 s for the session
    mart at 73,000 pairs, or nothing); updated rows do not. For the few rows of a partial rebuild: merging is slower
    than deleting and inserting when most of a table changes."""
    on = " and ".join(f'incoming."{column}" = {table}."{column}"' for column in key)
    con.execute(
        f"merge into {table} using ({rows}) as incoming on ({on}) when matched then update"
        f" when not matched then insert when not matched by source and {scope} then delete"
    )


# fct_sessions numbers its rows within a cohort, mentee level and session number and joins the rest row by row: the
# cohorts and session numbers of the load's sessions are all that move, so next month's sessions rewrite a few
# thousand rows, not every session of the program (0.5 s at 73,000 pairs).
PARTIAL = {
    "fct_sessions": Partial(
        "raw_sessions",
        "stg_sessions",
        "session_no in (select session_no from raw_sessions where _load_id = {load_id})"
        " and pair_id in (select pair_id from dim_pairs where cohort_id in (select cohort_id from dim_pairs"
        " where pair_id in (select pair_id from raw_sessions where _load_id = {load_id})))",
        ("pair_id", "session_no"),
    ),
    # a note is its session's own, and a pair's closing day comes from its own sessions
    **{
        mart: Partial(
            "raw_sessions",
            "stg_sessions",
            "pair_id in (select pair_id from raw_sessions where _load_id = {load_id})",
            key,
        )
        for mart, key in (("fct_session_notes", ("pair_id", "session_no")), ("dim_pairs", ("pair_id",)))
    },
}


def rebuild(con: duckdb.DuckDBPyConnection, model: Model, changed: set[str], load_id: int | None) -> None:
    partial = PARTIAL.get(model.name)
    if partial and changed == {partial.raw} and load_id is not None:
        scope, sql = partial.sql(model, load_id)
        merge_rows(con, model.name, sql, partial.key, scope)
    else:
        con.execute(f"create or replace table {model.name} as {model.sql}")


def build_models(
    con: duckdb.DuckDBPyConnection, changed: set[str] | None = None, load_id: int | None = None
) -> set[str] | None:
    """(Re)create the models in dependency order inside the caller's transaction, and record their version. What may
    have changed: the tables and models `affected` by `changed`, or None (everything) after a full rebuild.

    With `changed` (the raw tables load `load_id` wrote) on a warehouse built by these very models, only the mart
    tables that read them are rebuilt, some of them in part (PARTIAL): views are computed when queried, and the other
    tables would come out the same."""
    models = read_models()
    if changed is not None and built_version(con) == models_version():
        stale = affected(models, changed)
        for model in models:
            if model.kind == "table" and model.name in stale:
                rebuild(con, model, changed, load_id)
        return stale
    # drop each as what it is now: a model may have moved layers (a mart table that became an as-of view); models
    # that are gone go too, so that no copy of rows in a retired mart outlives an erasure
    existing = dict(con.execute("select table_name, table_type from information_schema.tables").fetchall())
    names = {model.name for model in models}
    for name, kind in existing.items():
        if name not in names and (kind == "VIEW" or name.startswith(MART_PREFIXES)):
            con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} {name}")
    for model in reversed(models):
        if model.name in existing:
            con.execute(f"drop {'view' if existing[model.name] == 'VIEW' else 'table'} {model.name}")
    for model in models:
        con.execute(f"create {model.kind} {model.name} as {model.sql}")
    con.execute("create or replace table models_version as select ? as version", [models_version()])
    return None


# the pairs known at the data date, counted from the marts' inputs (pair health and cohort summaries must hold them)
STARTED_PAIRS = (
    "(select count(*) from dim_pairs join stg_cohorts using (cohort_id), as_of_date"
    " where matched_on <= as_of and start_date <= as_of)"
)

# (what must hold, SQL giving the two totals that must be equal)
RECONCILIATIONS = (
    ("every session row is in fct_sessions", "select (select count(*) from raw_sessions), count(*) from fct_sessions"),
    ("every pair is in dim_pairs", "select (select count(*) from raw_pairs), count(*) from dim_pairs"),
    (
        "every pair matched in a started cohort has a health row",
        f"select {STARTED_PAIRS}, count(*) from fct_pair_health",
    ),
    # against the same count, not against pair health: each view is computed once
    (
        "cohort summaries add up to the pairs",
        f"select {STARTED_PAIRS}, coalesce(sum(pairs), 0) from fct_cohort_summary",
    ),
    (
        "every participant is in dim_participants",
        "select (select count(*) from raw_participants), count(*) from dim_participants",
    ),
    (
        "every survey answer is counted in fct_construct_answers",
        "select (select count(*) from raw_survey_responses), coalesce(sum(items_answered), 0)"
        " from fct_construct_answers",
    ),
    (
        "every activity row is in fct_social_activity",
        "select (select count(*) from raw_social_activity), count(*) from fct_social_activity",
    ),
)


def reconcile(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None) -> str:
    """Check that the marts' totals match the raw rows; raise ReconciliationError if one does not. With `changed`
    (what `build_models` says may have changed), only the checks that read one of them: the others held before."""
    checks = [(claim, sql) for claim, sql in RECONCILIATIONS if changed is None or mentions(sql) & changed]
    for claim, sql in checks:
        expected, actual = con.execute(sql).fetchone()
        if expected != actual:
            raise ReconciliationError(f"Reconciliation failed: {claim} (expected {expected:,}, found {actual:,})")
    unchanged = len(RECONCILIATIONS) - len(checks)
    return f"{len(checks)} of {len(checks)} checks passed" + (
        f" ({unchanged} more read nothing this load changed)" if unchanged else ""
    )
