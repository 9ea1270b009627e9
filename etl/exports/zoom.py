"""Zoom participants report: a meeting-info block, a blank line, then one row per join (or per person)."""

from etl.exports.parse import date_order, parse_date, parse_minutes, squash
from etl.exports.sessions import Attendee, Meeting, other_reading
from etl.exports.translation import Context, Translation
from etl.load import rows_text


def translate(file: str, rows: list[list[object]], ctx: Context) -> tuple[Translation, list[Meeting]]:
    translation = Translation(file, "Zoom participants report", "sessions")
    lines = [(line, [str(c or "").strip() for c in row]) for line, row in enumerate(rows, start=1)]
    lines = [(line, cells) for line, cells in lines if any(cells)]
    at = next((i for i, (_, cells) in enumerate(lines) if "name (original name)" in map(squash, cells)), None)
    if at is None:
        translation.problem(None, None, "no participants table", "a header row starting Name (Original Name)")
        return translation, []
    header = [squash(c) for c in lines[at][1]]
    name_at = header.index("name (original name)")
    email_at = next((i for i, h in enumerate(header) if h in ("user email", "email")), None)
    minutes_at = next((i for i, h in enumerate(header) if "duration" in h), None)
    join_at = next((i for i, h in enumerate(header) if h == "join time"), None)
    waiting_at = next((i for i, h in enumerate(header) if h == "in waiting room"), None)
    info = dict(zip(map(squash, lines[0][1]), lines[1][1], strict=False)) if at >= 2 else {}
    people = lines[at + 1 :]
    joins = [cells[join_at] for _, cells in people if join_at is not None and len(cells) > join_at]
    dates, settings = [info.get("start time", "")] + joins, ctx.mapping.of(file).date_orders
    order = date_order(dates, *settings)
    start_text = info.get("start time", "")
    start = parse_date(start_text, order)
    start_line = lines[1][0] if info else people[0][0] if people else 1
    if start is None and joins:
        start_text, start = joins[0], parse_date(joins[0], order)
    if start is None or minutes_at is None:
        translation.problem(
            start_line,
            "start time",
            "no meeting date that can be read",
            "a Start Time or Join Time such as 09/24/2020 11:35:16 AM (set date_order in mapping.toml when day and"
            " month can't be told)",
        )
        return translation, []
    meeting = Meeting(file, start_line, start)
    if guess := other_reading(start_text, dates, settings):
        meeting.date_text, (meeting.guessed, meeting.other_day) = start_text, guess
    waiting = 0
    for line, cells in people:
        cells = cells + [""] * (len(header) - len(cells))
        minutes = parse_minutes(cells[minutes_at])
        if minutes is None:
            translation.problem(line, lines[at][1][minutes_at], repr(cells[minutes_at]), "a number of minutes")
            continue
        if waiting_at is not None and squash(cells[waiting_at]) in ("yes", "true", "1"):
            minutes, waiting = 0, waiting + 1  # in the waiting room, not yet admitted: no time in the meeting
        email = cells[email_at] if email_at is not None else ""
        meeting.attendees.append(Attendee(cells[name_at], email or None, minutes, line))
    if waiting:
        translation.notes.append(f"{rows_text(waiting)} in the waiting room: not counted as time in the meeting")
    return translation, [meeting]
