-- one row per participant, without names or e-mails (analytics use ids only), with every pair they are in: the
-- cohort a person belongs to at an as-of date is that of their first pair known then
with

participants as (select * from stg_participants),

pairs as (
    select mentor_id as person_id, cohort_id, matched_on from stg_pairs
    union all
    select mentee_id, cohort_id, matched_on from stg_pairs
),

-- in the order they became known (matched, and the cohort started): an as-of view picks the first one known by its
-- date without grouping, and a pair known later never takes a person to another cohort (a pair matched earlier into
-- a cohort that started later would have moved them, out of one privacy batch and into another). Sorted
-- as a list (a struct sorts by its fields in order): 4x faster than an ordered aggregate
memberships as (
    select
        pairs.person_id,
        list_sort(
            list({
                'known_on': greatest(pairs.matched_on, cohorts.start_date),
                'matched_on': pairs.matched_on,
                'cohort_id': pairs.cohort_id
            })
        ) as memberships
    from pairs
    inner join stg_cohorts as cohorts using (cohort_id)
    group by pairs.person_id
),

-- 1 to the number of people of the cohort of their first pair, which is their cohort at any as-of date (the first
-- pair known then is the first of all): a set of a cohort's people can be a bitstring, a bit each
numbered as (
    select
        person_id,
        memberships,
        row_number() over (partition by memberships[1].cohort_id order by person_id) as cohort_person_no
    from memberships
),

final as (
    select
        participants.participant_id,
        numbered.cohort_person_no,
        participants.role,
        participants.level,
        participants.business_unit,
        participants.location,
        participants.generation,
        participants.hourly_cost,
        participants.promoted_on,
        participants.left_on,
        coalesce(numbered.memberships, []) as memberships
    from participants
    left join numbered on numbered.person_id = participants.participant_id
)

select * from final
