"""Microsoft Teams attendance report: UTF-16 tab-separated text in numbered sections (titles in the user's language)."""

import re

from etl.exports.parse import date_order, parse_date, parse_minutes, squash
from etl.exports.sessions import Attendee, Meeting
from etl.exports.translation import Context, Translation

SECTION = re.compile(r"^\s*(\d)\.\s+\S")


def sections(rows: list[list[object]]) -> dict[int, list[tuple[int, list[str]]]]:
    """Rows of each numbered section (1 summary, 2 participants, 3 activities) with their line numbers."""
    found: dict[int, list] = {}
    current = None
    for line, row in enumerate(rows, start=1):
        cells = [str(c or "").strip() for c in row]
        filled = [c for c in cells if c]
        if len(filled) == 1 and (title := SECTION.match(filled[0])):
            current = found.setdefault(int(title.group(1)), [])
        elif current is not None and filled:
            current.append((line, cells))
    return found


def column(header: list[str], words: tuple[str, ...], fallback: int) -> int:
    """A participants column by its English name, else by its place (localised reports keep the order)."""
    for position, name in enumerate(header):
        if squash(name) in words:
            return position
    return fallback


def is_start(cells: list[str]) -> bool:
    """A summary row of the meeting's start ("Start time", "Startzeit")."""
    return bool(cells) and "start" in squash(cells[0])


def translate(file: str, rows: list[list[object]], ctx: Context) -> tuple[Translation, list[Meeting]]:
    translation = Translation(file, "Microsoft Teams attendance report", "sessions")
    parts = sections(rows)
    if 2 not in parts or len(parts[2]) < 2:
        translation.problem(None, None, "no participants section", "a Teams attendance report with sections 1 to 3")
        return translation, []
    header, *people = parts[2]
    names = header[1]
    name_at = column(names, ("name", "full name"), 0)
    join_at = column(names, ("first join", "join time"), 1)
    minutes_at = column(names, ("in-meeting duration", "duration"), 3)
    email_at = column(names, ("email",), 4)
    upn_at = column(names, ("participant id (upn)",), 5)
    summary_dates = [cells[1] for _, cells in parts.get(1, []) if len(cells) > 1]
    order = date_order(summary_dates + [cells[join_at] for _, cells in people], *ctx.mapping.of(file).date_orders)
    # the summary's start time, else its first date (a meeting title may start with a date too)
    summary = sorted(parts.get(1, []), key=lambda row: not is_start(row[1]))
    start = next(((line, d) for line, cells in summary if len(cells) > 1 if (d := parse_date(cells[1], order))), None)
    if start is None and people:
        start = (people[0][0], parse_date(people[0][1][join_at], order))
    if start is None or start[1] is None:
        expected = "dates such as 1/20/20, 9:58:02 AM (set date_order in mapping.toml when day and month can't be told)"
        # at the summary's start time when there is one, else at the participants it was looked for in
        labelled = [(line, cells[1]) for line, cells in summary if len(cells) > 1 and is_start(cells)]
        line, got = labelled[0] if labelled else (header[0], None)
        translation.problem(line, "start time", f"{got!r}, not a date that can be read" if got else
                            "no date that can be read", expected)  # fmt: skip
        return translation, []
    meeting = Meeting(file, start[0], start[1])
    for line, cells in people:
        cells = cells + [""] * (len(names) - len(cells))
        minutes = parse_minutes(cells[minutes_at])
        if minutes is None:
            translation.problem(line, names[minutes_at], repr(cells[minutes_at]), "a duration such as 1h 2m 3s")
            continue
        email = cells[email_at] or (cells[upn_at] if "@" in cells[upn_at] else "")  # guests may have only a UPN
        meeting.attendees.append(Attendee(cells[name_at], email or None, minutes, line))
    return translation, [meeting]
