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

batched as (
    select
        sessions.*,
        (row_number() over (
            partition by cohort_id, mentee_level, session_no order by happened_on, pair_id
        ) - 1) // settings.min_group as batch,
        settings.min_group
    from sessions
    cross join settings
),

final as (
    select * exclude (batch, min_group)
    from batched
    qualify count(*) over (partition by cohort_id, mentee_level, session_no, batch) = min_group
)

select * from final
