-- one row per pair per session of the pairs known at the as-of date, with what it was then
with

sessions as (select * from fct_sessions),

pairs as (select pair_id, as_of from asof_pairs),

dated as (
    select
        sessions.*,
        pairs.as_of,
        sessions.status in ('held', 'missed', 'cancelled') and sessions.happened_on <= pairs.as_of as has_happened
    from sessions
    inner join pairs using (pair_id)
),

-- a session that happened later was only a plan then: its date, attendance and log were not known
final as (
    select
        -- ids
        pair_id,
        cohort_id,
        session_no,
        -- dates
        scheduled_on,
        case when has_happened then held_on end as held_on,
        case when has_happened then happened_on end as happened_on,
        -- attendance
        case
            when has_happened then status
            when status = 'rescheduled' then 'rescheduled'
            when scheduled_on > as_of then 'upcoming'
            -- due on or before the as-of date and not recorded: coordinators want to know
            else 'unrecorded'
        end as as_of_status,
        case when has_happened then duration_min end as duration_min,
        case when has_happened then mentor_present end as mentor_present,
        case when has_happened then mentee_present end as mentee_present,
        -- learning phase (planned or logged)
        topic,
        phase,
        phase_source,
        -- phase indicators
        case when has_happened then trust_rating end as trust_rating,
        case when has_happened then aha_moment end as aha_moment,
        case when has_happened then ideas_count end as ideas_count,
        has_happened and phase_indicator_present as phase_indicator_present,
        -- privacy: the cell a session is released in, and its place in the cell's order
        mentee_level,
        value_group,
        case when has_happened then release_position end as release_position,
        case when has_happened then value_position end as value_position,
        as_of
    from dated
)

select * from final
