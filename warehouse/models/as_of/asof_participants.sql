-- one row per participant as known at the as-of date: the cohort of their first pair by then, outcomes dated by then
with

as_of as (select as_of from as_of_date),

pairs as (select * from asof_pairs),

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
        people.participant_id,
        people.role,
        memberships.cohort_id,
        people.level,
        people.business_unit,
        people.location,
        people.generation,
        people.hourly_cost,
        -- a promotion or a departure after the as-of date was not known yet
        case when people.promoted_on <= as_of.as_of then people.promoted_on end as promoted_on,
        case when people.left_on <= as_of.as_of then people.left_on end as left_on
    from dim_participants as people
    cross join as_of
    left join memberships on memberships.person_id = people.participant_id
)

select * from final
