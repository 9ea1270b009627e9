"""Qualtrics CSV: export tags, question text and ImportId JSON as three header rows; previews and unfinished dropped."""

import json

from etl.exports.parse import date_order, parse_date, squash
from etl.exports.surveys import ID_HEADERS, Question, Response, survey_rows
from etl.exports.translation import Context, Translation

PREVIEW = {"survey preview", "survey test", "1", "2"}  # with numeric codes, 1 is a preview and 2 a test
UNFINISHED = {"false", "0"}


def import_id(cell: object) -> str:
    try:
        return str(json.loads(str(cell)).get("ImportId", ""))
    except (ValueError, AttributeError):
        return ""


def translate(file: str, rows: list[list[object]], ctx: Context) -> Translation:
    translation = Translation(file, "Qualtrics survey export")
    tags = [str(c or "").strip() for c in rows[0]]
    texts = [str(c or "").strip() for c in rows[1]] if len(rows) > 1 else tags
    ids = [import_id(c) for c in rows[2]] if len(rows) > 2 else [""] * len(tags)
    at = {squash(tag): position for position, tag in enumerate(tags)}
    questions = [
        Question(position, tag, texts[position] if position < len(texts) else tag)
        for position, tag in enumerate(tags)
        if position < len(ids) and ids[position].startswith("QID")
    ]
    responses, previews, unfinished = [], 0, 0
    stamp_at = at.get("recordeddate", at.get("enddate"))
    stamps = [str(row[stamp_at]) for row in rows[3:] if stamp_at is not None and len(row) > stamp_at]
    order = date_order(stamps, *ctx.mapping.of(file).date_orders)
    for index, row in enumerate(rows[3:], start=4):
        if not any(str(c or "").strip() for c in row):
            continue
        cells = list(row) + [None] * (len(tags) - len(row))
        cell = {name: cells[position] for name, position in at.items()}.get  # a metadata cell by its tag
        if squash(cell("status")) in PREVIEW:
            previews += 1
        elif squash(cell("finished")) in UNFINISHED:
            unfinished += 1
        else:
            stamp = cell("recordeddate") or cell("enddate")
            respondent = next((cell(h) for h in ID_HEADERS if cell(h)), None)
            responses.append(
                Response(index, cells, cell("recipientemail"), respondent, parse_date(stamp, order), stamp)
            )
    translation.notes.append(
        f"{len(responses)} responses; dropped {previews} preview or test and {unfinished} unfinished"
    )
    survey_rows(translation, questions, responses, ctx)
    return translation
