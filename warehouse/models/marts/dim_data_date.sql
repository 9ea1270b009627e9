-- one row: the latest date recorded in each source, and over all of them the data date
with

latest as (
    select
        (select max(happened_on) from stg_sessions) as sessions_latest,
        (select max(submitted_on) from stg_survey_responses) as surveys_latest,
        -- an activity month counts from its first day: it may still be partial
        (select max(month) from stg_social_activity) as activity_latest
),

final as (
    select
        greatest(sessions_latest, surveys_latest, activity_latest) as data_date,
        sessions_latest,
        surveys_latest,
        activity_latest
    from latest
)

select * from final
