-- one row per participant per construct per wave, from the answers known at the as-of date
with

answers as (select * from asof_construct_answers),

items as (select * from stg_survey_items),

construct_sizes as (
    select construct, count(*) as items_in_construct, min(scale_min) as scale_min, max(scale_max) as scale_max
    from items
    group by construct
),

-- a score from one submission needs no grouping: only scores answered over several dates add up
scored as (
    select
        participant_id,
        role,
        cohort_id,
        level,
        construct,
        wave,
        items_answered,
        value_sum / items_answered as mean_value,
        submitted_on,
        known_on
    from answers
    where submissions = 1
    union all
    select
        participant_id,
        role,
        cohort_id,
        level,
        construct,
        wave,
        sum(items_answered),
        sum(value_sum) / sum(items_answered),
        max(submitted_on),
        max(known_on)
    from answers
    where submissions > 1
    group by all
),

final as (
    select
        -- ids
        scored.participant_id,
        scored.role,
        scored.cohort_id,
        scored.level,
        scored.construct,
        scored.wave,
        -- measure: missing when fewer than half of the construct's items were answered
        case when scored.items_answered * 2 >= sizes.items_in_construct then scored.mean_value end as score,
        scored.items_answered,
        sizes.items_in_construct,
        sizes.scale_min,
        sizes.scale_max,
        scored.submitted_on,
        scored.known_on
    from scored
    inner join construct_sizes as sizes using (construct)
)

select * from final
