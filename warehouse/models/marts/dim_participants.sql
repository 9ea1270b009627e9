-- one row per participant, without names or e-mails (analytics use ids only); cohorts are known as of a date
with

participants as (select * from stg_participants),

final as (
    select
        participant_id,
        role,
        level,
        business_unit,
        location,
        generation,
        hourly_cost,
        promoted_on,
        left_on
    from participants
)

select * from final
