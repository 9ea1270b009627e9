-- one row per participant, without names or e-mails (analytics use ids only), with every pair they are in: the
-- cohort a person belongs to at an as-of date is that of their first pair known then
with

participants as (select * from stg_participants),

pairs as (
    select mentor_id as person_id, cohort_id, matched_on from stg_pairs
    union all
    select mentee_id, cohort_id, matched_on from stg_pairs
),

-- first matched first; an as-of view picks the first one matched and started by its date without grouping
memberships as (
    select
        pairs.person_id,
        list(
            {'matched_on': pairs.matched_on, 'start_date': cohorts.start_date, 'cohort_id': pairs.cohort_id}
            order by pairs.matched_on, pairs.cohort_id
        ) as memberships
    from pairs
    inner join stg_cohorts as cohorts using (cohort_id)
    group by pairs.person_id
),

final as (
    select
        participants.participant_id,
        participants.role,
        participants.level,
        participants.business_unit,
        participants.location,
        participants.generation,
        participants.hourly_cost,
        participants.promoted_on,
        participants.left_on,
        coalesce(memberships.memberships, []) as memberships
    from participants
    left join memberships on memberships.person_id = participants.participant_id
)

select * from final
