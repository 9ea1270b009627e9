"""Viva Engage (Yammer) user activity report: one file per report period; active = posted or liked in it."""

import re
from datetime import timedelta

from etl.exports.parse import date_order, parse_date, squash
from etl.exports.translation import Context, Translation

# longer reports (90 or 180 days) cannot tell which month someone was active in
LONGEST_PERIOD_DAYS = 31


def count(value: object) -> int | None:
    """A count as the report or Excel writes it (1204, 1204.0, or in groups of three: 1,204, 1.204, 1 204; empty is
    0); None when it is not one (12.5, 1,5, abc)."""
    text = str(value if value is not None else "").strip()
    if re.fullmatch(r"\d+(\.0+)?", text or "0"):
        return int(float(text or 0))
    if re.fullmatch(r"\d{1,3}([,.\s]\d{3})+", text):
        return int(re.sub(r"\D", "", text))
    return None


def translate(file: str, rows: list[list[object]], ctx: Context) -> Translation:
    """Rows of people on the roster, platform internal; the month is the middle of the report period."""
    translation = Translation(file, "Viva Engage user activity report", "social_activity")
    header = [squash(c or "") for c in rows[0]]
    at = {name: header.index(name) for name in header}
    body = [(line, list(row) + [None] * (len(header) - len(row))) for line, row in enumerate(rows[1:], start=2)]
    body = [(line, row) for line, row in body if any(str(c or "").strip() for c in row)]
    month = ctx.mapping.of(file).month
    if month is None and "report refresh date" not in at:
        translation.problem(
            1, "Report Refresh Date", "no such column",
            f'the report\'s Report Refresh Date and Report Period columns, or month = "YYYY-MM" under '
            f'[files."{file}"] in mapping.toml',
        )  # fmt: skip
        return translation
    refreshed_at = at.get("report refresh date")
    # judged on every date of the file: Excel writes them all alike, and a last activity on 1/28 tells the order
    dated = [at[name] for name in ("report refresh date", "last activity date", "state change date") if name in at]
    order = date_order([str(row[i]) for _, row in body for i in dated], *ctx.mapping.of(file).date_orders)
    outside = matched = 0
    for line, row in body:
        email = row[at["user principal name"]]
        who, sharing = ctx.roster.by_email(email), ctx.roster.with_email(email)
        if len(sharing) > 1:
            translation.problem(
                line, "User Principal Name", repr(email),
                f"the email of one participant: {' and '.join(sharing)} share it in participants.csv (give each "
                "their own)",
            )  # fmt: skip
            continue
        if who is None:
            outside += 1  # the report lists the whole organisation; only participants matter
            continue
        matched += 1
        if month is None:
            refreshed = parse_date(row[refreshed_at], order)
            days = (count(row[at["report period"]]) if "report period" in at else 0) or 0
        if month is None and refreshed is None:
            # 2/1/2020, as Excel saves it, tells neither the day nor the month
            unclear = order is None and parse_date(row[refreshed_at], "mdy") is not None
            translation.problem(
                line, "Report Refresh Date", repr(row[refreshed_at]),
                'a date whose day and month can be told apart: set date_order = "mdy" (US) or "dmy" in mapping.toml'
                if unclear else 'a date such as 2020-02-01, or month = "YYYY-MM" in mapping.toml',
            )  # fmt: skip
            continue
        if month is None and days == 0:
            translation.problem(
                line, "Report Period", repr(row[at["report period"]]) if "report period" in at else "no such column",
                'the number of days the report covers (7 or 30), or month = "YYYY-MM" in mapping.toml',
            )  # fmt: skip
            continue
        if month is None and days > LONGEST_PERIOD_DAYS:
            translation.problem(
                line,
                "Report Period",
                repr(row[at["report period"]]),
                "the 7- or 30-day report, one a month: a longer period cannot tell the month someone was active in",
            )
            continue
        posted, liked = count(row[at["posted count"]]), count(row[at["liked count"]])
        if posted is None or liked is None:
            column = "Posted Count" if posted is None else "Liked Count"
            translation.problem(line, column, repr(row[at[column.lower()]]), "a count, such as 12 or 1,204")
            continue
        translation.records.append(
            {
                "participant_id": who,
                "platform": "internal",
                "month": month or f"{refreshed - timedelta(days=days // 2):%Y-%m}",
                "active": "true" if posted or liked else "false",
                "posts": str(posted),
                "interactions": str(liked),
                "connections": None,
                "_source_line": line,
            }
        )
    people = f"{matched:,} participant{'' if matched == 1 else 's'}"
    translation.notes.append(f"{people}, {outside:,} other {'person' if outside == 1 else 'people'} left out")
    if body and not matched:
        translation.notes.append(
            "no participant found: if the report shows codes, not names, turn off 'Display concealed user, group, "
            "and site names in all reports' (Microsoft 365 admin center > Org settings > Reports), then export again"
        )
    return translation
