-- one row per platform and month the social activity data holds, and per month for "any" platform: the months
-- observed at a date, without reading the activity. A month no one has a row for (an export missing) is not observed
-- on that platform, so it never counts as inactive
with

months as (select distinct platform, month from stg_social_activity),

final as (
    select platform, month from months
    union
    select 'any', month from months
)

select * from final
