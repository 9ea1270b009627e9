-- one row per participant per wave per item known at the as-of date, with the respondent's cohort then
select
    answers.*,
    known.role,
    known.cohort_id,
    known.known_on
from fct_survey_answers as answers
inner join asof_construct_answers as known
    on known.submission_key = answers.submission_key and known.participant_id = answers.participant_id
