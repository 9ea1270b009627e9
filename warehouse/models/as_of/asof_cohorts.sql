-- one row per cohort started by the as-of date, and whether it was still running then
with

as_of as (select as_of from as_of_date),

final as (
    select
        cohorts.*,
        cohorts.end_date > as_of.as_of as is_running,
        as_of.as_of
    from stg_cohorts as cohorts
    cross join as_of
    where cohorts.start_date <= as_of.as_of
)

select * from final
