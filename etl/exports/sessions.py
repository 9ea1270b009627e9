"""Meeting reports and session logs as canonical sessions rows, on the pair's own schedule."""

from dataclasses import dataclass, field
from datetime import date

from etl.contract import BY_NAME
from etl.exports.parse import email_key, judged_order, name_candidates, parse_date
from etl.exports.roster import Roster
from etl.exports.translation import Context, Translation
from etl.read_files import show
from etl.validate import values_problems


@dataclass
class Attendee:
    name: str
    email: str | None
    minutes: float
    line: int


@dataclass
class Meeting:
    file: str
    line: int  # where the report says when the meeting was
    held_on: date
    attendees: list[Attendee] = field(default_factory=list)
    date_text: str = ""  # the date as the report writes it
    other_day: date | None = None  # the date read with day and month swapped, when the file's order is only guessed
    guessed: str | None = None  # then the order it was read in ('mdy' or 'dmy')

    def people(self) -> list[Attendee]:
        """One entry per person: rejoins (extra rows) summed, grouped by email, else by the name shown."""
        people: dict[str, Attendee] = {}
        for a in self.attendees:
            key = email_key(a.email) or "name:" + a.name.strip().lower()
            if key in people:
                people[key].minutes += a.minutes
            else:
                people[key] = Attendee(a.name, a.email, a.minutes, a.line)
        return list(people.values())


def other_reading(text: str, values: list[str], settings: tuple[str | None, str | None]) -> tuple[str, date] | None:
    """The other day `text` can be, when nothing settles the file's order: no setting in mapping.toml and no date that
    proves it (a day over 12), only a guess from the layout (am/pm suggests the US, but Australia and India write day
    first with am/pm too), with the order guessed. None when the order is settled, or both readings are one day."""
    if any(settings) or judged_order(values, guess=False):
        return None
    guessed = judged_order(values, guess=True)
    if guessed not in ("mdy", "dmy"):
        return None
    read, other = parse_date(text, guessed), parse_date(text, "dmy" if guessed == "mdy" else "mdy")
    return (guessed, other) if read and other and other != read else None


@dataclass
class LogEntry:
    file: str
    line: int
    mentor_email: object
    date_text: str | None
    held_on: date | None
    values: dict[str, str | None]


def identify(attendee: Attendee, roster: Roster) -> tuple[str | None, list[str]]:
    """Email first, then a name only one participant has; the IDs sharing an ambiguous name."""
    by_email = roster.by_email(attendee.email)
    if by_email:
        return by_email, []
    return roster.by_name(name_candidates(attendee.name))


def pair_of_meeting(meeting: Meeting, roster: Roster, out: Translation) -> tuple[dict | None, dict[str, Attendee]]:
    """The one pair whose mentor and mentee both attended, and who is who; else a problem saying why."""
    present: dict[str, Attendee] = {}
    ambiguous = []
    for person in meeting.people():
        who, shared = identify(person, roster)
        if who:  # one person on two devices (a laptop signed in, a phone by name only): their minutes add up
            present[who] = combined(present.get(who), person)
        elif shared:
            ambiguous.append(f"{show(person.name)} is the name of {' and '.join(shared)}")
    pairs = roster.pairs[roster.pairs["mentor_id"].isin(present) & roster.pairs["mentee_id"].isin(present)]
    if len(pairs) == 1:
        return pairs.iloc[0].to_dict(), present
    if len(pairs) > 1:
        got = f"a meeting on {meeting.held_on} attended by pairs {' and '.join(pairs['pair_id'])}"
        out.problem(meeting.line, None, got, "one pair per meeting report: split the report or load it by hand")
        return None, present
    seen = ", ".join(sorted(present)) or "nobody on the roster"
    why = f" ({'; '.join(ambiguous)}: add their email to participants.csv)" if ambiguous else ""
    out.problem(
        meeting.line,
        None,
        f"a meeting on {meeting.held_on} that matches no pair (recognised: {seen}){why}",
        "a meeting of a pair's mentor and mentee (emails or names as in participants.csv)",
    )
    return None, present


def combined(first: Attendee | None, more: Attendee) -> Attendee:
    """One participant's attendance from two rows or reports: the minutes summed (a new entry, the rows unchanged)."""
    if first is None:
        return Attendee(more.name, more.email, more.minutes, more.line)
    return Attendee(first.name, first.email or more.email, first.minutes + more.minutes, first.line)


def settled_day(meeting: Meeting, pair_id: str, roster: Roster, into: Translation) -> bool:
    """A meeting whose day and month order was only guessed takes the reading that is near the pair's schedule when
    the other is not (and says so); when both are near, it is a problem asking for date_order, never a guess."""
    if meeting.other_day is None or roster.schedule(pair_id).empty:  # no schedule: reported as such
        return True
    read, other = meeting.held_on, meeting.other_day
    fits_read, fits_other = (not far_from_schedule(roster, pair_id, day) for day in (read, other))
    how = {True: "month/day", False: "day/month"}
    us = meeting.guessed == "mdy"
    if fits_read and fits_other:
        into.problem(
            meeting.line,
            "start time",
            f"{meeting.date_text!r}, which can be {read} ({how[us]}) or {other} ({how[not us]}), both near pair"
            f" {pair_id}'s scheduled sessions",
            'date_order = "mdy" (month first, US) or "dmy" (day first) in mapping.toml: this file\'s dates can\'t'
            " tell (no day over 12), and am/pm doesn't either (Australia and India write the day first with am/pm)",
        )
        meeting.held_on = min(read, other)  # what the load judges overdue by: the earlier day, never a later guess
        return False
    if fits_other:
        meeting.held_on = other
        read, other, us = other, read, not us
    if fits_read or fits_other:
        into.notes.append(
            f"{meeting.date_text!r} read as {read} ({how[us]}), as {how[not us]} it would be {other}, far from pair"
            f" {pair_id}'s schedule (if that is wrong, set date_order in mapping.toml)"
        )
    return True


def nearest_session(roster: Roster, pair_id: str, day: date) -> dict | None:
    """The pair's scheduled session nearest the day (the earlier one on a tie)."""
    schedule = roster.schedule(pair_id)
    if schedule.empty:
        return None
    gap = schedule["day"].map(lambda d: abs((d - day).days))
    best = schedule.assign(gap=gap).sort_values(["gap", "session_no"]).iloc[0]
    row = best.drop(labels=["gap", "day"]).to_dict()
    row["session_no"] = str(int(row["session_no"]))
    return row


def far_from_schedule(roster: Roster, pair_id: str, day: date) -> str | None:
    """Why a meeting on `day` is no session of the pair's schedule: further from every scheduled day than twice the
    pair's usual gap between sessions (at least 30 days), as a date read in the wrong order (7 Jan as 1 July) is."""
    days = sorted(roster.schedule(pair_id)["day"])
    gaps = sorted((later - earlier).days for earlier, later in zip(days, days[1:], strict=False))
    allowed = max(30, 2 * gaps[len(gaps) // 2]) if gaps else 30
    away = min(abs((scheduled - day).days) for scheduled in days)
    if away <= allowed:
        return None
    return f"a meeting on {day}, {away} days from pair {pair_id}'s nearest scheduled session"


def held_elsewhere(row: dict, day: date, into: Translation, line: int) -> bool:
    """A session already held on another day is never overwritten by a report of a different day."""
    if row.get("status") != "held" or not row.get("held_on") or row["held_on"] == day.isoformat():
        return False
    into.problem(
        line, None, f"a session on {day}, nearest pair {row['pair_id']} session {row['session_no']}, "
        f"which was held on {row['held_on']}",
        "a session not yet recorded: add it to the pair's schedule in sessions.csv",
    )  # fmt: skip
    return True


def meeting_fields(meeting: Meeting, pair: dict, present: dict[str, Attendee], minimum: float) -> dict:
    mentor, mentee = present[pair["mentor_id"]].minutes, present[pair["mentee_id"]].minutes
    both = mentor >= minimum and mentee >= minimum
    return {
        "status": "held" if both else "missed",
        "held_on": meeting.held_on.isoformat() if both else None,
        "duration_min": str(max(1, round(min(mentor, mentee)))) if both else None,
        "mentor_present": "true" if mentor >= minimum else "false",
        "mentee_present": "true" if mentee >= minimum else "false",
    }


def session_rows(meetings: list[Meeting], logs: list[LogEntry], ctx: Context) -> dict[str, Translation]:
    """One Translation per source file; a session's row is its schedule row, then its meeting, then its log."""
    roster, out, rows = ctx.roster, {}, {}  # rows: (pair_id, session_no) -> (row, file, line)
    # one meeting per pair and day: Teams writes a report per part when everyone left and the meeting started again
    days: dict[tuple[str, date], list[tuple[Meeting, dict, dict[str, Attendee]]]] = {}
    for meeting in meetings:
        into = out.setdefault(meeting.file, Translation(meeting.file, "", "sessions"))
        pair, present = pair_of_meeting(meeting, roster, into)
        if pair is None or not settled_day(meeting, pair["pair_id"], roster, into):
            continue
        days.setdefault((pair["pair_id"], meeting.held_on), []).append((meeting, pair, present))
    for (pair_id, _), parts in days.items():
        meeting, pair, present = parts[0]
        into = out[meeting.file]
        for part, _, more in parts[1:]:
            for who, person in more.items():
                present[who] = combined(present.get(who), person)
            out[part.file].notes.append(
                f"{part.held_on}: pair {pair_id}, the same meeting as {meeting.file}:{meeting.line} (one pair, one"
                " day: one meeting, minutes summed)"
            )
        row = nearest_session(roster, pair_id, meeting.held_on)
        if row is None:
            into.problem(
                meeting.line,
                None,
                f"no scheduled sessions for pair {pair_id}",
                "the pair's schedule in sessions.csv (pair_id, session_no, scheduled_on)",
            )
            continue
        if far := far_from_schedule(roster, pair_id, meeting.held_on):
            into.problem(meeting.line, None, far, "a meeting near a scheduled session: if its day and month are read"
                         ' the wrong way round, set date_order = "dmy" or "mdy" for this file in mapping.toml; if it'
                         " is a session of its own, add it to the pair's schedule in sessions.csv")  # fmt: skip
            continue
        key = (pair_id, row["session_no"])
        if key in rows:
            _, file, line = rows[key]
            into.problem(
                meeting.line,
                None,
                f"a second meeting for pair {key[0]} session {key[1]}",
                f"one meeting per session (the other is {file}:{line})",
            )
            continue
        if held_elsewhere(row, meeting.held_on, into, meeting.line):
            continue
        row.update(meeting_fields(meeting, pair, present, ctx.mapping.presence_minutes))
        rows[key] = (row, meeting.file, meeting.line)
        joined = f" (with {', '.join(part.file for part, _, _ in parts[1:])}: one meeting)" if parts[1:] else ""
        into.notes.append(f"{meeting.held_on}: pair {key[0]} session {key[1]}, {row['status']}{joined}")
    for entry in logs:
        into = out.setdefault(entry.file, Translation(entry.file, "", "sessions"))
        apply_log(entry, roster, rows, into, ctx.today)
    for translation in out.values():
        translation.records = [
            {**row, "_source_line": line} for row, file, line in rows.values() if file == translation.file
        ]
    return out


def apply_log(entry: LogEntry, roster: Roster, rows: dict, into: Translation, today: date) -> None:
    """The mentor's log joins the session its meeting became, or the one scheduled nearest its date."""
    mentor = roster.by_email(entry.mentor_email)
    pairs = roster.pairs[roster.pairs["mentor_id"] == mentor] if mentor else roster.pairs.iloc[0:0]
    if len(pairs) != 1:
        got = show(entry.mentor_email or "nothing")
        expected = (
            "the email of a mentor in participants.csv" if pairs.empty else f"a mentor with one pair (has {len(pairs)})"
        )
        into.problem(entry.line, "mentor email", got, expected)
        return
    if entry.held_on is None:
        expected = 'a date such as 2020-01-20 (set date_order = "mdy" or "dmy" in mapping.toml for 1/2/2020)'
        into.problem(entry.line, "session date", show(entry.date_text or "nothing"), expected)
        return
    pair_id = pairs["pair_id"].iloc[0]
    row = nearest_session(roster, pair_id, entry.held_on)
    if row is None:
        into.problem(
            entry.line, None, f"no scheduled sessions for pair {pair_id}", "the pair's schedule in sessions.csv"
        )
        return
    key = (pair_id, row["session_no"])
    if key in rows:
        row, file, line = rows[key]
        # the row is the meeting's: a value the load would refuse is the log's problem, at its line, and never joins
        # it (set aside, the row would take the meeting's attendance with it)
        given = {k: str(v) for k, v in entry.values.items() if v is not None}
        refused = values_problems(given, BY_NAME["sessions"], today)
        for column, got, expected in refused:
            into.problem(entry.line, column, got, expected)
        if refused:
            return
        into.notes.append(f"{entry.held_on}: log of pair {key[0]} session {key[1]}, joined to {file}:{line}")
    elif held_elsewhere(row, entry.held_on, into, entry.line):
        return
    else:
        row.update(status="held", held_on=entry.held_on.isoformat())  # a log without a meeting report: held that day
        rows[key] = (row, entry.file, entry.line)
        into.notes.append(f"{entry.held_on}: log of pair {key[0]} session {key[1]}, held (no meeting report)")
    row.update({k: v for k, v in entry.values.items() if v is not None})


def unreported(roster: Roster, rows: list[dict], as_of: date) -> list[str]:
    """Scheduled sessions due before `as_of` that no report or log covers: listed, not guessed."""
    covered = {(r["pair_id"], str(r["session_no"])) for r in rows}
    late = []
    for pair_id in sorted(roster.schedules):
        for row in roster.schedule(pair_id).sort_values("session_no").to_dict("records"):
            key = (pair_id, str(int(row["session_no"])))
            if row.get("status") == "scheduled" and key not in covered and row["day"] < as_of:
                late.append(f"pair {key[0]} session {key[1]} (scheduled {row['scheduled_on']})")
    return late
