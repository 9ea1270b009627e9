-- one row per session that happened by the as-of date and may enter an aggregate. Sessions are released in
-- batches of the minimum group per cohort, mentee level and session number, in the order they happened: any two
-- views (other filters, other dates, other sessions compared) then differ by whole batches, never by a few pairs
with

settings as (select min_group from as_of_date),

sessions as (
    select sessions.*, coalesce(mentees.level, 'unknown') as mentee_level
    from fct_session_status as sessions
    inner join asof_pairs as pairs using (pair_id)
    inner join asof_participants as mentees on mentees.participant_id = pairs.mentee_id
    where sessions.happened_on is not null
),

-- a row's batch is full when the cell holds at least as many rows as the batches up to it: one sort per cell
numbered as (
    select
        sessions.*,
        row_number() over cell as position,
        count(*) over (cell rows between unbounded preceding and unbounded following) as cell_size,
        settings.min_group
    from sessions
    cross join settings
    window cell as (partition by cohort_id, mentee_level, session_no order by happened_on, pair_id)
),

final as (
    select * exclude (position, cell_size, min_group)
    from numbered
    where position <= cell_size // min_group * min_group
)

select * from final
