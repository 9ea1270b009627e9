-- one row per session with a note that had happened by the as-of date: free text for coordinators only
select notes.pair_id, notes.session_no, notes.notes
from fct_session_notes as notes
inner join fct_session_status as sessions using (pair_id, session_no)
where sessions.happened_on is not null
