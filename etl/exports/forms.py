"""Microsoft Forms (XLSX or CSV) and Google Forms (CSV): surveys, or the mentor's post-session log."""

from etl.exports.parse import date_order, parse_date, squash
from etl.exports.sessions import LogEntry
from etl.exports.surveys import ID_HEADERS, Question, Response, survey_rows
from etl.exports.translation import Context, Translation

# Microsoft Forms always starts ID, Start time, Completion time, Email, Name (in the form's language), so places
# are used; Google Forms starts with the timestamp, then the email address when the form collects it
MS_FORMS_METADATA = 5
# (the email header in the languages of Google Forms' users, accents folded as squash folds them)
GOOGLE_EMAIL = (
    "email address",  # en
    "email",
    "e-mail-adresse",  # de
    "adresse e-mail",  # fr
    "direccion de correo electronico",  # es
    "endereco de e-mail",  # pt
    "endereco de email",
    "indirizzo email",  # it
    "e-mailadres",  # nl
    "adres e-mail",  # pl
    "e-postadress",  # sv
    "メールアドレス",  # ja
    "адрес электронной почты",  # ru
)
GOOGLE_SCORE = ("score", "punkte", "punteggio", "puntuacion", "pontuacao", "wynik", "poang", "スコア", "баллы")
# a session log question is found by words in its text, whatever the exact wording; each question is one field's,
# taken in this order: the phase question may list the phases ("trust, insight, brainstorm"), so it goes first
LOG_FIELDS = {
    "phase": ("phase",),
    "trust_rating": ("trust",),
    "aha_moment": ("aha",),
    "ideas_count": ("idea",),
    "topic": ("topic",),
    "notes": ("note",),
}
RATING = ("1-5", "1 - 5", "1 to 5", "rating", "rate")


def column_with(headers: list[str], *words: str, taken: set[int] = frozenset(), prefer=()) -> int | None:
    """The first column whose header has all the words and no other field took, one with a `prefer` word first."""
    found = [at for at, header in enumerate(headers) if at not in taken and all(word in header for word in words)]
    preferred = [at for at in found if any(word in headers[at] for word in prefer)]
    return (preferred or found or [None])[0]


def is_session_log(headers: list[str]) -> bool:
    return column_with(headers, "session", "date") is not None


def text(value: object) -> str | None:
    value = str(value).strip() if value is not None else ""
    return value or None


def translate(file: str, rows: list[list[object]], kind: str, ctx: Context) -> Translation | list[LogEntry]:
    """Survey rows in a Translation; a session log gives LogEntry values for the sessions translator."""
    headers = [squash(c or "") for c in rows[0]]
    body = [(line, list(row) + [None] * (len(headers) - len(row))) for line, row in enumerate(rows[1:], start=2)]
    body = [(line, row) for line, row in body if any(text(c) for c in row)]
    if kind == "ms_forms":
        submitted_at, email_at = 2, 3
        metadata = set(range(MS_FORMS_METADATA)) | {i for i, h in enumerate(headers) if "modified" in h}
    else:
        submitted_at = 0
        email_at = next((i for i, h in enumerate(headers) if h in GOOGLE_EMAIL), None)
        metadata = {0} | {i for i, h in enumerate(headers) if h in GOOGLE_EMAIL + GOOGLE_SCORE}
    date_columns = [submitted_at] + [at for at in [column_with(headers, "session", "date")] if at is not None]
    dates = [str(row[at]) for _, row in body for at in date_columns if isinstance(row[at], str)]
    order = date_order(dates, *ctx.mapping.of(file).date_orders)  # judged on the file's date columns only
    if is_session_log(headers):
        return log_entries(file, headers, body, order, email_at)
    label = "Microsoft Forms survey" if kind == "ms_forms" else "Google Forms survey"
    translation = Translation(file, label)
    id_at = next((headers.index(h) for h in ID_HEADERS if h in headers), None)
    questions = [
        Question(position, str(rows[0][position]).strip(), str(rows[0][position]).strip())
        for position, header in enumerate(headers)
        if position not in metadata and position != id_at
    ]
    responses = [
        Response(
            line,
            row,
            row[email_at] if email_at is not None else None,
            row[id_at] if id_at is not None else None,
            parse_date(row[submitted_at], order),
            row[submitted_at],
        )
        for line, row in body
    ]
    translation.notes.append(f"{len(responses)} responses")
    survey_rows(translation, questions, responses, ctx)
    return translation


def log_entries(file: str, headers: list[str], body, order: str | None, email_at: int | None) -> list[LogEntry]:
    mentor_at = column_with(headers, "mentor", "email")
    mentor_at = email_at if mentor_at is None else mentor_at
    date_at = column_with(headers, "session", "date")
    taken, fields = {mentor_at, date_at}, {}
    for name, words in LOG_FIELDS.items():
        fields[name] = column_with(headers, *words, taken=taken, prefer=RATING if name == "trust_rating" else ())
        taken.add(fields[name])
    entries = []
    for line, row in body:
        values = {name: text(row[at]) for name, at in fields.items() if at is not None}
        if values.get("phase"):
            values["phase"] = squash(values["phase"]).removesuffix("ing")  # 'Brainstorming' is the brainstorm phase
        entries.append(
            LogEntry(
                file,
                line,
                row[mentor_at] if mentor_at is not None else None,
                text(row[date_at]),
                parse_date(row[date_at], order),
                values,
            )
        )
    return entries
