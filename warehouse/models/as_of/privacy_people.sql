-- one row per mentee or comparison executive known at the as-of date whose values may enter an aggregate:
-- people are released in batches of the minimum group per cohort and level, in the order they joined
with

settings as (select min_group from as_of_date),

-- when each mentee became known in a cohort (matched, and the cohort started): the order never changes as the date
-- moves, so batches only grow
joined as (
    select pairs.mentee_id as participant_id, min(greatest(pairs.matched_on, cohorts.start_date)) as joined_on
    from asof_pairs as pairs
    inner join asof_cohorts as cohorts using (cohort_id)
    group by pairs.mentee_id
),

people as (
    select
        people.participant_id,
        people.role,
        -- comparison executives form their own group
        case when people.role = 'comparison' then 'comparison' else people.cohort_id end as cohort_group,
        coalesce(people.level, 'unknown') as level,
        joined.joined_on
    from asof_participants as people
    left join joined using (participant_id)
    where people.role = 'comparison' or (people.role = 'mentee' and people.cohort_id is not null)
),

-- a cell's people past its last full batch are its newest, cell size mod min_group of them: found as the cell's
-- top rows by when they joined, without sorting the cell (with a window's sort: 0.05 s instead of 0.04 s at 100,010
-- pairs)
held_back as (
    select unnest(list_slice(
        -- comparison executives join no pair: they come in the order of their IDs
        max_by(
            participant_id,
            (coalesce(joined_on, date '0001-01-01'), participant_id),
            (select min_group - 1 from settings)
        ),
        1,
        count(*) % (select min_group from settings)
    )) as participant_id
    from people
    group by cohort_group, level
),

final as (
    select participant_id, role, cohort_group, level
    from people
    anti join held_back using (participant_id)
)

select * from final
