-- one row per participant, construct, wave and submission date: how many items were answered and their sum, so
-- that the scores known at an as-of date add up from far fewer rows than the answers
with

-- read twice, not stored between: a stored copy of 3 M answers raised the load's peak memory by 170 MB
answers as not materialized (select * from stg_survey_answers),

-- almost every construct and wave is answered on one date (or undated): grouped once, without a window over them
per_wave as (
    select
        participant_id,
        construct,
        wave,
        count(*) as items_answered,
        sum(value) as value_sum,
        min(submitted_on) as first_on,
        max(submitted_on) as last_on,
        count(submitted_on) as dated
    from answers
    group by participant_id, construct, wave
),

one_date as (
    select *, first_on is not distinct from last_on and dated in (0, items_answered) as is_one_date
    from per_wave
),

final as (
    select participant_id, construct, wave, first_on as submitted_on, items_answered, value_sum, 1 as submissions
    from one_date
    where is_one_date
    union all
    -- the rest, per date, with the number of dates this person's construct and wave were answered on
    select
        participant_id,
        construct,
        wave,
        submitted_on,
        count(*),
        sum(value),
        count(*) over (partition by participant_id, construct, wave)
    from answers
    semi join (select * from one_date where not is_one_date) using (participant_id, construct, wave)
    group by participant_id, construct, wave, submitted_on
)

select * from final
