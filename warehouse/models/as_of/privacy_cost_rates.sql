-- one row per cohort, mentee level and role (mentee, mentor): the hourly cost that session time is costed at, the
-- mean over the cell's pairs with that person's cost known, released in batches of the minimum group in the order the
-- pairs were matched. Costing each session at its own two people's costs let the totals of differently made batches
-- (session 1 without one pair, session 2 without another) be solved for every person's cost; a cell's mean moves
-- only by whole batches of people
with

settings as (select min_group from as_of_date),

costed as (
    select
        pairs.pair_id,
        pairs.cohort_id,
        coalesce(mentees.level, 'unknown') as level,
        pairs.matched_on,
        mentees.hourly_cost as mentee,
        mentors.hourly_cost as mentor
    from asof_pairs as pairs
    inner join asof_participants as mentees on mentees.participant_id = pairs.mentee_id
    inner join asof_participants as mentors on mentors.participant_id = pairs.mentor_id
),

-- unpivot leaves out an unknown cost
by_role as (unpivot costed on mentee, mentor into name role value hourly_cost),

numbered as (
    select
        by_role.*,
        row_number() over cell as position,
        count(*) over (cell rows between unbounded preceding and unbounded following) as cell_size
    from by_role
    window cell as (partition by cohort_id, level, role order by matched_on, pair_id)
),

final as (
    select cohort_id, level, role, avg(hourly_cost) as hourly_cost, count(*) as pairs
    from numbered
    cross join settings
    where position <= cell_size // settings.min_group * settings.min_group
    group by all
)

select * from final
