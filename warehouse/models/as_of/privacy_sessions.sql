-- one row per session that happened by the as-of date and may enter an attendance rate (held or not; the values of
-- held sessions enter aggregates by privacy_session_values). Sessions are released in batches of the minimum group per
-- cohort, mentee level and session number, in the order they became known: any two views (other filters, other
-- dates, other sessions compared) then differ by whole batches, never by a few pairs
with

settings as (select min_group from as_of_date),

sessions as (select * from fct_session_status where happened_on is not null),

-- the sessions known at the as-of date are the first ones of their cell's order (release_position), so a session's
-- batch is full when the cell holds at least as many sessions as the batches up to it
cells as (
    select cohort_id, mentee_level, session_no, count(*) as cell_size
    from sessions
    group by all
),

final as (
    select sessions.* exclude (release_position, value_group, value_position)
    from sessions
    inner join cells using (cohort_id, mentee_level, session_no)
    cross join settings
    where sessions.release_position <= cells.cell_size // settings.min_group * settings.min_group
)

select * from final
