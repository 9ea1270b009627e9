-- one row per cohort per person per platform per window (pre, post): share of the window's observed months active,
-- from the months known at the as-of date
with

as_of as (select as_of from as_of_date),

cohorts as (select * from asof_cohorts),

people as (select * from asof_participants),

windows as (select * from dim_adoption_windows where cohort_id in (select cohort_id from cohorts)),

-- per platform, the window months the data holds at the as-of date, counted and as a bitstring: a month no row covers
-- (before a platform's data starts, or an export missing) is not observed there, so it does not count as inactive
observed_windows as (
    select
        windows.cohort_id,
        windows.program_window,
        months.platform,
        count(*) as months_observed,
        bit_or(window_months.month_bit) as observed_months
    from windows
    inner join dim_activity_months as months using (month)
    inner join dim_window_months as window_months using (month)
    where months.month <= (select as_of from as_of)
    group by all
),

-- the cohort's mentees, and every comparison executive as the untreated group over the same months
cohort_groups as (
    select cohort_id, participant_id, 'mentee' as group_name
    from people
    where role = 'mentee' and cohort_id is not null
    union all
    select cohorts.cohort_id, people.participant_id, 'comparison'
    from people
    cross join cohorts
    where people.role = 'comparison'
),

-- a person with no row for a platform was active in none of its months
final as (
    select
        -- ids
        cohort_groups.cohort_id,
        cohort_groups.participant_id,
        cohort_groups.group_name,
        observed_windows.platform,
        observed_windows.program_window,
        -- measures
        observed_windows.months_observed,
        coalesce(bit_count(active.active_months & observed_windows.observed_months), 0) as months_active,
        months_active / observed_windows.months_observed as share_active
    from cohort_groups
    inner join observed_windows using (cohort_id)
    left join fct_window_activity as active
        on active.participant_id = cohort_groups.participant_id and active.platform = observed_windows.platform
)

select * from final
