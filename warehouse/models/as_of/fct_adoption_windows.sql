-- one row per cohort per person per platform per window (pre, post): share of the window's observed months active,
-- from the months known at the as-of date
with

as_of as (select as_of from as_of_date),

cohorts as (select * from asof_cohorts),

people as (select * from asof_participants),

windows as (select * from dim_adoption_windows where cohort_id in (select cohort_id from cohorts)),

-- per platform, the window months the data holds at the as-of date: a month no row covers (before a platform's data
-- starts, or an export missing) is not observed there, so it does not count as inactive
observed_windows as (
    select windows.*, months.platform
    from windows
    inner join dim_activity_months as months using (month)
    where months.month <= (select as_of from as_of)
),

months_observed as (
    select cohort_id, platform, program_window, count(*) as months_observed
    from observed_windows
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

-- active months in the windows only (a person with no row for a platform and an observed month was not active),
-- joined to the windows by month first: a month lies in few cohorts' windows, while a comparison executive is in
-- every cohort's group (0.15-0.20 to 0.13 s at 100,010 pairs)
active_in_windows as (
    select observed_windows.cohort_id, active.participant_id, active.platform,
           observed_windows.program_window, count(*) as months_active
    from fct_active_months as active
    inner join observed_windows
        on observed_windows.month = active.month and observed_windows.platform = active.platform
    semi join cohort_groups
        on cohort_groups.cohort_id = observed_windows.cohort_id
        and cohort_groups.participant_id = active.participant_id
    group by all
),

final as (
    select
        -- ids
        cohort_groups.cohort_id,
        cohort_groups.participant_id,
        cohort_groups.group_name,
        months_observed.platform,
        months_observed.program_window,
        -- measures
        months_observed.months_observed,
        coalesce(active_in_windows.months_active, 0) as months_active,
        coalesce(active_in_windows.months_active, 0) / months_observed.months_observed as share_active
    from cohort_groups
    inner join months_observed using (cohort_id)
    left join active_in_windows
        on active_in_windows.cohort_id = cohort_groups.cohort_id
        and active_in_windows.participant_id = cohort_groups.participant_id
        and active_in_windows.platform = months_observed.platform
        and active_in_windows.program_window = months_observed.program_window
)

select * from final
