-- one row per participant per construct per wave
with

items as (select * from stg_survey_items),

responses as (select * from stg_survey_responses),

construct_sizes as (
    select construct, count(*) as items_in_construct, min(scale_min) as scale_min, max(scale_max) as scale_max
    from items
    group by construct
),

-- reverse-coded items are flipped so that higher is always better
answers as (
    select
        responses.participant_id,
        responses.wave,
        items.construct,
        case when items.reverse_coded then items.scale_min + items.scale_max - responses.value
            else responses.value end as value,
        responses.submitted_on
    from responses
    inner join items using (item_id)
),

scored as (
    select
        participant_id,
        construct,
        wave,
        count(*) as items_answered,
        avg(value) as mean_value,
        max(submitted_on) as submitted_on
    from answers
    group by all
),

final as (
    select
        -- ids
        scored.participant_id,
        people.role,
        people.cohort_id,
        scored.construct,
        scored.wave,
        -- measure: missing when fewer than half of the construct's items were answered
        case when scored.items_answered * 2 >= sizes.items_in_construct then scored.mean_value end as score,
        scored.items_answered,
        sizes.items_in_construct,
        sizes.scale_min,
        sizes.scale_max,
        scored.submitted_on
    from scored
    inner join construct_sizes as sizes using (construct)
    left join dim_participants as people using (participant_id)
)

select * from final
