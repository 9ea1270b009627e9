-- one row per pair per session, with what it was as of the as-of date
with

sessions as (select * from fct_sessions),

as_of as (select as_of from as_of_date),

final as (
    select
        sessions.*,
        case
            when sessions.status in ('held', 'missed', 'cancelled') and sessions.happened_on <= as_of.as_of
                then sessions.status
            when sessions.scheduled_on > as_of.as_of then 'upcoming'
            -- due on or before the as-of date and not recorded: coordinators want to know
            else 'unrecorded'
        end as as_of_status,
        as_of.as_of
    from sessions
    cross join as_of
)

select * from final
