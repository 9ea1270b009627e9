-- one row per session held by the as-of date whose values (trust rating, aha, ideas, its hours) may enter an
-- aggregate: batches of the minimum group per cohort, mentee level, session number and value group (which of those
-- values are known: fct_sessions), in the order they became known, so that an aggregate of any value covers whole
-- batches and two views differ by whole batches
with

settings as (select min_group from as_of_date),

sessions as (select * from fct_session_status where as_of_status = 'held'),

cells as (
    select cohort_id, mentee_level, session_no, value_group, count(*) as cell_size
    from sessions
    group by all
),

final as (
    select sessions.* exclude (release_position, value_group, value_position)
    from sessions
    inner join cells using (cohort_id, mentee_level, session_no, value_group)
    cross join settings
    where sessions.value_position <= cells.cell_size // settings.min_group * settings.min_group
)

select * from final
