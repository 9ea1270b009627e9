-- one row per participant per platform per month known at the as-of date, in event time around the cohort
with

activity as (
    select stg_social_activity.*
    from stg_social_activity
    cross join as_of_date
    where stg_social_activity.month <= as_of_date.as_of
),

people as (select * from asof_participants),

cohorts as (select * from asof_cohorts),

final as (
    select
        -- ids
        activity.participant_id,
        people.role,
        people.cohort_id,
        activity.platform,
        -- time: months relative to the cohort's start month (mentors and mentees only)
        activity.month,
        datediff('month', date_trunc('month', cohorts.start_date), activity.month) as months_from_start,
        case
            when cohorts.cohort_id is null then null
            when activity.month < date_trunc('month', cohorts.start_date) - interval 3 month then 'before'
            when activity.month < date_trunc('month', cohorts.start_date) then 'pre'
            when activity.month <= date_trunc('month', cohorts.end_date) then 'during'
            when activity.month <= date_trunc('month', cohorts.end_date) + interval 3 month then 'post'
            else 'after'
        end as program_window,
        -- measures
        activity.active,
        activity.posts,
        activity.interactions,
        activity.connections
    from activity
    left join people using (participant_id)
    left join cohorts using (cohort_id)
)

select * from final
