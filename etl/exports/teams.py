"""Microsoft Teams attendance report: UTF-16 tab-separated text in numbered sections (titles in the user's language)."""

import re

from etl.exports.parse import DATE_PARTS, date_order, parse_date, parse_minutes, squash
from etl.exports.sessions import Attendee, Meeting, other_reading
from etl.exports.translation import Context, Translation

SECTION = re.compile(r"^\s*(\d)\.\s+\S")
# participants' column names in the languages Teams writes (compared squashed: accents and case gone)
NAME_WORDS = ("name", "full name", "nom", "naam", "nombre", "nome", "namn", "navn", "nimi", "imie i nazwisko")
DURATION_WORDS = ("duration", "dauer", "duur", "duree", "duracion", "durata", "duracao", "varaktighet", "varighed",
                  "varighet", "kesto", "czas trwania", "doba trvani")  # fmt: skip
EMAIL_WORDS = ("mail", "correo", "courriel", "posta elettronica", "sahkoposti")


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


def is_date(text: str) -> bool:
    return bool(DATE_PARTS.match(text))


def columns_with(header: list[str], rows: list[list[str]], named, holds) -> list[int]:
    """The columns whose name says what they are (`named`), else those whose every filled cell is such a value
    (`holds`): found by their header or their content, never by their place, as people trim and reorder them."""
    by_name = [at for at, name in enumerate(header) if named(squash(name))]
    if by_name:
        return by_name
    return [
        at
        for at in range(len(header))
        if (filled := [row[at] for row in rows if at < len(row) and row[at]]) and all(map(holds, filled))
    ]


def is_start(cells: list[str]) -> bool:
    """A summary row of the meeting's start ("Start time", "Startzeit")."""
    return bool(cells) and "start" in squash(cells[0])


def translate(file: str, rows: list[list[object]], ctx: Context) -> tuple[Translation, list[Meeting]]:
    translation = Translation(file, "Microsoft Teams attendance report", "sessions")
    parts = sections(rows)
    if 2 not in parts or len(parts[2]) < 2:
        translation.problem(None, None, "no participants section", "a Teams attendance report with sections 1 to 3")
        return translation, []
    (header_line, names), *people = parts[2]
    cells_of = [cells for _, cells in people]

    def is_duration(text: str) -> bool:
        return not is_date(text) and "@" not in text and parse_minutes(text) is not None

    minutes_cols = columns_with(names, cells_of, lambda n: any(w in n for w in DURATION_WORDS), is_duration)
    email_cols = columns_with(names, cells_of, lambda n: "upn" in n or any(w in n for w in EMAIL_WORDS),
                              lambda text: "@" in text)  # fmt: skip
    email_cols.sort(key=lambda at: "upn" in squash(names[at]))  # the Email column first, then the UPN (guests)
    taken = set(minutes_cols[:1]) | set(email_cols)
    name_cols = columns_with(names, cells_of, lambda n: n in NAME_WORDS, lambda text: not is_date(text))
    name_cols = [at for at in name_cols if at not in taken]
    shown = ", ".join(n for n in names if n) or "none"
    if not name_cols or not minutes_cols:
        missing = "a column of the people's names (Name)" if not name_cols else (
            "a column of how long each person stayed (In-Meeting Duration, such as 1h 2m 3s)")  # fmt: skip
        translation.problem(header_line, "participants header", f"the columns {shown}", missing)
        return translation, []
    name_at, minutes_at = name_cols[0], minutes_cols[0]
    summary_dates = [cells[1] for _, cells in parts.get(1, []) if len(cells) > 1]
    person_dates = [cell for cells in cells_of for cell in cells if is_date(cell)]
    settings = ctx.mapping.of(file).date_orders
    order = date_order(summary_dates + person_dates, *settings)
    # the summary's start time, else its first date (a meeting title may start with a date too)
    summary = sorted(parts.get(1, []), key=lambda row: not is_start(row[1]))
    start = next(((line, d, cells[1]) for line, cells in summary if len(cells) > 1
                  if (d := parse_date(cells[1], order))), None)  # fmt: skip
    if start is None and people:
        first = next((cell for cell in people[0][1] if is_date(cell)), "")
        start = (people[0][0], parse_date(first, order), first)
    if start is None or start[1] is None:
        expected = "dates such as 1/20/20, 9:58:02 AM (set date_order in mapping.toml when day and month can't be told)"
        # at the summary's start time when there is one, else at the participants it was looked for in
        labelled = [(line, cells[1]) for line, cells in summary if len(cells) > 1 and is_start(cells)]
        line, got = labelled[0] if labelled else (header_line, None)
        translation.problem(line, "start time", f"{got!r}, not a date that can be read" if got else
                            "no date that can be read", expected)  # fmt: skip
        return translation, []
    meeting = Meeting(file, start[0], start[1])
    if guess := other_reading(start[2], summary_dates + person_dates, settings):
        meeting.date_text, (meeting.guessed, meeting.other_day) = start[2], guess
    for line, cells in people:
        cells = cells + [""] * (len(names) - len(cells))
        minutes = parse_minutes(cells[minutes_at])
        if minutes is None:
            translation.problem(line, names[minutes_at] or "duration", repr(cells[minutes_at]),
                                "a duration such as 1h 2m 3s")  # fmt: skip
            continue
        email = next((cells[at] for at in email_cols if "@" in cells[at]), None)  # guests may have only a UPN
        meeting.attendees.append(Attendee(cells[name_at], email, minutes, line))
    return translation, [meeting]
