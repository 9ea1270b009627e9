-- one row per cohort, with its size
with

cohorts as (select * from stg_cohorts),

pairs as (select * from stg_pairs),

sizes as (
    select
        cohort_id,
        count(*) as pairs,
        count(distinct mentee_id) as mentees,
        count(distinct mentor_id) as mentors
    from pairs
    group by cohort_id
),

final as (
    select
        cohorts.*,
        coalesce(sizes.pairs, 0) as pairs,
        coalesce(sizes.mentees, 0) as mentees,
        coalesce(sizes.mentors, 0) as mentors
    from cohorts
    left join sizes using (cohort_id)
)

select * from final
