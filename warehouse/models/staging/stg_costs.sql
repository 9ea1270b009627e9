-- one row per cohort per cost category
select
    cohort_id,
    category,
    amount,
    note
from raw_costs
