-- one row per participant; the only model with names and e-mails
select
    -- ids
    participant_id,
    role,
    -- identity (coordinators only)
    display_name,
    lower(email) as email,
    -- profile
    level,
    business_unit,
    location,
    generation,
    hourly_cost,
    -- outcomes
    promoted_on,
    left_on
from raw_participants
