-- one row per month in a cohort's adoption windows, with a bitstring of all these months where only its own bit is
-- set: a set of window months is the bitwise or of its months' bits
with

months as (
    select month, row_number() over (order by month) as month_no, count(*) over () as months
    from (select distinct month from dim_adoption_windows)
),

final as (
    select month, (repeat('0', month_no - 1) || '1' || repeat('0', months - month_no))::bit as month_bit
    from months
)

select * from final
