-- one row per pair matched by the as-of date in a cohort started by then, in the state it had then
with

as_of as (select as_of from as_of_date),

cohorts as (select cohort_id, end_date, is_running from asof_cohorts),

final as (
    select
        -- ids
        pairs.pair_id,
        pairs.cohort_id,
        pairs.mentor_id,
        pairs.mentee_id,
        -- dates: a pair that closes later was still active then
        pairs.matched_on,
        case when pairs.closed_on <= as_of.as_of then pairs.closed_on end as closed_on,
        case when pairs.closed_on <= as_of.as_of then pairs.ended_on end as ended_on,
        -- state
        case when pairs.closed_on <= as_of.as_of then pairs.pair_status else 'active' end as pair_status,
        case when pairs.closed_on <= as_of.as_of then pairs.end_reason end as end_reason,
        -- plan
        pairs.planned_sessions,
        pairs.cadence_days,
        cohorts.end_date as cohort_end_date,
        cohorts.is_running as cohort_is_running,
        as_of.as_of
    from dim_pairs as pairs
    inner join cohorts using (cohort_id)
    cross join as_of
    where pairs.matched_on <= as_of.as_of
)

select * from final
