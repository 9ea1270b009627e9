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

-- a row's batch is full when the cell holds at least as many rows as the batches up to it: one sort per cell
numbered as (
    select
        people.*,
        row_number() over cell as position,
        count(*) over (cell rows between unbounded preceding and unbounded following) as cell_size,
        settings.min_group
    from people
    cross join settings
    window cell as (partition by cohort_group, level order by joined_on nulls first, participant_id)
),

final as (
    select participant_id, role, cohort_group, level
    from numbered
    where position <= cell_size // min_group * min_group
)

select * from final
