"""One small program written twice: as canonical files, and as the tool exports a coordinator would hold.

`write(folder)` makes `folder/canonical` (every entity as a canonical CSV) and `folder/exports` (the roster and
schedule as canonical CSVs, everything that happened as Teams, Zoom, Qualtrics, Microsoft Forms, Google Forms and
Viva Engage exports, and a mapping.toml). Loading either must give the same marts."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

COHORTS = [["X1", "Export wave", "2020-01-06", "2020-03-30", "3", "21", "Executives"]]
PEOPLE = [  # id, role, name, email, level, generation, hourly cost
    ("M1", "mentor", "Mia Mentor", "mia@example.com", "individual_contributor", "millennial", "40"),
    ("M2", "mentor", "Max Mentor", "max@example.com", "individual_contributor", "millennial", "45"),
    ("M3", "mentor", "Mo Mentor", "mo@example.com", "manager", "millennial", "60"),
    ("E1", "mentee", "Eve Exec", "eve@example.com", "c_suite", "boomer", "600"),
    ("E2", "mentee", "Ed Exec", "ed@example.com", "lob_president", "boomer", "450"),
    ("E3", "mentee", "Em Exec", "em@example.com", "direct_report", "gen_x", "200"),
    ("X1", "comparison", "Xavier Comp", "xavier@example.com", "c_suite", "boomer", "700"),
]
PAIRS = [("P1", "M1", "E1"), ("P2", "M2", "E2"), ("P3", "M3", "E3")]
SCHEDULE = [(1, "2020-01-06", "Technology and Devices"), (2, "2020-01-27", "Search"), (3, "2020-02-17", "Networking")]
SESSION_COLUMNS = [
    "pair_id",
    "session_no",
    "scheduled_on",
    "status",
    "held_on",
    "duration_min",
    "mentor_present",
    "mentee_present",
    "topic",
    "phase",
    "trust_rating",
    "aha_moment",
    "ideas_count",
    "notes",
]
ITEMS = [  # id, construct, text, min, max, reverse
    ("K1", "knowledge", "I know how colleagues use social media.", 1, 5, "false"),
    ("K2", "knowledge", "I can explain what each platform is for.", 1, 5, "false"),
    ("K3", "knowledge", "I find social media confusing.", 1, 5, "true"),
    ("C1", "confidence", "I am confident posting online.", 1, 7, "false"),
    ("C2", "confidence", "I can manage my own profile.", 1, 7, "false"),
]
LIKERT = {
    5: ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
    7: [
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ],
}
# every answer: wave -> person -> values of K1, K2, K3, C1, C2 (and when it was submitted)
ANSWERS = {
    "pre": {"E1": [2, 3, 4, 3, 4], "E2": [3, 3, 3, 2, 2], "E3": [1, 2, 5, 1, 3]},
    "post": {"E1": [4, 4, 2, 6, 6], "E2": [4, 5, 2, 5, 4], "E3": [3, 3, 3, 4, 5]},
    "retro_pre": {"E1": [1, 2, 5, 2, 3], "E2": [2, 2, 4, 2, 2]},
    "followup": {"E1": [5, 4, 1, 7, 6], "E3": [4, 3, 2, 5, 5]},
}
SUBMITTED = {"pre": "2020-01-03", "post": "2020-03-02", "retro_pre": "2020-03-03", "followup": "2020-06-01"}
# meetings: (pair, session, day, tool, {person: minutes of each join}); 10 minutes make a person present
MEETINGS = [
    ("P1", 1, "2020-01-07", "teams_us", {"M1": [20, 25], "E1": [50]}),
    ("P1", 2, "2020-01-28", "teams_de", {"M1": [60], "E1": [60.5]}),
    ("P3", 1, "2020-01-13", "teams_uk", {"M3": [30], "E3": [12]}),
    ("P2", 1, "2020-01-06", "zoom", {"M2": [40], "E2": [30, 8]}),
    ("P2", 2, "2020-01-27", "zoom", {"M2": [35], "E2": [4]}),  # the mentee dropped in for 4 minutes: missed
]
# the mentor's session logs: (pair, session, day, tool, topic, phase, trust, aha, ideas, notes)
LOGS = [
    ("P1", 1, "2020-01-07", "ms_forms", "Technology and Devices", "Trust", "3", "No", "0", "Set up LinkedIn"),
    ("P2", 1, "2020-01-06", "ms_forms", "Technology and Devices", "Trust", "4", "No", "0", ""),
    ("P1", 2, "2020-01-28", "google", "Search", "Insight", "4", "Yes", "1", "Searched for our products"),
    ("P3", 2, "2020-01-29", "google", "Search", "Brainstorming", "2", "No", "2", "No meeting report for this one"),
]
# Viva Engage: (refresh date, period days, person email, posted, read, liked)
VIVA = {
    "viva_engage_2020_01.csv": (
        "2020-02-01",
        30,
        [("eve@example.com", 2, 10, 3), ("ed@example.com", 0, 4, 0), ("someone.else@example.com", 9, 9, 9)],
    ),
    "viva_engage_2020_02.csv": (
        "2020-03-01",
        28,
        [("EVE@example.com", 0, 2, 1), ("ed@example.com", 0, 0, 0), ("xavier@example.com", 1, 1, 0)],
    ),
}
LINKEDIN = [
    ["E1", "linkedin", "2019-12", "true", "1", "2", "40"],
    ["X1", "linkedin", "2019-12", "false", "0", "0", "9"],
]
PRESENT_MINUTES = 10
EMAIL = {p[0]: p[3] for p in PEOPLE}
NAME = {p[0]: p[2] for p in PEOPLE}


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[list]) -> None:
    path.write_text(csv_text(rows), encoding="utf-8")


def sessions() -> dict[tuple[str, int], dict]:
    """The truth: every scheduled session, with what its meeting report and its log say about it."""
    rows = {}
    for pair, _, _ in PAIRS:
        for number, day, topic in SCHEDULE:
            rows[(pair, number)] = dict.fromkeys(SESSION_COLUMNS, "") | {
                "pair_id": pair,
                "session_no": str(number),
                "scheduled_on": day,
                "status": "scheduled",
                "topic": topic,
            }
    for pair, number, day, _, minutes in MEETINGS:
        mentor, mentee = (sum(minutes[p]) for p in (PAIRS[int(pair[1]) - 1][1], PAIRS[int(pair[1]) - 1][2]))
        held = mentor >= PRESENT_MINUTES and mentee >= PRESENT_MINUTES
        rows[(pair, number)] |= {
            "status": "held" if held else "missed",
            "held_on": day if held else "",
            "duration_min": str(round(min(mentor, mentee))) if held else "",
            "mentor_present": str(mentor >= PRESENT_MINUTES).lower(),
            "mentee_present": str(mentee >= PRESENT_MINUTES).lower(),
        }
    for pair, number, day, _, topic, phase, trust, aha, ideas, notes in LOGS:
        row = rows[(pair, number)]
        if row["status"] == "scheduled":
            row |= {"status": "held", "held_on": day}
        row |= {
            "topic": topic,
            "phase": phase.lower().removesuffix("ing"),
            "trust_rating": trust,
            "aha_moment": aha.lower(),
            "ideas_count": ideas,
            "notes": notes,
        }
    return rows


def write_roster(folder: Path) -> None:
    write_csv(
        folder / "cohorts.csv",
        [["cohort_id", "name", "start_date", "end_date", "planned_sessions", "cadence_days", "audience"], *COHORTS],
    )
    write_csv(
        folder / "participants.csv",
        [["participant_id", "role", "display_name", "email", "level", "generation", "hourly_cost"], *map(list, PEOPLE)],
    )
    write_csv(
        folder / "pairs.csv",
        [
            ["pair_id", "cohort_id", "mentor_id", "mentee_id", "matched_on", "status"],
            *[[p, "X1", m, e, "2020-01-02", "active"] for p, m, e in PAIRS],
        ],
    )
    write_csv(
        folder / "survey_items.csv",
        [["item_id", "construct", "text", "scale_min", "scale_max", "reverse_coded"], *map(list, ITEMS)],
    )
    write_csv(folder / "costs.csv", [["cohort_id", "category", "amount", "note"], ["X1", "Launch event", "800", ""]])


def write_canonical(folder: Path) -> None:
    folder.mkdir(parents=True)
    write_roster(folder)
    write_csv(folder / "sessions.csv", [SESSION_COLUMNS, *[list(r.values()) for r in sessions().values()]])
    responses = [
        [person, wave, item[0], str(value), SUBMITTED[wave]]
        for wave, people in ANSWERS.items()
        for person, values in people.items()
        for item, value in zip(ITEMS, values, strict=True)
    ]
    write_csv(
        folder / "survey_responses.csv", [["participant_id", "wave", "item_id", "value", "submitted_on"], *responses]
    )
    internal = []
    for refreshed, _, users in VIVA.values():
        month = "2020-01" if refreshed == "2020-02-01" else "2020-02"  # the middle of each report period
        for email, posted, _, liked in users:
            person = next((p for p, e in EMAIL.items() if e == email.lower()), None)
            if person:
                active = str(bool(posted or liked)).lower()
                internal.append([person, "internal", month, active, str(posted), str(liked), ""])
    write_csv(
        folder / "social_activity.csv",
        [
            ["participant_id", "platform", "month", "active", "posts", "interactions", "connections"],
            *LINKEDIN,
            *internal,
        ],
    )


def write_exports(folder: Path) -> None:
    folder.mkdir(parents=True)
    write_roster(folder)
    schedule = [[p, str(n), day, "scheduled", "", "", "", "", topic] for p, _, _ in PAIRS for n, day, topic in SCHEDULE]
    write_csv(folder / "sessions.csv", [SESSION_COLUMNS[:9], *schedule])
    write_csv(
        folder / "social_activity.csv",
        [["participant_id", "platform", "month", "active", "posts", "interactions", "connections"], *LINKEDIN],
    )
    (folder / "mapping.toml").write_text(
        'presence_minutes = 10\n\n[files."survey_after.csv"]\nwave = "post"\nitems = { Q4 = "C1" }\n\n'
        '[files."qualtrics_pre.csv".items]\nQ4 = "C1"\n',
        encoding="utf-8",
    )
    for pair, number, day, tool, minutes in MEETINGS:
        name = f"{tool.split('_')[0]}_{pair.lower()}_s{number}.csv"
        writer = zoom_report if tool == "zoom" else teams_report
        (folder / name).write_bytes(writer(pair, date.fromisoformat(day), minutes, tool))
    qualtrics(folder / "qualtrics_pre.csv", "pre", text=True)
    qualtrics(folder / "survey_after.csv", "post", text=False)
    ms_forms_survey(folder / "ms_forms_retro.xlsx", "retro_pre")
    google_survey(folder / "google_followup.csv", "followup")
    ms_forms_log(folder / "session_log_forms.xlsx", [entry for entry in LOGS if entry[3] == "ms_forms"])
    google_log(folder / "session_log_google.csv", [entry for entry in LOGS if entry[3] == "google"])
    for name, (refreshed, days, users) in VIVA.items():
        write_csv(folder / name, viva(refreshed, days, users))


def write(folder: Path) -> tuple[Path, Path]:
    write_canonical(folder / "canonical")
    write_exports(folder / "exports")
    return folder / "canonical", folder / "exports"


# ---- Microsoft Teams: UTF-16 with BOM, tabs, numbered sections in the organiser's language


def hms(minutes: float) -> str:
    seconds = round(minutes * 60)
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    return " ".join(f"{v}{unit}" for v, unit in ((h, "h"), (m, "m"), (s, "s")) if v)


def teams_time(moment: datetime, tool: str) -> str:
    if tool == "teams_us":
        return f"{moment.month}/{moment.day}/{moment:%y}, {moment:%I:%M:%S %p}".replace(", 0", ", ")
    if tool == "teams_de":
        return f"{moment:%d.%m.%y, %H:%M:%S}"
    return f"{moment:%d/%m/%Y, %H:%M:%S}"


TEAMS_WORDS = {
    "en": (
        ["1. Summary", "2. Participants", "3. In-Meeting Activities"],
        ["Meeting title", "Attended participants", "Start time", "End time", "Meeting duration"],
        ["Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)", "Role"],
    ),
    "de": (
        ["1. Zusammenfassung", "2. Teilnehmer", "3. Aktivitäten in der Besprechung"],
        ["Besprechungstitel", "Teilnehmer", "Startzeit", "Endzeit", "Besprechungsdauer"],
        [
            "Name",
            "Erster Beitritt",
            "Letztes Verlassen",
            "Dauer der Besprechung",
            "E-Mail",
            "Teilnehmer-ID (UPN)",
            "Rolle",
        ],
    ),
}


def teams_report(pair: str, day: date, minutes: dict[str, list[float]], tool: str) -> bytes:
    titles, summary, header = TEAMS_WORDS["de" if tool == "teams_de" else "en"]
    start = datetime(day.year, day.month, day.day, 9, 58, 2)
    longest = max(sum(m) for m in minutes.values())
    end = datetime.fromtimestamp(start.timestamp() + longest * 60)
    rows = [[titles[0]]]
    values = [f"{pair} check-in", str(len(minutes)), teams_time(start, tool), teams_time(end, tool), hms(longest)]
    rows += [[label, value] for label, value in zip(summary, values, strict=True)]
    rows += [[], [titles[1]], header]
    for person, joins in minutes.items():
        role = "Organizer" if person.startswith("M") else "Presenter"
        for join in joins:  # a rejoin is one more row for the same person
            rows.append(
                [
                    NAME[person],
                    teams_time(start, tool),
                    teams_time(end, tool),
                    hms(join),
                    EMAIL[person],
                    EMAIL[person],
                    role,
                ]
            )
    rows += [[], [titles[2]], ["Name", "Join Time", "Leave Time", "Duration", "Email", "Role"]]
    return csv_text(rows, "\t").encode("utf-16")  # Python writes the byte-order mark, as Teams does


# ---- Zoom: meeting info, a blank line, one row per join; display names as people set them


def zoom_time(moment: datetime) -> str:
    return f"{moment:%m/%d/%Y %I:%M:%S %p}"


def zoom_report(pair: str, day: date, minutes: dict[str, list[float]], tool: str) -> bytes:
    start = datetime(day.year, day.month, day.day, 10, 0, 0)
    total = max(sum(m) for m in minutes.values())
    rows = [
        ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)", "Participants", ""],
        [
            "812 3456 7890",
            f"Mentoring {pair}",
            zoom_time(start),
            zoom_time(start),
            "max@example.com",
            str(round(total)),
            str(len(minutes)),
            "",
        ],
        [],
        ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest", ""],
    ]
    for person, joins in minutes.items():
        # the mentor signed in (email known); the mentee joined from a phone, renamed, no email
        shown, email = ("Max M. (Max Mentor)", EMAIL[person]) if person == "M2" else ("Ed's iPhone (Ed Exec)", "")
        for join in joins:
            rows.append([shown, email, zoom_time(start), zoom_time(start), str(round(join)), "No", ""])
    return csv_text(rows).encode("utf-8")


# ---- surveys


QUALTRICS_META = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
]
QUESTION_TEXT = [
    "Please rate - " + ITEMS[0][2],
    "Please rate - " + ITEMS[1][2],
    "Please rate - " + ITEMS[2][2],
    "How confident are you when you post?",
    ITEMS[4][2],
    "Anything else you want to tell us?",
]


def label(item: tuple, value: int) -> str:
    return LIKERT[item[4] - item[3] + 1][value - item[3]]


def qualtrics(path: Path, wave: str, text: bool) -> None:
    """Choice text and Status/Finished as words, or numeric codes; plus a preview and an unfinished response."""
    tags = QUALTRICS_META + ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    ids = [f'{{"ImportId":"{t}"}}' for t in QUALTRICS_META] + [f'{{"ImportId":"QID{i}"}}' for i in range(1, 7)]
    rows = [tags, QUALTRICS_META[:17] + QUESTION_TEXT, ids]
    day = SUBMITTED[wave]
    ok, preview = ("IP Address", "Survey Preview") if text else ("0", "1")
    done, not_done = ("True", "False") if text else ("1", "0")

    def response(person: str, values: list[int], status: str, finished: str) -> list[str]:
        # the pre survey finds people by email (typed with capitals and spaces); the post one by their ID
        email, reference = (f"  {EMAIL[person].upper()} ", "") if wave == "pre" else ("", person)
        answers = [label(item, v) if text else str(v) for item, v in zip(ITEMS, values, strict=True)]
        return [
            f"{day} 08:28:09",
            f"{day} 08:29:00",
            status,
            "10.0.0.1",
            "100",
            "51",
            finished,
            f"{day} 08:29:00",
            f"R_{person}{wave}",
            "",
            "",
            email,
            reference,
            "",
            "",
            "email",
            "EN",
            *answers,
            "Thanks",
        ]

    for person, values in ANSWERS[wave].items():
        rows.append(response(person, values, ok, done))
    rows.append(response("E1", [5, 5, 5, 7, 7], preview, done))
    rows.append(response("E2", [1, 1, 1, 1, 1], ok, not_done))
    write_csv(path, rows)


def ms_forms_survey(path: Path, wave: str) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", *[item[2] for item in ITEMS]])
    moment = datetime.fromisoformat(SUBMITTED[wave] + " 16:05:00")
    for number, (person, values) in enumerate(ANSWERS[wave].items(), start=1):
        answers = [label(item, v) for item, v in zip(ITEMS, values, strict=True)]
        sheet.append([number, moment, moment, EMAIL[person], NAME[person], *answers])
    book.save(path)


def google_survey(path: Path, wave: str) -> None:
    rows = [["Timestamp", "Email Address", *[item[2] for item in ITEMS]]]
    stamp = datetime.fromisoformat(SUBMITTED[wave]).strftime("%Y/%m/%d") + " 6:15:22 PM GMT-5"
    for person, values in ANSWERS[wave].items():
        # choice text with other letter case and spacing than the label set
        answers = [
            " ".join(label(item, v).upper().split()).replace(" ", "  ") for item, v in zip(ITEMS, values, strict=True)
        ]
        rows.append([stamp, EMAIL[person], *answers])
    write_csv(path, rows)


# ---- session logs and Viva Engage

LOG_QUESTIONS = [
    "Session date",
    "Topic",
    "Phase",
    "Trust so far (1-5)",
    "Any aha moment?",
    "Ideas to try",
    "Notes for the coordinator",
]


def mentor_email(pair: str) -> str:
    return EMAIL[PAIRS[int(pair[1]) - 1][1]]


def ms_forms_log(path: Path, entries: list[tuple]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", *LOG_QUESTIONS])
    for number, (pair, _, day, _, *answers) in enumerate(entries, start=1):
        moment = datetime.fromisoformat(day + " 17:00:00")
        sheet.append([number, moment, moment, mentor_email(pair), "", datetime.fromisoformat(day), *answers])
    book.save(path)


def google_log(path: Path, entries: list[tuple]) -> None:
    rows = [["Timestamp", "Email Address", *LOG_QUESTIONS]]
    for pair, _, day, _, *answers in entries:
        moment = datetime.fromisoformat(day)
        stamp = f"{moment:%Y/%m/%d} 7:02:11 PM GMT+1"
        rows.append([stamp, mentor_email(pair), f"{moment.month}/{moment.day}/{moment.year}", *answers])
    write_csv(path, rows)


def viva(refreshed: str, days: int, users: list[tuple]) -> list[list]:
    rows = [
        [
            "Report Refresh Date",
            "User Principal Name",
            "Display Name",
            "User State",
            "State Change Date",
            "Last Activity Date",
            "Posted Count",
            "Read Count",
            "Liked Count",
            "Assigned Products",
            "Report Period",
        ]
    ]
    for email, posted, read, liked in users:
        rows.append(
            [
                refreshed,
                email,
                email.split("@")[0],
                "Active",
                "",
                refreshed,
                str(posted),
                str(read),
                str(liked),
                "MICROSOFT 365 E3",
                str(days),
            ]
        )
    return rows
