-- one row: the date the as-of models are computed at (the page's choice, else the data date)
select
    coalesce(getvariable('as_of'), data_date, current_date) as as_of,
    data_date,
    getvariable('as_of') is null as is_data_date
from dim_data_date
