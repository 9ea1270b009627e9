-- one row per participant per platform per month
select
    participant_id,
    platform,
    month,
    active,
    posts,
    interactions,
    connections
from raw_social_activity
