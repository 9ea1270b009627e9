-- one row per pair, with its cohort's plan and the day it closed
with

pairs as (select * from stg_pairs),

cohorts as (select * from stg_cohorts),

last_sessions as (
    select pair_id, max(happened_on) as last_happened_on
    from stg_sessions
    group by pair_id
),

final as (
    select
        -- ids
        pairs.pair_id,
        pairs.cohort_id,
        pairs.mentor_id,
        pairs.mentee_id,
        -- dates: a finished pair without ended_on closed with its last session
        pairs.matched_on,
        pairs.ended_on,
        case
            when pairs.pair_status in ('completed', 'ended_early')
                then coalesce(pairs.ended_on, last_sessions.last_happened_on, pairs.matched_on)
        end as closed_on,
        -- state
        pairs.pair_status,
        pairs.end_reason,
        -- plan
        cohorts.planned_sessions,
        cohorts.cadence_days
    from pairs
    inner join cohorts using (cohort_id)
    left join last_sessions using (pair_id)
)

select * from final
