-- one row per participant per wave per item
select
    participant_id,
    wave,
    item_id,
    value,
    submitted_on
from raw_survey_responses
