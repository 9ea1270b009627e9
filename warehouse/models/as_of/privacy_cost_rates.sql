-- one row per cohort, mentee level and role (mentee, mentor): the hourly cost that session time is costed at, the
-- mean over the cell's people with a cost known, released in batches of the minimum group of people in the order
-- their first pair of the cell was matched. Costing each session at its own two people's costs let the totals of
-- differently made batches (session 1 without one pair, session 2 without another) be solved for every person's cost;
-- a cell's mean moves only by whole batches of people. Counted per person, not per pair: a mentor of five pairs in a
-- cell made a batch of one person, whose cost the cell's mean then was
with

settings as (select min_group from as_of_date),

costed as (
    select
        pairs.pair_id,
        pairs.cohort_id,
        coalesce(mentees.level, 'unknown') as level,
        pairs.matched_on,
        role.role,
        role.participant_id,
        role.hourly_cost
    from asof_pairs as pairs
    inner join asof_participants as mentees on mentees.participant_id = pairs.mentee_id
    inner join asof_participants as mentors on mentors.participant_id = pairs.mentor_id
    cross join lateral (
        values ('mentee', mentees.participant_id, mentees.hourly_cost),
               ('mentor', mentors.participant_id, mentors.hourly_cost)
    ) as role (role, participant_id, hourly_cost)
    where role.hourly_cost is not null
),

-- each person once per cell, at their first pair of it
people as (
    select cohort_id, level, role, participant_id, any_value(hourly_cost) as hourly_cost,
        min((matched_on, pair_id)) as first_pair
    from costed
    group by all
),

-- a cell's people past its last full batch are its newest, cell size mod min_group of them: found as the cell's
-- top rows by their first pair, without sorting the cell
held_back as (
    select
        cohort_id,
        level,
        role,
        unnest(list_slice(
            max_by(participant_id, (first_pair, participant_id), (select min_group - 1 from settings)),
            1,
            count(*) % (select min_group from settings)
        )) as participant_id
    from people
    group by cohort_id, level, role
),

final as (
    select cohort_id, level, role, avg(hourly_cost) as hourly_cost, count(*) as people
    from people
    anti join held_back using (cohort_id, level, role, participant_id)
    group by all
)

select * from final
