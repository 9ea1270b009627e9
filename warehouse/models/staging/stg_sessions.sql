-- one row per pair per session
select
    -- ids
    pair_id,
    session_no,
    -- dates: a held session without held_on took place on its scheduled day
    scheduled_on,
    case when status = 'held' then coalesce(held_on, scheduled_on) end as held_on,
    case when status in ('held', 'missed', 'cancelled') then coalesce(held_on, scheduled_on) end as happened_on,
    -- attendance
    status,
    duration_min,
    mentor_present,
    mentee_present,
    -- session log
    topic,
    phase as logged_phase,
    trust_rating,
    aha_moment,
    ideas_count,
    notes
from raw_sessions
