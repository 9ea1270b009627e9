-- one row per participant, construct, wave and submission date known at the as-of date, with the respondent's
-- cohort then and level
with

as_of as (select as_of from as_of_date),

answers as (select * from fct_construct_answers),

people as (select participant_id, role, cohort_id, level from asof_participants),

cohorts as (select cohort_id, start_date, end_date from asof_cohorts),

-- an answer counts from its submission; undated ones once the cohort reached the wave (pre at start, later at end)
final as (
    select
        answers.*,
        people.role,
        people.cohort_id,
        people.level,
        case
            when answers.submitted_on is not null then answers.submitted_on
            when answers.wave = 'pre' then cohorts.start_date
            else cohorts.end_date
        end as known_on
    from answers
    cross join as_of
    left join people using (participant_id)
    left join cohorts using (cohort_id)
    where case
        when answers.submitted_on is not null then answers.submitted_on <= as_of.as_of
        when answers.wave = 'pre' then cohorts.start_date <= as_of.as_of
        else cohorts.end_date <= as_of.as_of
    end
)

select * from final
