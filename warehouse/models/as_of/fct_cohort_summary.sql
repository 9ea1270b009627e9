-- one row per cohort started by the as-of date: pairs, attendance, completion and health then
with

cohorts as (select * from asof_cohorts),

health as (select * from fct_pair_health),

sessions as (select * from fct_session_status),

pair_counts as (
    select
        cohort_id,
        count(*) as pairs,
        count(*) filter (where outcome = 'in progress') as pairs_in_progress,
        count(*) filter (where outcome = 'completed') as pairs_completed,
        count(*) filter (where outcome = 'ended early') as pairs_ended_early,
        count(*) filter (where health_status = 'On track') as pairs_on_track,
        count(*) filter (where health_status = 'Needs check-in') as pairs_needing_check_in,
        count(*) filter (where health_status = 'At risk') as pairs_at_risk,
        count(*) filter (where health_status = 'Too early to tell') as pairs_too_early
    from health
    group by cohort_id
),

session_counts as (
    select
        cohort_id,
        count(*) filter (where as_of_status = 'held') as sessions_held,
        count(*) filter (where as_of_status = 'missed') as sessions_missed,
        count(*) filter (where as_of_status = 'cancelled') as sessions_cancelled,
        count(*) filter (where as_of_status = 'unrecorded') as sessions_unrecorded,
        count(*) filter (where as_of_status = 'upcoming') as sessions_upcoming,
        avg(trust_rating) filter (where as_of_status = 'held') as mean_trust,
        avg(aha_moment::int) filter (where as_of_status = 'held') as aha_share,
        avg(ideas_count) filter (where as_of_status = 'held') as ideas_per_session
    from sessions
    group by cohort_id
),

final as (
    select
        -- ids
        cohorts.cohort_id,
        cohorts.cohort_name,
        cohorts.start_date,
        cohorts.end_date,
        cohorts.is_running,
        -- pairs
        coalesce(pair_counts.pairs, 0) as pairs,
        coalesce(pair_counts.pairs_in_progress, 0) as pairs_in_progress,
        coalesce(pair_counts.pairs_completed, 0) as pairs_completed,
        coalesce(pair_counts.pairs_ended_early, 0) as pairs_ended_early,
        coalesce(pair_counts.pairs_on_track, 0) as pairs_on_track,
        coalesce(pair_counts.pairs_needing_check_in, 0) as pairs_needing_check_in,
        coalesce(pair_counts.pairs_at_risk, 0) as pairs_at_risk,
        coalesce(pair_counts.pairs_too_early, 0) as pairs_too_early,
        -- completion among pairs whose outcome is known; running pairs are counted beside it
        pair_counts.pairs_completed / nullif(pair_counts.pairs_completed + pair_counts.pairs_ended_early, 0)
            as completion_rate,
        -- sessions: attendance pools every held, missed or cancelled session of the cohort
        coalesce(session_counts.sessions_held, 0) as sessions_held,
        coalesce(session_counts.sessions_missed, 0) as sessions_missed,
        coalesce(session_counts.sessions_cancelled, 0) as sessions_cancelled,
        coalesce(session_counts.sessions_unrecorded, 0) as sessions_unrecorded,
        coalesce(session_counts.sessions_upcoming, 0) as sessions_upcoming,
        session_counts.sessions_held / nullif(
            session_counts.sessions_held + session_counts.sessions_missed + session_counts.sessions_cancelled, 0
        ) as attendance_rate,
        -- phase indicators over held sessions
        session_counts.mean_trust,
        session_counts.aha_share,
        session_counts.ideas_per_session
    from cohorts
    left join pair_counts using (cohort_id)
    left join session_counts using (cohort_id)
)

select * from final
