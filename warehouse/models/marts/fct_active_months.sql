-- one row per participant, platform and window month they were active, plus platform 'any' (active on at least
-- one): the months the adoption windows count, without the inactive rows and without grouping at every query
with

active as (
    select participant_id, platform, month
    from stg_social_activity
    where active and month in (select month from dim_adoption_windows)
),

final as (
    select * from active
    union all
    select distinct participant_id, 'any', month from active
)

select * from final
