-- one row per cohort
select
    -- ids
    cohort_id,
    name as cohort_name,
    -- dates: a missing end date is estimated from the plan
    start_date,
    coalesce(end_date, start_date + cast(cadence_days * planned_sessions as integer)) as end_date,
    end_date is null as end_date_estimated,
    -- plan
    planned_sessions,
    cadence_days,
    audience
from raw_cohorts
