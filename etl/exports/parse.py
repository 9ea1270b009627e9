"""Small parsers shared by the export readers: dates in many layouts, durations, names, emails, Likert labels."""

import re
import unicodedata
from datetime import date, datetime

# day-first or month-first is decided per file (see date_order); these patterns cover the tools' layouts
DATE_PARTS = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
AM_PM = re.compile(r"\b[AaPp]\.?[Mm]\.?\b")
NUMBER = re.compile(r"\d+(\.\d+)?")
UNIT = re.compile(r"(\d+)\s*([^\W\d_]+)\.?\s*")  # a number and its unit: 1h, 27 min, 51 Sek.
CLOCK = re.compile(r"^\s*(\d+):(\d{2})(?::(\d{2}))?\s*$")

LIKERT_5 = ("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree")
LIKERT_7 = (
    "strongly disagree",
    "disagree",
    "somewhat disagree",
    "neither agree nor disagree",
    "somewhat agree",
    "agree",
    "strongly agree",
)
LABEL_SETS = {5: LIKERT_5, 7: LIKERT_7}
# other words forms use for a scale point
LABEL_SYNONYMS = {
    "neutral": "neither agree nor disagree",
    "neither agree or disagree": "neither agree nor disagree",
    "slightly agree": "somewhat agree",
    "slightly disagree": "somewhat disagree",
}
# Qualtrics' standard 5-point agreement scale says Somewhat agree and Somewhat disagree for points 4 and 2
SCALE_SYNONYMS = {5: {"somewhat agree": "agree", "somewhat disagree": "disagree"}}


# typographic punctuation (Word and the forms' autocorrect) and its ASCII form compare equal: can’t is can't
TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u2026": "...",
    }
)
# accents are folded on these scripts' letters only (é is e, ё is е); elsewhere a mark can make another letter
# (Japanese が is not か, Devanagari's vowel signs are marks), so it is kept
FOLDED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def squash(text: object) -> str:
    """Case folded, NFKC, accents and extra spaces gone, typographic quotes and dashes as ASCII: how names, labels and
    headers are compared. Letters and digits of every script are kept (李娜 is not 王伟)."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(TYPOGRAPHIC))
    kept, base = [], ""
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Cf":  # zero-width spaces, byte order marks: invisible, never part of a word
            continue
        if category == "Mn" and base.startswith(FOLDED_SCRIPTS):
            continue
        if not category.startswith("M"):
            base = unicodedata.name(char, "")
        kept.append(char)
    folded = unicodedata.normalize("NFKC", "".join(kept)).translate(TYPOGRAPHIC).casefold()
    return " ".join(folded.split())


def email_key(text: object) -> str | None:
    value = str(text or "").strip().lower()
    return value if "@" in value else None


def date_order(values: list[str], setting: str | None, fallback: str | None = None) -> str | None:
    """'ymd', 'mdy' or 'dmy' for a file's dates: the file's `setting`; else what its dates prove (a day over 12); else
    the folder's `fallback`; else what they suggest (a 12-hour clock is American, dots European); else None."""
    if setting:
        return setting
    return judged_order(values, guess=False) or fallback or judged_order(values, guess=True)


def judged_order(values: list[str], guess: bool) -> str | None:
    """The order all the dates agree on, from proof alone (a four-digit year first, a day over 12) or, with `guess`,
    from layout too: Australian and Indian tools write day-first dates with am/pm, so that only suggests the US."""
    orders, day_month = set(), False
    for value in values:
        parts = DATE_PARTS.match(value)
        if not parts:
            continue
        first, second, _ = parts.groups()
        day_month |= len(first) < 4
        if len(first) == 4:
            orders.add("ymd")
        elif int(first) > 12:
            orders.add("dmy")
        elif int(second) > 12 or (guess and AM_PM.search(value)):
            orders.add("mdy")
        elif guess and "." in value[: parts.end()]:
            orders.add("dmy")  # 14.03.2023 is European
    if "dmy" in orders and "mdy" in orders:
        return None
    if orders - {"ymd"}:
        return (orders - {"ymd"}).pop()
    # year-first dates (Google's timestamps) prove nothing about a file's other dates (its 1/7/2020)
    return "ymd" if orders and not day_month else None


def parse_date(value: object, order: str | None) -> date | None:
    """The calendar date of a timestamp cell (time and time zone dropped), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parts = DATE_PARTS.match(str(value or ""))
    if not parts:
        return None
    a, b, c = parts.groups()
    if len(a) == 4:
        year, month, day = a, b, c
    elif order == "mdy":
        month, day, year = a, b, c
    elif order == "dmy":
        day, month, year = a, b, c
    else:
        return None
    year_number = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(year_number, int(month), int(day))
    except ValueError:
        return None


def parse_minutes(value: object) -> float | None:
    """Minutes from '1h 2m 3s' (or '1 Std. 2 Min. 3 Sek.', '1 h 2 min'), '0:45:10', '45:10' or a number of minutes."""
    text = str(value or "").strip()
    if not text:
        return None
    if NUMBER.fullmatch(text):
        return float(text)
    clock = CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        if seconds is None:  # h:mm
            return int(hours) * 60 + int(minutes)
        return int(hours) * 60 + int(minutes) + int(seconds) / 60
    parts = UNIT.findall(text)
    if not parts or UNIT.sub("", text).strip():
        return None
    scales = [unit_minutes(unit) for _, unit in parts]
    if None in scales:
        return None
    return sum(int(number) * scale for (number, _), scale in zip(parts, scales, strict=True))


def unit_minutes(unit: str) -> float | None:
    """Minutes in one unit of a duration, in the languages Teams writes (h, Std., min, s, Sek.)."""
    unit = unit.lower()
    if unit.startswith(("h", "std", "u")):
        return 60
    if unit.startswith("m"):
        return 1
    if unit.startswith("s"):
        return 1 / 60
    return None


def name_candidates(shown: str) -> list[str]:
    """Names a meeting shows for a person: Zoom's 'Jo (Joanna Smith)' (renamed, original), 'Mia Mentor (Host)',
    and the directory's 'Smith, Joanna'."""
    text = str(shown or "").strip()
    found = [text]
    inner = re.fullmatch(r"(.*?)\s*\((.+)\)\s*", text)
    if inner:
        found += [inner.group(1), inner.group(2)]
    found += [" ".join(reversed(name.split(",", 1))) for name in list(found) if name.count(",") == 1]
    return [squash(n) for n in found if n and n.strip()]


def likert_value(label: str, scale_min: int, scale_max: int) -> int | None:
    """The scale point of a choice label on the item's own scale, or None when the label is not in its set."""
    labels = LABEL_SETS.get(scale_max - scale_min + 1)
    key = squash(label)
    key = LABEL_SYNONYMS.get(key, key)
    key = SCALE_SYNONYMS.get(scale_max - scale_min + 1, {}).get(key, key)
    if labels is None or key not in labels:
        return None
    return scale_min + labels.index(key)
