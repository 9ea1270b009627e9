-- one row per participant per wave per item: the answer on the item's scale, reverse-coded items flipped. A view, not a
-- table: writing its 4 M rows at 100,000 pairs took a second of each load, and its readers run as fast on the view
with

items as (select * from stg_survey_items),

responses as (select * from stg_survey_responses),

final as (
    select
        -- ids
        responses.participant_id,
        responses.wave,
        responses.item_id,
        items.construct,
        -- measure: flipped so that higher is always the good direction
        case when items.reverse_coded then items.scale_min + items.scale_max - responses.value
            else responses.value end as value,
        items.scale_min,
        items.scale_max,
        -- dates
        responses.submitted_on
    from responses
    inner join items using (item_id)
)

select * from final
