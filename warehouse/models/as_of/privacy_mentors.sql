-- one row per mentor of a pair ended by the as-of date (it closed, or its cohort ended) whose outcomes may enter
-- Program ROI's counts: mentors are released in batches of the minimum group per cohort and mentee level of their
-- pair, in the order the pairs ended, since a count that grew by one mentor would tell whether that one was promoted
-- or left. Whether a mentor stayed is known a year after the end: those mentors enter the retention counts in
-- batches of their own, in the same order (the years end in the order the pairs did)
with

settings as (select as_of, min_group from as_of_date),

ended as (
    select
        pairs.pair_id,
        pairs.cohort_id,
        coalesce(mentees.level, 'unknown') as level,
        pairs.mentor_id,
        pairs.matched_on,
        coalesce(pairs.closed_on, pairs.cohort_end_date) as pair_end
    from asof_pairs as pairs
    left join asof_participants as mentees on mentees.participant_id = pairs.mentee_id
    where pairs.closed_on is not null or not pairs.cohort_is_running
),

-- a mentor of several pairs counts once, at the pair that ended first, whatever the filters keep: the cells then
-- add up, and no two views count one mentor in different cells
first_ended as (
    select *
    from ended
    qualify row_number() over (partition by mentor_id order by pair_end, pair_id) = 1
),

outcomes as (
    select
        first_ended.*,
        mentors.promoted_on between first_ended.matched_on and first_ended.pair_end + interval 1 year as promoted,
        mentors.left_on is not null and mentors.left_on <= first_ended.pair_end + interval 1 year as left_company,
        first_ended.pair_end + interval 1 year <= settings.as_of as year_over
    from first_ended
    inner join asof_participants as mentors on mentors.participant_id = first_ended.mentor_id
    cross join settings
),

-- the mentors whose year is over come first in each cell's order: a batch of them is full when the cell holds at
-- least as many of them as the batches up to it
numbered as (
    select
        outcomes.*,
        row_number() over cell as position,
        count(*) over (cell rows between unbounded preceding and unbounded following) as cell_size,
        -- a sum, not a filtered count: DuckDB recounts a filtered window for every row (0.7 s at 100,000 pairs)
        sum(year_over::int) over (cell rows between unbounded preceding and unbounded following) as year_over_size,
        settings.min_group
    from outcomes
    cross join settings
    window cell as (partition by cohort_id, level order by pair_end, pair_id)
),

final as (
    select
        -- ids
        pair_id,
        cohort_id,
        level,
        mentor_id,
        -- outcomes: whether the mentor left, only once counted for retention
        promoted,
        position <= year_over_size // min_group * min_group as year_counted,
        case when position <= year_over_size // min_group * min_group then left_company end as left_company
    from numbered
    where position <= cell_size // min_group * min_group
)

select * from final
