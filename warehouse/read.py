"""The one module that reads the warehouse for the dashboard: named queries over the marts, cached per file version."""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from etl.contract import ENTITIES
from etl.load import OUTSTANDING_QUARANTINE
from etl.saved import SCENARIO_FIELDS
from warehouse import snapshots
from warehouse.location import warehouse_path
from warehouse.privacy import min_group


@dataclass(frozen=True)
class Source:
    """The warehouse file and its version: a rebuilt warehouse has a new mtime, so cached results expire."""

    path: Path
    version: int

    @classmethod
    def current(cls) -> "Source":
        path = warehouse_path()
        return cls(path, snapshots.latest_version(path))


@dataclass(frozen=True)
class Filters:
    """The shared filters of every page: cohorts, as-of date, mentee levels (empty = all)."""

    cohorts: tuple[str, ...] = ()
    as_of: date | None = None
    levels: tuple[str, ...] = field(default=())

    def params(self) -> dict:
        return {"cohorts": list(self.cohorts), "levels": list(self.levels)}


# Pairs and people kept by the filters. Every query reads the as-of views (warehouse/models/as_of), which hold
# only what was known at the as-of date set by `query`: that is the one place the as-of rule is applied.
PAIRS_IN_SCOPE = """(select pair_id from asof_pairs p
    where (len($cohorts) = 0 or p.cohort_id in (select unnest($cohorts)))
      and (len($levels) = 0 or p.mentee_id in
           (select participant_id from asof_participants where level in (select unnest($levels)))))"""
PEOPLE_IN_SCOPE = """(select participant_id from asof_participants d
    where (len($cohorts) = 0 or d.cohort_id in (select unnest($cohorts)) or d.role = 'comparison')
      and (len($levels) = 0 or d.level in (select unnest($levels))))"""


def query(
    source: Source, sql: str, params: dict | None = None, as_of: date | None = None, variables: tuple = ()
) -> pd.DataFrame:
    """One query at the as-of date (None: the data date) and the smallest group shown (warehouse/privacy.py);
    `variables`, (name, value) pairs, are more settings that views read with getvariable()."""
    return queries(source, (sql,), params, as_of, variables)[0]


def queries(
    source: Source,
    sqls: tuple[str, ...],
    params: dict | None = None,
    as_of: date | None = None,
    variables: tuple = (),
    shared: tuple[tuple[str, str], ...] = (),
) -> tuple[pd.DataFrame, ...]:
    """Queries run as `query` runs one, on one connection, after making the temporary tables `shared` ((name, sql)
    pairs) that they read: what they have in common is computed once."""
    return cached_queries(source, sqls, params, as_of, min_group(), variables, shared)


@st.cache_data(show_spinner=False, max_entries=512)
def cached_queries(
    source: Source,
    sqls: tuple[str, ...],
    params: dict | None,
    as_of: date | None,
    minimum: int,
    variables: tuple,
    shared: tuple[tuple[str, str], ...],
) -> tuple[pd.DataFrame, ...]:
    with snapshots.cursor(source.path, source.version) as con:
        if as_of is not None:
            con.execute("set variable as_of = ?::date", [as_of])
        con.execute("set variable min_group = ?", [minimum])
        for name, value in variables:
            con.execute(f"set variable {name} = ?", [value])
        for name, sql in shared:
            con.execute(f"create temp table {name} as {sql}", used(sql, params))
        return tuple(con.execute(sql, used(sql, params)).df() for sql in sqls)


def used(sql: str, params: dict | None) -> dict:
    """The parameters `sql` reads: DuckDB refuses any other."""
    return {name: value for name, value in (params or {}).items() if re.search(rf"\${name}\b", sql)}


def in_scope(sql: str) -> str:
    """`sql` with {pairs} and {people}: the pairs and people the filters keep."""
    return sql.replace("{pairs}", PAIRS_IN_SCOPE).replace("{people}", PEOPLE_IN_SCOPE)


def scoped(source: Source, filters: Filters, sql: str, variables: tuple = (), **values) -> pd.DataFrame:
    """A query over the pairs and people the filters keep; `values` become $name parameters."""
    return scoped_queries(source, filters, (sql,), variables, **values)[0]


def scoped_queries(
    source: Source, filters: Filters, sqls: tuple[str, ...], variables: tuple = (), shared: tuple = (), **values
) -> tuple[pd.DataFrame, ...]:
    """`scoped` for several queries on one connection, after the temporary tables `shared` that they read."""
    return queries(
        source,
        tuple(map(in_scope, sqls)),
        {**filters.params(), **values},
        filters.as_of,
        variables,
        tuple((name, in_scope(sql)) for name, sql in shared),
    )


def counted(sql: str, columns: str, unit: str) -> str:
    """A frequency table of `sql`'s rows: per distinct combination of `columns`, how many `unit` (people or pairs)
    have it. Scores, shares and per-pair means take few distinct values, so it stays small for any number of people,
    while `expand` gives the statistics every unit. Fixed order: the same data always gives the same rows."""
    return f"select {columns}, count(*) as {unit} from {sql} group by all order by all"


def expand(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One row per unit (person or pair) from a frequency table of `counted`."""
    return frame.loc[frame.index.repeat(frame[unit])].drop(columns=unit).reset_index(drop=True)


def repeated(frame: pd.DataFrame, column: str, unit: str) -> np.ndarray:
    """`expand(frame, unit)[column]` as floats: one column repeated, not every column of the frame (its texts
    above all), for a statistic over one value per unit."""
    return np.repeat(frame[column].to_numpy(dtype=float), frame[unit].to_numpy())


def info(source: Source) -> pd.Series:
    """Data date, first date, whether the data is the demo program, last load time."""
    return query(
        source,
        """select data_date,
                  (select min(start_date) from stg_cohorts) as first_date,
                  (select bool_or(is_demo) from load_history) as is_demo,
                  (select max(finished_at) from load_history) as last_load
           from dim_data_date""",
    ).iloc[0]


def cohorts(source: Source) -> pd.DataFrame:
    """Every cohort, started or not: names for labels and the sidebar's choices."""
    return query(source, "select cohort_id, cohort_name, start_date, end_date from dim_cohorts order by start_date")


def cohorts_as_of(source: Source, filters: Filters) -> pd.DataFrame:
    """Cohorts started by the as-of date, and whether each was still running then."""
    return query(
        source,
        "select cohort_id, cohort_name, start_date, end_date, is_running from asof_cohorts order by start_date",
        as_of=filters.as_of,
    )


def levels(source: Source) -> list[str]:
    frame = query(source, "select distinct level from dim_participants where role = 'mentee' and level is not null")
    return sorted(frame["level"])


def as_of(source: Source, filters: Filters) -> date:
    return query(source, "select as_of from as_of_date", as_of=filters.as_of)["as_of"].iloc[0].date()


def cohort_summary(source: Source, filters: Filters) -> pd.DataFrame:
    """One row per started cohort in scope, recomputed from the pair and session views for the level filter."""
    return scoped(
        source,
        filters,
        """with pair_counts as (
               select cohort_id,
                      count(*) as pairs,
                      count(*) filter (where outcome = 'in progress') as pairs_in_progress,
                      count(*) filter (where outcome = 'completed') as pairs_completed,
                      count(*) filter (where outcome = 'ended early') as pairs_ended_early,
                      count(*) filter (where health_status in ('Needs check-in', 'At risk')) as pairs_needing_attention,
                      count(distinct mentee_id) as mentees,
                      sum(held)::bigint as sessions_held,
                      sum(held + missed + cancelled)::bigint as sessions_recorded
               from fct_pair_health where pair_id in {pairs} group by cohort_id),
           -- the rate over the sessions released to aggregates (privacy_sessions), counts over all
           released as (
               select cohort_id,
                      count(*) filter (where as_of_status = 'held') as released_held,
                      count(*) as released_recorded
               from privacy_sessions where pair_id in {pairs} group by cohort_id)
           select c.cohort_id, c.cohort_name, c.start_date, c.is_running, p.* exclude (cohort_id),
                  coalesce(r.released_held, 0) as released_held, coalesce(r.released_recorded, 0) as released_recorded,
                  r.released_held / nullif(r.released_recorded, 0) as attendance_rate,
                  p.pairs_completed / nullif(p.pairs_completed + p.pairs_ended_early, 0) as completion_rate
           from asof_cohorts c join pair_counts p using (cohort_id) left join released r using (cohort_id)
           order by c.start_date""",
    )


PAIR_LIST_LIMIT = 10_000  # pairs read into the page and its CSV at most, the most urgent first


def pair_health(source: Source, filters: Filters, statuses: tuple[str, ...] = ()) -> pd.DataFrame:
    """The pairs in scope with one of `statuses` (all if empty), the most urgent first, with their reasons and the
    names coordinators need; at most PAIR_LIST_LIMIT of them (pair_health_counts counts them all)."""
    return scoped(
        source,
        filters,
        f"""select h.pair_id, h.cohort_id, mentor.display_name as mentor, mentee.display_name as mentee,
                  mentor.email as mentor_email, mentee.email as mentee_email, h.cadence_days,
                  h.health_status, h.reasons_text, h.last_held_on, h.days_since_last_held, h.days_overdue,
                  h.next_scheduled_on, h.held, h.missed, h.cancelled, h.unrecorded, h.planned_sessions,
                  h.attendance_rate, h.as_of, h.closed_on, p.end_reason
           from fct_pair_health h
           left join asof_pairs p using (pair_id)
           left join stg_participants mentor on mentor.participant_id = h.mentor_id
           left join stg_participants mentee on mentee.participant_id = h.mentee_id
           where h.pair_id in {{pairs}} and (len($statuses) = 0 or h.health_status in (select unnest($statuses)))
           order by case h.health_status when 'At risk' then 1 when 'Needs check-in' then 2
                    when 'Too early to tell' then 3 when 'On track' then 4 else 5 end,
                    h.days_overdue desc nulls last, h.pair_id
           limit {PAIR_LIST_LIMIT}""",
        statuses=list(statuses),
    )


def pair_health_counts(source: Source, filters: Filters) -> pd.Series:
    """Pairs in scope per health status, all of them."""
    frame = scoped(
        source,
        filters,
        "select health_status, count(*) as pairs from fct_pair_health where pair_id in {pairs} group by 1",
    )
    return frame.set_index("health_status")["pairs"]


def pair_sessions(source: Source, filters: Filters, pair_id: str) -> pd.DataFrame:
    """One pair's sessions as known at the as-of date, with their notes: coordinators only, one pair at a time."""
    return query(
        source,
        """select s.session_no, s.scheduled_on, s.happened_on, s.as_of_status, s.phase, s.trust_rating,
                  s.aha_moment, s.ideas_count, s.mentor_present, s.mentee_present, n.notes
           from fct_session_status s left join asof_session_notes n using (pair_id, session_no)
           where s.pair_id = $pair order by s.session_no""",
        {"pair": pair_id},
        filters.as_of,
    )


def sessions_by_number(source: Source, filters: Filters) -> pd.DataFrame:
    """Per cohort and session number: held sessions, trust ratings (for a CI), aha share, ideas, and how many
    sessions each covers (a value not logged is left out)."""
    return scoped(
        source,
        filters,
        """select cohort_id, session_no, count(*) as held, count(distinct pair_id) as pairs,
                  count(trust_rating) as rated, avg(trust_rating) as mean_trust,
                  stddev_samp(trust_rating) as sd_trust, count(aha_moment) as aha_logged,
                  avg(aha_moment::int) as aha_share, count(ideas_count) as ideas_logged,
                  avg(ideas_count) as ideas_per_session
           from privacy_session_values
           where pair_id in {pairs}
           group by all order by cohort_id, session_no""",
    )


def phase_funnel(source: Source, filters: Filters) -> pd.DataFrame:
    """Per cohort: its pairs, the pairs that reached each phase (held a session in it or a later one: counts of pairs,
    over every held session), the pairs with a session of the phase released to aggregates, and of those the pairs
    with the phase's indicator present (a rating or a log: released sessions only); whether any held session's phase
    was derived from its number rather than logged."""
    steps = {"trust": 1, "insight": 2, "brainstorm": 3}
    per_step = ",\n".join(
        f"""bool_or(released) filter (where step = {n}) as {name}_released,
            bool_or(released and phase_indicator_present) filter (where step = {n}) as {name}_present"""
        for name, n in steps.items()
    )
    counts = ",\n".join(
        f"""count(*) filter (where furthest >= {n}) as {name},
            count(*) filter (where {name}_released) as {name}_released,
            count(*) filter (where {name}_present) as {name}_present"""
        for name, n in steps.items()
    )
    return scoped(
        source,
        filters,
        f"""with held as (
               select s.pair_id, s.phase_indicator_present, r.pair_id is not null as released,
                      s.phase_source = 'derived' as derived,
                      case s.phase when 'trust' then 1 when 'insight' then 2 else 3 end as step
               from fct_session_status s
               left join (select pair_id, session_no from privacy_session_values) r using (pair_id, session_no)
               where s.as_of_status = 'held' and s.pair_id in {{pairs}}),
           per_pair as (
               select pair_id, max(step) as furthest, bool_or(derived) as derived, {per_step}
               from held group by pair_id)
           select p.cohort_id, count(*) as pairs, {counts}, coalesce(bool_or(derived), false) as any_derived_phase
           from asof_pairs p left join per_pair using (pair_id)
           where p.pair_id in {{pairs}}
           group by p.cohort_id order by p.cohort_id""",
    )


def first_aha(source: Source, filters: Filters) -> pd.DataFrame:
    """Pairs by the session of their first aha moment, over the sessions released to aggregates."""
    return scoped(
        source,
        filters,
        """select cohort_id, first_aha_session, count(*) as pairs
           from (select pair_id, any_value(cohort_id) as cohort_id, min(session_no) as first_aha_session
                 from privacy_session_values where aha_moment and pair_id in {pairs}
                 group by pair_id)
           group by all order by all""",
    )


MATCHED = """(select participant_id, cohort_id, level, construct, before, after, scale_min, scale_max
              from privacy_matched
              where before_wave = $before and after_wave = $after and participant_id in {people})"""


def waves(before: str, after: str) -> tuple:
    """The waves set for privacy_matched, which then reads only their scores."""
    return (("before_wave", before), ("after_wave", after))


def matched(source: Source, filters: Filters, sql: str, before: str, after: str) -> pd.DataFrame:
    """A query reading MATCHED for the waves `before` and `after`."""
    return scoped(source, filters, sql, variables=waves(before, after), before=before, after=after)


SCORES = "cohort_id, construct, before, after, scale_min, scale_max"


def construct_scores(source: Source, filters: Filters, before: str, after: str = "post") -> pd.DataFrame:
    """Matched respondents' scores as a frequency table: per cohort, construct and both waves' scores, the number of
    `people` with them (`expand` gives one row per person and construct)."""
    return matched(source, filters, counted(MATCHED, SCORES, "people"), before, after)


def scaled_change(source: Source, filters: Filters, before: str, after: str = "post") -> pd.DataFrame:
    """Per construct, its matched people's change in percent of the construct's scale (0-100): how many people, their
    mean change and the SD of their changes. Per construct, over the populations Survey outcomes shows: an average
    of each person over the constructs they were released in would cover a union of those populations, which can
    differ from each by one person."""
    return matched(
        source,
        filters,
        f"""select construct, count(*) as people,
                   avg((after - before) / (scale_max - scale_min) * 100) as mean_change,
                   stddev_samp((after - before) / (scale_max - scale_min) * 100) as sd_change
            from {MATCHED} group by construct order by construct""",
        before,
        after,
    )


# answers per item, wave and scale point of the matched respondents (the table `matched`) of each construct. A
# cohort and level's answers to a construct in a wave enter only when each of its respondents answered each of the
# construct's items asked then: the construct's mean covers a skipped item's respondent too, so the other items' bars
# beside it gave that person's answers away (and holding back a skipped item's few answers did not help: the mean
# still held them). Views then differ by whole cells, each a batch of at least the minimum
ITEM_ANSWERS = """
    with respondents as (  -- with their cohort's dates, which date an undated answer
        select m.participant_id, m.cohort_id, m.level, m.construct, c.start_date, c.end_date
        from matched m left join asof_cohorts c using (cohort_id)),
    -- their answers of the two waves known at the as-of date (the rule of asof_construct_answers), one per person,
    -- wave and item (the responses' key), counted per cell and scale point at once (the answers read once)
    grouped as (
        select m.cohort_id, m.level, m.construct, r.wave, r.item_id, r.value, count(*) as answers
        from stg_survey_answers r
        join respondents m using (participant_id, construct)
        where r.wave in ($before, $after) and case
            when r.submitted_on is not null then r.submitted_on <= (select as_of from as_of_date)
            when r.wave = 'pre' then m.start_date <= (select as_of from as_of_date)
            else m.end_date <= (select as_of from as_of_date) end
        group by all),
    asked as (select construct, wave, count(distinct item_id) as items from grouped group by all),
    cells as (select cohort_id, level, construct, count(*) as people from respondents group by all),
    complete as (
        select g.cohort_id, g.level, g.construct, g.wave
        from grouped g join asked using (construct, wave) join cells using (cohort_id, level, construct)
        group by g.cohort_id, g.level, g.construct, g.wave, asked.items, cells.people
        having sum(g.answers) = asked.items * cells.people),
    -- counted before the items' texts are joined
    counts as (
        select item_id, wave, value, sum(answers)::bigint as answers
        from grouped semi join complete using (cohort_id, level, construct, wave)
        group by all)
    select i.construct, i.item_id, i.item_text, i.scale_min, i.scale_max, i.reverse_coded, c.wave, c.value, c.answers
    from counts c join stg_survey_items i using (item_id)
    order by i.construct, i.item_id, c.wave, c.value"""


def survey_outcomes(
    source: Source, filters: Filters, before: str, after: str = "post"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`construct_scores`, and the answers per item, wave and scale point of the same matched respondents of each
    construct (an answer is a person's), reverse-coded items flipped so that the top of the scale is always the
    favourable end. The matched respondents are found once for both (0.3 s at 100,000 pairs)."""
    return scoped_queries(
        source,
        filters,
        (counted("matched", SCORES, "people"), ITEM_ANSWERS),
        waves(before, after),
        shared=(("matched", MATCHED),),
        before=before,
        after=after,
    )


def adoption_by_month(source: Source, filters: Filters, platform: str = "any") -> pd.DataFrame:
    """Share of mentees active on `platform` ("any": on at least one) per month relative to their cohort's start
    (missing row = inactive). One platform at a time: all five and "any" took twice as long."""
    return scoped(
        source,
        filters,
        """with mentees as (
               select participant_id, cohort_group as cohort_id from privacy_people
               where role = 'mentee' and participant_id in {people}),
           sizes as (select cohort_id, count(*) as mentees from mentees group by cohort_id),
           starts as (select cohort_id, date_trunc('month', start_date)::date as start_month from asof_cohorts),
           -- each mentee's months from a year before their cohort's start to two years after, up to the as-of date:
           -- dates compared per row, the months from the start counted per group (a fifth faster)
           spans as (
               select m.participant_id, d.cohort_person_no, m.cohort_id,
                      (s.start_month - interval 12 month)::date as first_month,
                      least((s.start_month + interval 24 month)::date, (select as_of from as_of_date)) as last_month
               from mentees m join starts s using (cohort_id) join dim_participants d using (participant_id)),
           activity as (
               select s.cohort_person_no, s.cohort_id, a.month, a.active, a.posts
               from stg_social_activity a
               join spans s on a.participant_id = s.participant_id and a.month between s.first_month and s.last_month
               where $platform = 'any' or a.platform = $platform),
           posts as (select cohort_id, month, sum(posts) as posts from activity group by all),
           -- each mentee once a month, however many platforms they were active on: counted over active rows only
           -- (far fewer), as a bitstring of the cohort's people active, its length from the numbers' statistics in
           -- dim_participants (a distinct count: 0.44 s instead of 0.27 s at 100,010 pairs)
           active as (
               select cohort_id, month, bit_count(bitstring_agg(cohort_person_no)) as active
               from activity where active group by all)
           select p.cohort_id, datediff('month', st.start_month, p.month) as months_from_start, s.mentees,
                  coalesce(a.active, 0) as active, coalesce(a.active, 0) / s.mentees as share_active,
                  p.posts / s.mentees as posts_per_mentee
           from posts p left join active a using (cohort_id, month) join sizes s using (cohort_id)
           join starts st using (cohort_id)
           order by all""",
        platform=platform,
    )


# per person and cohort: share of observed months active in the pre and post windows (mentees and comparison)
ADOPTION_WINDOWS = """(select cohort_id, participant_id, group_name,
           max(share_active) filter (where program_window = 'pre') as pre,
           max(share_active) filter (where program_window = 'post') as post
    from fct_adoption_windows
    where platform = $platform and list_contains($groups, group_name) and participant_id in {people}
      and participant_id in (select participant_id from privacy_people)
      and (len($cohorts) = 0 or cohort_id in (select unnest($cohorts)))
    group by all)"""


def adoption_windows(
    source: Source, filters: Filters, platform: str = "any", groups: tuple[str, ...] = ("mentee", "comparison")
) -> pd.DataFrame:
    """Adoption windows as a frequency table: per cohort, group (of `groups`: mentee, comparison) and the shares of
    months active before and after, the number of `people` with them (`expand` gives one row per person and cohort).
    Mentees alone take a fifth less time (no comparison executive in every cohort)."""
    return scoped(source, filters, counted(ADOPTION_WINDOWS, "cohort_id, group_name, pre, post", "people"),
                  platform=platform, groups=list(groups))  # fmt: skip


# what session time is costed with, made once for the costs and their warning (0.2 s each at 100,000 pairs): the
# hours of the released held sessions per cohort and mentee level (45 minutes when not logged), and the cells' hourly
# costs per role (privacy_cost_rates)
SESSION_TIME = (
    (
        "hours",
        """select cohort_id, mentee_level as level, sum(coalesce(duration_min, 45)) / 60 as hours
           from privacy_session_values where pair_id in {pairs} group by all""",
    ),
    ("rates", "select * from privacy_cost_rates"),
)

COSTS = """with
    time_costs as (
        select h.cohort_id, case r.role when 'mentee' then 'Mentee time in sessions'
                           else 'Mentor time in sessions' end as category,
               sum(h.hours * r.hourly_cost) as amount
        from hours h join rates r using (cohort_id, level)
        group by all),
    pair_shares as (
        select cohort_id, count(*) filter (where pair_id in {pairs}) / count(*) as share
        from asof_pairs group by cohort_id)
    select * from time_costs
    union all
    select c.cohort_id, c.category,
           c.amount * case when len($levels) = 0 then 1 else coalesce(s.share, 0) end
    from asof_costs c left join pair_shares s using (cohort_id)
    where (len($cohorts) = 0 or c.cohort_id in (select unnest($cohorts)))
      and (len($levels) = 0 or s.share > 0)
    order by cohort_id, category"""

UNCOSTED_TIME = """select h.cohort_id, r.role, sum(h.hours) as hours
    from hours h cross join (values ('mentee'), ('mentor')) as r (role)
    anti join rates c on c.cohort_id = h.cohort_id and c.level = h.level and c.role = r.role
    group by all order by all"""


def costs(source: Source, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fully loaded costs by cohort and category: session time of mentors and mentees, plus listed costs; and per
    cohort and role, the session hours with no hourly cost to count them at, which the costs leave out.

    Session time: the hours of the released held sessions of each cohort and mentee level, at that cell's mean hourly
    cost per role (privacy_cost_rates); a cell with fewer than the minimum of a role's people with a known cost has
    no mean. A cohort's listed costs are its pairs': under a mentee-level filter, each cohort's share of them is the
    share of its pairs the filter keeps (a level never costs more than the cohorts it is part of)."""
    return scoped_queries(source, filters, (COSTS, UNCOSTED_TIME), shared=SESSION_TIME)


def held_sessions(source: Source, filters: Filters) -> pd.Series:
    """Sessions held by the as-of date, and those of them released to aggregates (privacy_session_values), the
    ones session time is costed over: the difference of two views never tells two people's hourly costs."""
    return scoped(
        source,
        filters,
        """select (select count(*) from fct_session_status where as_of_status = 'held' and pair_id in {pairs})
                      as held,
                  (select count(*) from privacy_session_values where pair_id in {pairs})
                      as released""",
    ).iloc[0]


# the mentors of ended pairs, at the pair of theirs known to have ended first, and the outcomes ROI may count
MENTOR_OUTCOMES = "(select * from privacy_mentors where pair_id in {pairs})"


def roi_outcomes(source: Source, filters: Filters) -> pd.Series:
    """Counts the benefits are built on: executives newly active (of `mentees_observed`, the mentees released to
    aggregates with both adoption windows observed), ideas logged, and the mentors of pairs that have
    ended (the pair closed, or its cohort ended) with their promotions, and departures within a year of that end.
    Mentors are counted in batches of the minimum group per cohort and mentee level (`mentors_counted`), retention
    only over mentors whose year after that end was over by the as-of date (`mentors_year_counted`; before, it is not
    known); `mentors_ended` and `mentors_year_over` count all of them, for saying how many wait."""
    return scoped(
        source,
        filters,
        f"""with mentors as (
               select count(*) as mentors_ended,
                      count(*) filter (where year_over) as mentors_year_over,
                      count(*) filter (where released) as mentors_counted,
                      count(*) filter (where promoted) as mentors_promoted,
                      count(*) filter (where year_counted) as mentors_year_counted,
                      count(*) filter (where left_company) as mentors_left
               from {MENTOR_OUTCOMES}),
           windows as (
               select count(*) filter (where pre = 0 and post > 0) as newly_active,
                      count(*) filter (where pre is not null and post is not null) as mentees_observed
               from (select participant_id, cohort_id,
                            max(share_active) filter (where program_window = 'pre') as pre,
                            max(share_active) filter (where program_window = 'post') as post
                     from fct_adoption_windows
                     where platform = 'any' and group_name = 'mentee' and participant_id in {{people}}
                       and participant_id in (select participant_id from privacy_people)
                     group by all))
           select
               windows.*,
               (select coalesce(sum(ideas_count), 0) from privacy_session_values
                where pair_id in {{pairs}}) as ideas,
               (select count(distinct mentor_id) from asof_pairs where pair_id in {{pairs}}) as mentors,
               mentors.*
           from mentors, windows""",
    ).iloc[0]


def composition(source: Source, filters: Filters) -> pd.DataFrame:
    """Mentees per cohort and level: the expansion is a different population."""
    return scoped(
        source,
        filters,
        """select p.cohort_id, coalesce(d.level, 'unknown') as level, count(distinct p.mentee_id) as mentees
           from asof_pairs p join asof_participants d on d.participant_id = p.mentee_id
           where p.pair_id in {pairs} group by all order by all""",
    )


def sessions_reached(source: Source, filters: Filters) -> pd.DataFrame:
    """Per cohort with pairs in scope: the highest session number held by the as-of date (how far into the program
    it is, 0 before the first) and the most sessions a pair plans."""
    return scoped(
        source,
        filters,
        """select p.cohort_id, coalesce(max(s.session_no), 0) as reached, max(p.planned_sessions) as planned
           from asof_pairs p left join fct_session_status s on s.pair_id = p.pair_id and s.as_of_status = 'held'
           where p.pair_id in {pairs} group by p.cohort_id""",
    )


# per pair over its first $first_sessions sessions (equal exposure): attendance, mean trust, aha share, ideas per
# session; plus its outcome (completed counts only where the outcome is known)
PAIR_VALUES = """(select h.pair_id, h.cohort_id, a.attendance_rate,
           case h.outcome when 'completed' then 1 when 'ended early' then 0 end as completed,
           v.mean_trust, v.aha_share, v.ideas_per_session
    from fct_pair_health h
    left join (select pair_id, count(*) filter (where as_of_status = 'held') / count(*) as attendance_rate
               from privacy_sessions where session_no <= $first_sessions group by pair_id) a using (pair_id)
    left join (select pair_id, avg(trust_rating) as mean_trust, avg(aha_moment::int) as aha_share,
                      avg(ideas_count) as ideas_per_session
               from privacy_session_values where session_no <= $first_sessions group by pair_id) v using (pair_id)
    where h.pair_id in {pairs})"""


def pair_metrics(source: Source, filters: Filters, first_sessions: int) -> pd.DataFrame:
    """Pair metrics as a frequency table in long form: per cohort, metric (a column of PAIR_VALUES) and value, the
    number of `pairs` with it; a pair without a value for a metric (no session held) is not counted in it."""
    return scoped(
        source,
        filters,
        counted(f"""(unpivot (select * exclude (pair_id) from {PAIR_VALUES})
                     on attendance_rate, completed, mean_trust, aha_share, ideas_per_session
                     into name metric value value)""", "cohort_id, metric, value", "pairs"),
        first_sessions=first_sessions,
    )  # fmt: skip


def has_table(source: Source, name: str) -> bool:
    """A warehouse built before a saved table existed has none until its next load or save."""
    exists = query(
        source, "select count(*) as n from information_schema.tables where table_name = $name", {"name": name}
    )
    return bool(exists["n"].iloc[0])


def roi_scenarios(source: Source) -> pd.DataFrame:
    """Saved ROI assumptions, the last used first (none in a warehouse that never saved one)."""
    if not has_table(source, "roi_scenarios"):
        return pd.DataFrame(columns=["name", *SCENARIO_FIELDS, "saved_at", "last_used_at"])
    return query(source, "select * from roi_scenarios order by last_used_at desc, name")


def pair_contacts(source: Source, filters: Filters) -> pd.DataFrame:
    """Coordinators' contacts with the pairs in scope, the latest first. As of an earlier date, those made by then (a
    note is known from its day); at the data date (the default), every one: calls are made while the data lags, and
    today's call must show while the sessions loaded run to last week."""
    if not has_table(source, "pair_contacts"):
        return pd.DataFrame({"pair_id": pd.Series(dtype="str"), "contacted_on": pd.Series(dtype="datetime64[us]"),
                             "note": pd.Series(dtype="str")})  # fmt: skip
    return scoped(
        source,
        filters,
        """select pair_id, contacted_on, note from pair_contacts
           where ((select is_data_date from as_of_date) or contacted_on <= (select as_of from as_of_date))
             and pair_id in {pairs}
           order by contacted_on desc, pair_id""",
    )


def row_counts(source: Source) -> pd.DataFrame:
    union = " union all ".join(f"select '{e.name}' as entity, count(*) as rows from raw_{e.name}" for e in ENTITIES)
    return query(source, union)


def load_history(source: Source) -> pd.DataFrame:
    return query(
        source,
        """select load_id, started_at, finished_at, outcome, folder, files, rows_read, rows_loaded, rows_rejected,
                  rows_inserted, rows_updated, reconciliation
           from load_history order by load_id desc limit 200""",
    )


def load_files(source: Source) -> pd.DataFrame:
    return query(
        source,
        """select load_id, file_name, entity, sha256, bytes, rows_read, rows_loaded, rows_rejected,
                  rows_inserted, rows_updated, rows_unchanged
           from load_files order by load_id desc, file_name limit 2000""",
    )


def has_survey_answers(source: Source, filters: Filters, wave: str | None = None) -> bool:
    """Whether any survey answer (of `wave`, or of any), of anyone, is known at the as-of date: whether there is a
    survey to speak of yet."""
    sql = "select exists (select 1 from asof_construct_answers where $wave is null or wave = $wave) as found"
    return bool(query(source, sql, {"wave": wave}, filters.as_of)["found"].iloc[0])


def quarantined_rows(source: Source) -> int:
    """How many quarantined rows are still to fix (OUTSTANDING_QUARANTINE): rows the figures do not hold."""
    return int(query(source, f"select count(*) as n from ({OUTSTANDING_QUARANTINE})")["n"].iloc[0])


def quarantine(source: Source) -> pd.DataFrame:
    """The quarantined rows still to fix (OUTSTANDING_QUARANTINE)."""
    return query(
        source,
        f"""select load_id, file_name, line, problems from ({OUTSTANDING_QUARANTINE})
            order by load_id desc, file_name, line limit 5000""",
    )


def freshness(source: Source) -> pd.DataFrame:
    return query(
        source,
        """select 'Sessions' as source, sessions_latest as latest from dim_data_date
           union all select 'Surveys', surveys_latest from dim_data_date
           union all select 'Social activity (month start)', activity_latest from dim_data_date""",
    )
