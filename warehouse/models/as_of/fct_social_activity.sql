-- one row per participant per platform per month known at the as-of date, in event time around the cohort
with

activity as (
    select stg_social_activity.*
    from stg_social_activity
    cross join as_of_date
    where stg_social_activity.month <= as_of_date.as_of
),

-- each person with their cohort's dates, joined before the activity rows: one join of the months instead of two
-- (0.16 s to count them at 73,000 pairs, now 0.08 s). Grouped by person, one row each already: DuckDB then knows
-- that the join keeps each month once, and a count of the view (the load's reconciliation) reads only the months
-- (0.006 s)
people as (
    select
        asof_participants.participant_id,
        any_value(asof_participants.role) as role,
        any_value(asof_participants.cohort_id) as cohort_id,
        any_value(asof_cohorts.cohort_id) as known_cohort_id,
        any_value(asof_cohorts.start_date) as start_date,
        any_value(asof_cohorts.end_date) as end_date
    from asof_participants
    left join asof_cohorts using (cohort_id)
    group by asof_participants.participant_id
),

final as (
    select
        -- ids
        activity.participant_id,
        people.role,
        people.cohort_id,
        activity.platform,
        -- time: months relative to the cohort's start month (mentors and mentees only)
        activity.month,
        datediff('month', date_trunc('month', people.start_date), activity.month) as months_from_start,
        case
            when people.known_cohort_id is null then null
            when activity.month < date_trunc('month', people.start_date) - interval 3 month then 'before'
            when activity.month < date_trunc('month', people.start_date) then 'pre'
            when activity.month <= date_trunc('month', people.end_date) then 'during'
            when activity.month <= date_trunc('month', people.end_date) + interval 3 month then 'post'
            else 'after'
        end as program_window,
        -- measures
        activity.active,
        activity.posts,
        activity.interactions,
        activity.connections
    from activity
    left join people using (participant_id)
)

select * from final
