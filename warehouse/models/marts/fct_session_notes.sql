-- one row per pair per session with a note: free text for coordinators only, never for analytics
select pair_id, session_no, notes
from stg_sessions
where notes is not null
