-- one row per mentor of a pair ended by the as-of date (it closed, or its cohort ended), at the first of their pairs
-- known to have ended, with the outcomes Program ROI may count. Mentors are released in batches of the minimum group
-- per cohort and mentee level of that pair, in the order the pairs became known to have ended: a count that grew by
-- one mentor would tell whether that one was promoted or left. Whether a mentor stayed is known a year after the end:
-- those mentors enter the retention counts in batches of their own, in the order their years ended. Outcomes of
-- mentors not released are null; `year_over` (whether their year is over) is not an outcome and says who waits
with

settings as (select as_of, min_group from as_of_date),

ended as (
    select
        pairs.pair_id,
        pairs.cohort_id,
        coalesce(mentees.level, 'unknown') as level,
        pairs.mentor_id,
        pairs.matched_on,
        -- a pair ends when it closes or its cohort ends, whichever comes first: a closing after the cohort's end,
        -- dated only once it comes, would move the end of a pair already counted
        least(pairs.closed_on, pairs.cohort_end_date) as pair_end,
        -- known to have ended from then, and not before it was matched and its cohort started: a pair known later
        -- always comes later in the order, so batches only grow as the date moves
        greatest(least(pairs.closed_on, pairs.cohort_end_date), pairs.matched_on, cohorts.start_date) as ended_known_on
    from asof_pairs as pairs
    inner join asof_cohorts as cohorts using (cohort_id)
    left join asof_participants as mentees on mentees.participant_id = pairs.mentee_id
    where pairs.closed_on is not null or not pairs.cohort_is_running
),

-- a mentor of several pairs counts once, at the pair known to have ended first, whatever the filters keep: the cells
-- then add up, and no two views count one mentor in different cells
first_ended as (
    select *
    from ended
    qualify row_number() over (partition by mentor_id order by ended_known_on, pair_id) = 1
),

outcomes as (
    select
        first_ended.*,
        mentors.promoted_on between first_ended.matched_on and first_ended.pair_end + interval 1 year as promoted,
        mentors.left_on is not null and mentors.left_on <= first_ended.pair_end + interval 1 year as left_company,
        greatest(first_ended.pair_end + interval 1 year, first_ended.ended_known_on) as year_known_on,
        year_known_on <= settings.as_of as year_over
    from first_ended
    inner join asof_participants as mentors on mentors.participant_id = first_ended.mentor_id
    cross join settings
),

-- a batch is full when the cell holds at least as many rows as the batches up to it; sums, not filtered counts, over
-- the cell: DuckDB recounts a filtered window for every row (0.7 s at 100,000 pairs)
numbered as (
    select
        outcomes.*,
        settings.min_group,
        row_number() over cell as position,
        count(*) over (cell rows between unbounded preceding and unbounded following) as cell_size,
        row_number() over (partition by cohort_id, level, year_over order by year_known_on, pair_id) as year_position,
        sum(year_over::int) over (cell rows between unbounded preceding and unbounded following) as year_over_size
    from outcomes
    cross join settings
    window cell as (partition by cohort_id, level order by ended_known_on, pair_id)
),

released as (
    select
        *,
        position <= cell_size // min_group * min_group as is_released,
        year_over and year_position <= year_over_size // min_group * min_group as is_year_counted
    from numbered
),

final as (
    select
        -- ids
        pair_id,
        cohort_id,
        level,
        mentor_id,
        -- whether the year after the pair's end is over (counted or not)
        year_over,
        -- promotions, over the mentors released
        is_released as released,
        case when is_released then promoted end as promoted,
        -- departures within the year, over the mentors whose year is over, released in batches of their own
        is_year_counted as year_counted,
        case when is_year_counted then left_company end as left_company
    from released
)

select * from final
