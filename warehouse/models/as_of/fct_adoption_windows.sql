-- one row per cohort per person per platform per window (pre, post): share of the window's observed months active,
-- from the months known at the as-of date
with

cohorts as (select * from asof_cohorts),

people as (select * from asof_participants),

activity as (select * from fct_social_activity),

-- months before the first or after the last one in the data are not observed: they do not count as inactive
observed as (select min(month) as first_month, max(month) as last_month from activity),

windows as (
    select cohort_id, 'pre' as program_window, unnest(generate_series(
        date_trunc('month', start_date) - interval 3 month,
        date_trunc('month', start_date) - interval 1 month,
        interval 1 month)) as month
    from cohorts
    union all
    select cohort_id, 'post', unnest(generate_series(
        date_trunc('month', end_date) + interval 1 month,
        date_trunc('month', end_date) + interval 3 month,
        interval 1 month))
    from cohorts
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

platforms as (
    select unnest(['linkedin', 'twitter', 'facebook', 'youtube', 'internal', 'any']) as platform
),

-- a person with no row for a platform and month was not active there
monthly as (
    select participant_id, platform, month, active from activity
    union all
    select participant_id, 'any', month, bool_or(active) from activity group by all
),

grid as (
    select
        cohort_groups.cohort_id,
        cohort_groups.participant_id,
        cohort_groups.group_name,
        platforms.platform,
        windows.program_window,
        windows.month
    from cohort_groups
    inner join windows using (cohort_id)
    cross join platforms
    cross join observed
    where windows.month between observed.first_month and observed.last_month
),

final as (
    select
        -- ids
        grid.cohort_id,
        grid.participant_id,
        grid.group_name,
        grid.platform,
        grid.program_window,
        -- measures
        count(*) as months_observed,
        count(*) filter (where monthly.active) as months_active,
        count(*) filter (where monthly.active) / count(*) as share_active
    from grid
    left join monthly
        on monthly.participant_id = grid.participant_id
        and monthly.platform = grid.platform
        and monthly.month = grid.month
    group by all
)

select * from final
