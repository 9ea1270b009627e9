-- one row per participant, construct, wave and submission date: how many items were answered and their sum, so
-- that the scores known at an as-of date add up from far fewer rows than the answers
select
    participant_id,
    construct,
    wave,
    submitted_on,
    count(*) as items_answered,
    sum(value) as value_sum,
    -- the dates this person's construct and wave were answered on (almost always one). Partitioned by a hash, faster
    -- than by three texts: a collision would only send two people's scores to the path that groups them
    count(*) over (partition by hash(participant_id, construct, wave)) as submissions
from stg_survey_answers
group by participant_id, construct, wave, submitted_on
