-- one row: the date the as-of models are computed at (the page's choice, else the data date), and the smallest
-- group an aggregate may show (the reader's setting, else 5; see warehouse/privacy.py)
select
    coalesce(getvariable('as_of'), data_date, current_date) as as_of,
    data_date,
    getvariable('as_of') is null as is_data_date,
    greatest(coalesce(getvariable('min_group'), 5), 3)::bigint as min_group
from dim_data_date
