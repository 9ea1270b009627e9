-- one row per cohort, window and month: the three months before a cohort starts (pre) and after it ends (post)
with

cohorts as (select cohort_id, start_date, end_date from stg_cohorts),

final as (
    select cohort_id, 'pre' as program_window, unnest(generate_series(
        date_trunc('month', start_date) - interval 3 month,
        date_trunc('month', start_date) - interval 1 month,
        interval 1 month))::date as month
    from cohorts
    union all
    select cohort_id, 'post', unnest(generate_series(
        date_trunc('month', end_date) + interval 1 month,
        date_trunc('month', end_date) + interval 3 month,
        interval 1 month))::date
    from cohorts
)

select * from final
