-- one row per survey item
select
    item_id,
    construct,
    text as item_text,
    scale_min,
    scale_max,
    coalesce(reverse_coded, false) as reverse_coded
from raw_survey_items
