-- one row per pair per session, with its learning phase
with

sessions as (select * from stg_sessions),

pairs as (select * from dim_pairs),

mentees as (select participant_id, coalesce(level, 'unknown') as level from dim_participants),

cohorts as (select cohort_id, start_date from stg_cohorts),

-- sessions 1-2 trust, 3-5 insight, 6+ brainstorm for a plan of 7, scaled to other plans
phased as (
    select
        sessions.*,
        pairs.cohort_id,
        pairs.planned_sessions,
        mentees.level as mentee_level,
        -- a recorded session is known from when it happened, its pair was matched and its cohort started
        case when sessions.happened_on is not null
            then greatest(sessions.happened_on, pairs.matched_on, cohorts.start_date) end as known_on,
        -- which of a held session's values are known (one bit each): its rating, aha, ideas
        case when sessions.status = 'held' then
            (sessions.trust_rating is not null)::int
            + 2 * (sessions.aha_moment is not null)::int
            + 4 * (sessions.ideas_count is not null)::int
        end as value_group,
        case
            when sessions.session_no <= greatest(1, round(pairs.planned_sessions * 2 / 7)) then 'trust'
            when sessions.session_no <= greatest(2, round(pairs.planned_sessions * 5 / 7)) then 'insight'
            else 'brainstorm'
        end as derived_phase
    from sessions
    inner join pairs using (pair_id)
    left join cohorts using (cohort_id)
    left join mentees on mentees.participant_id = pairs.mentee_id
),

-- recorded sessions enter attendance rates in batches of the minimum group per cohort, mentee level and session
-- number, in the order they became known: the sessions known at any date are the first ones of this order, so a
-- reader only counts them (no sort at query time). Held sessions enter the aggregates of their values (ratings, aha,
-- ideas, hours) in batches of their own, per value group as well: a batch of recorded sessions with one held would
-- give that pair's rating, and one with a rating missing would give four. Numbered on the keys alone and joined back:
-- a window over whole rows took 5x as long
release_order as (
    select
        pair_id,
        session_no,
        row_number() over (
            partition by cohort_id, mentee_level, session_no order by known_on, pair_id
        ) as release_position,
        case when value_group is not null then row_number() over (
            partition by cohort_id, mentee_level, session_no, value_group order by known_on, pair_id
        ) end as value_position
    from phased
    where known_on is not null
),

ordered as (
    select phased.*, release_order.release_position, release_order.value_position
    from phased
    left join release_order using (pair_id, session_no)
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
        end is true as phase_indicator_present,
        -- privacy
        mentee_level,
        value_group,
        known_on,
        release_position,
        value_position
    from ordered
)

select * from final
