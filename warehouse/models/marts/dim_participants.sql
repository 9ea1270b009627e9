-- one row per participant, without names or e-mails (analytics use ids only)
with

participants as (select * from stg_participants),

pairs as (select * from stg_pairs),

-- a person's cohort is the one of their first pair
memberships as (
    select person_id, arg_min(cohort_id, matched_on) as cohort_id
    from (
        select mentor_id as person_id, cohort_id, matched_on from pairs
        union all
        select mentee_id, cohort_id, matched_on from pairs
    )
    group by person_id
),

final as (
    select
        participants.participant_id,
        participants.role,
        memberships.cohort_id,
        participants.level,
        participants.business_unit,
        participants.location,
        participants.generation,
        participants.hourly_cost,
        participants.promoted_on,
        participants.left_on
    from participants
    left join memberships on memberships.person_id = participants.participant_id
)

select * from final
