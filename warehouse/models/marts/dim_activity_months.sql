-- one row per month the social activity data holds: the months observed at a date, without reading the activity
select distinct month
from stg_social_activity
