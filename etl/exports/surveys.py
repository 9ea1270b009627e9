"""Survey answers in wide form (one row per respondent, one column per question) as long survey_responses rows."""

import re
from dataclasses import dataclass
from datetime import date

from etl.exports.mapping import WAVES
from etl.exports.parse import LABEL_SETS, likert_value, squash
from etl.exports.translation import Context, Translation
from etl.read_files import show

EMAIL_WORDS = ("email", "e-mail", "correo electronico", "e-post", "メールアドレス", "электронной почты")
NO_EMAIL = (
    " (the file says nobody: in Google Forms turn on Collect email addresses, in Microsoft Forms record the name, in"
    " Qualtrics fill RecipientEmail or ExternalReference; or ask for the email as a question)"
)
ID_HEADERS = ("participant_id", "participant id", "externalreference", "external reference", "employee id")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


@dataclass(frozen=True)
class Question:
    position: int
    tag: str  # Qualtrics export tag (Q1); the question text elsewhere
    text: str


@dataclass(frozen=True)
class Response:
    line: int
    cells: list[object]
    email: object
    respondent_id: object
    submitted_on: date | None
    submitted_text: object = None  # the cell it was read from, to report when it can't be read


def wave_of(translation: Translation, ctx: Context) -> str | None:
    """The mapping's wave for the file, else the one wave word in its name (post_survey.csv), else a problem."""
    wave = ctx.mapping.of(translation.file).wave
    if wave:
        return wave
    name = translation.file.lower().rsplit(".", 1)[0]
    name = re.sub(r"retro(spective)?[^a-z]*pre(?![a-z])", "retro", name)  # "retro pre" is one wave, not two
    words = set(re.split(r"[^a-z]+", name))
    words = {"retro_pre" if w in ("retro", "retrospective") else w for w in words}
    words |= {"followup"} if "follow" in words else set()
    found = [w for w in WAVES if w in words]
    if len(found) == 1:
        return found[0]
    translation.problem(
        None,
        None,
        f"no wave in mapping.toml, and {len(found)} wave words ({', '.join(found)}) in the file name"
        if found
        else "no wave in mapping.toml and none in the file name",
        f'a wave: add [files."{translation.file}"] wave = "pre" (or post, retro_pre, followup) to mapping.toml',
    )
    return None


def item_by_text(text: str, items: list[dict]) -> dict | None:
    """The item whose text the question shows: as it is, after a Qualtrics matrix's 'Statement block - ', or in the
    brackets of a Google Forms grid row ('How much do you agree? [item text]')."""
    text = squash(text)
    grid = re.fullmatch(r".*\[(.+)\]", text)
    for item in items:
        wording = squash(item["text"])
        if wording and (text == wording or text.endswith(" - " + wording) or (grid and grid[1].strip() == wording)):
            return item
    return None


def column_name(question: Question) -> str:
    """A column as the coordinator sees it: the Qualtrics tag with its question, or the question of a form."""
    return show(question.tag) if question.tag == question.text else f"{show(question.tag)} ({show(question.text)})"


# how a column was found to be an item, strongest first: a column claimed by a stronger way wins the item
BY_MAPPING, BY_TEXT, BY_TAG = 0, 1, 2


def items_of(
    questions: list[Question], ctx: Context, translation: Translation
) -> tuple[dict[int, tuple[Question, dict]], list[Question], bool]:
    """The item of each column: mapping.toml first, then the item whose text the question shows, then an item_id
    equal to the tag (Qualtrics' Q1 is often another item's ID, so text wins over tag). A column an item's ID or text
    names that a stronger way gave another column is ignored, with a note; two columns of one item are one problem.
    Returns the items by column, the columns that are no item, and whether two columns claimed one item."""
    file = translation.file
    roster, chosen = ctx.roster, {squash(k): v for k, v in ctx.mapping.of(file).items.items()}
    records = roster.items.to_dict("records")
    claims: dict[str, list[tuple[int, Question, dict]]] = {}
    others, clash = [], False
    for question in questions:
        named = chosen.get(squash(question.tag)) or chosen.get(squash(question.text))
        by_text, by_tag = item_by_text(question.text, records), roster.item(question.tag)
        if named:
            found = (BY_MAPPING, roster.item(named) or {"item_id": named, "scale_min": None, "scale_max": None})
        elif by_text:
            found = (BY_TEXT, by_text)
            if by_tag and by_tag["item_id"] != by_text["item_id"]:
                translation.notes.append(
                    f"column {column_name(question)} taken for item {by_text['item_id']}, whose text it shows (its"
                    f" tag is item {by_tag['item_id']}'s ID)"
                )
        elif by_tag:
            found = (BY_TAG, by_tag)
        else:
            others.append(question)
            continue
        claims.setdefault(found[1]["item_id"], []).append((found[0], question, found[1]))
    items = {}
    for item_id, claimed in claims.items():
        strongest = min(way for way, _, _ in claimed)
        winners = [(question, item) for way, question, item in claimed if way == strongest]
        winner = column_name(winners[0][0])
        for way, question, _ in claimed:
            if way != strongest:
                has = f"its tag is item {item_id}'s ID" if way == BY_TAG else f"it shows item {item_id}'s text"
                why = (
                    f"mapping.toml gives item {item_id} to column {winner}"
                    if strongest == BY_MAPPING
                    else f"column {winner} shows item {item_id}'s text"
                )
                translation.notes.append(
                    f"column {column_name(question)}: {has}, but {why}: ignored (if it is item {item_id}, say so in"
                    f' mapping.toml: [files."{file}"] items = {{ "{question.tag}" = "{item_id}" }})'
                )
        if len(winners) > 1:
            columns = ", ".join(column_name(q) for q, _ in winners[:-1]) + f" and {column_name(winners[-1][0])}"
            translation.problem(
                1,
                None,
                f"{len(winners)} columns for item {item_id}: {columns}",
                f'one column per item: say which column is item {item_id} in mapping.toml, as [files."{file}"]'
                f' items = {{ "{winners[0][0].tag}" = "{item_id}" }} (the other columns are then ignored)'
                if strongest != BY_MAPPING
                else f'one column per item: [files."{file}"] items in mapping.toml gives item {item_id} to'
                " several columns",
            )
            clash = True
            continue
        items[winners[0][0].position] = winners[0]
    return dict(sorted(items.items())), others, clash


def is_email_question(question: Question) -> bool:
    """An anonymous form asks for the email as a question: it says who answered. Only a column that is no item can be
    it (an item may well be about email)."""
    return any(word in squash(question.text) for word in EMAIL_WORDS)


def respondent_of(response: Response, email_questions: list[Question], ctx: Context) -> tuple[str | None, object]:
    """The participant who answered and the value that says so (email first, then an ID)."""
    emails = [response.email] + [response.cells[q.position] for q in email_questions]
    for email in emails:
        if ctx.roster.by_email(email):
            return ctx.roster.by_email(email), email
    given = next((e for e in emails if str(e or "").strip()), None) or response.respondent_id
    return ctx.roster.by_id(response.respondent_id), given


def value_of(cell: object, item: dict, translation: Translation, line: int, column: str) -> str | None:
    """A numeric code as it is (the validator checks its range), choice text on the item's scale, or a problem."""
    text = str(cell).strip() if cell is not None else ""
    if not text:
        return None
    if NUMBER.fullmatch(text):
        return text
    low, high = item.get("scale_min"), item.get("scale_max")
    if low is None or high is None:
        expected = f"a number (item {item['item_id']} is not in survey_items)"
    else:
        low, high = int(float(low)), int(float(high))
        value = likert_value(text, low, high)
        if value is not None:
            return str(value)
        labels = LABEL_SETS.get(high - low + 1)
        expected = (
            f"one of {', '.join(label.capitalize() for label in labels)} "
            f"(the {len(labels)}-point scale of item {item['item_id']})"
            if labels
            else f"a number from {low} to {high} (item {item['item_id']} has no choice labels)"
        )
    translation.problem(line, column, f"the unknown label {show(text)}", expected)
    return None


def survey_rows(translation: Translation, questions: list[Question], responses: list[Response], ctx: Context) -> None:
    """Fill `translation` with survey_responses rows; unknown columns are noted, unknown people are problems."""
    translation.entity = "survey_responses"
    wave = wave_of(translation, ctx)
    items, others, clash = items_of(questions, ctx, translation)
    email_questions = [q for q in others if is_email_question(q)]
    translation.notes += [
        f"column {show(q.tag)} is not a survey item: ignored" for q in others if q not in email_questions
    ]
    if not items and not clash:
        translation.problem(
            1,
            None,
            "no column that is a survey item",
            "questions whose text is an item's text in survey_items.csv (or whose Qualtrics tag is an item_id), or"
            f' the columns named in mapping.toml: [files."{translation.file}"] items = {{ "column" = "item_id" }}',
        )
    if wave is None or not items:
        return
    for response in responses:
        who, given = respondent_of(response, email_questions, ctx)
        if who is None:
            sharing = ctx.roster.with_email(given)
            translation.problem(
                response.line,
                "respondent",
                show(str(given or "nothing").strip()),
                f"the email of one participant: {' and '.join(sharing)} share it in participants.csv (give each their "
                "own)"
                if len(sharing) > 1
                else "the email or ID of a participant in participants.csv" + ("" if given else NO_EMAIL),
            )
            continue
        if (who, wave) in ctx.submitted:  # one problem for the whole submission, not one per question; the first stands
            file, line = ctx.submitted[who, wave]
            where = f"line {line}" + ("" if file == translation.file else f" of {file}")
            translation.problem(
                response.line,
                "respondent",
                f"{show(str(given).strip())} again (first submitted on {where})",
                f"one submission per person and wave ({wave}): delete the one that should not count",
            )
            continue
        # a new download holding a later submission of someone an earlier load has: the first stands, as within a
        # download (upserted by item, the two would merge into answers nobody gave)
        stored = ctx.stored_dates(who, wave)
        if response.submitted_on is not None and stored and response.submitted_on.isoformat() not in stored:
            translation.problem(
                response.line,
                "respondent",
                f"{show(str(given).strip())} again (first submitted on {' and '.join(stored)}, already loaded)",
                f"one submission per person and wave ({wave}): the loaded one stands; delete this one, or correct the"
                " loaded answers with survey_responses.csv",
            )
            continue
        ctx.submitted[who, wave] = (translation.file, response.line)
        if response.submitted_on is None and str(response.submitted_text or "").strip():
            translation.problem(
                response.line,
                "submitted",
                show(response.submitted_text),
                f'a date that can be read: set [files."{translation.file}"] date_order = "mdy" (or "dmy") in'
                " mapping.toml",
            )
            continue
        for position, (question, item) in items.items():
            column = question.tag if question.tag == question.text else f"{question.tag} ({show(question.text)})"
            value = value_of(response.cells[position], item, translation, response.line, column)
            if value is not None:
                translation.records.append(
                    {
                        "participant_id": who,
                        "wave": wave,
                        "item_id": item["item_id"],
                        "value": value,
                        "submitted_on": response.submitted_on.isoformat() if response.submitted_on else None,
                        "_source_line": response.line,
                    }
                )
