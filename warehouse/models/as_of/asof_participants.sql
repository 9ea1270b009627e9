-- one row per participant as known at the as-of date: the cohort of the first of their pairs known by then, outcomes
-- dated by then
with

as_of as (select as_of from as_of_date),

final as (
    select
        people.participant_id,
        people.role,
        -- the first pair known then (matched in a cohort started by then, as in asof_pairs)
        list_filter(people.memberships, lambda pair: pair.known_on <= as_of.as_of)[1].cohort_id as cohort_id,
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
)

select * from final
