-- one row per pair per session, with its learning phase
with

sessions as (select * from stg_sessions),

pairs as (select * from dim_pairs),

-- sessions 1-2 trust, 3-5 insight, 6+ brainstorm for a plan of 7, scaled to other plans
phased as (
    select
        sessions.*,
        pairs.cohort_id,
        pairs.planned_sessions,
        case
            when sessions.session_no <= greatest(1, round(pairs.planned_sessions * 2 / 7)) then 'trust'
            when sessions.session_no <= greatest(2, round(pairs.planned_sessions * 5 / 7)) then 'insight'
            else 'brainstorm'
        end as derived_phase
    from sessions
    inner join pairs using (pair_id)
),

final as (
    select
        -- ids
        pair_id,
        cohort_id,
        session_no,
        -- dates
        scheduled_on,
        held_on,
        happened_on,
        -- attendance
        status,
        status = 'held' as is_held,
        duration_min,
        mentor_present,
        mentee_present,
        -- learning phase: the logged one, else derived from the session number
        topic,
        coalesce(logged_phase, derived_phase) as phase,
        case when logged_phase is null then 'derived' else 'logged' end as phase_source,
        -- phase indicators
        trust_rating,
        aha_moment,
        ideas_count,
        status = 'held' and case coalesce(logged_phase, derived_phase)
            when 'trust' then trust_rating >= 4
            when 'insight' then aha_moment
            else ideas_count >= 1
        end is true as phase_indicator_present
    from phased
)

select * from final
