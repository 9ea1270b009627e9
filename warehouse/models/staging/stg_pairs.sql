-- one row per pair
select
    -- ids
    pair_id,
    cohort_id,
    mentor_id,
    mentee_id,
    -- dates
    matched_on,
    ended_on,
    -- state
    coalesce(status, 'active') as pair_status,
    end_reason
from raw_pairs
