-- one row per cost line of the cohorts started by the as-of date
select costs.cohort_id, costs.category, costs.amount, costs.note
from stg_costs as costs
inner join asof_cohorts using (cohort_id)
