"""Survey and form exports as coordinators get them: which column is which item (tags, texts, grids, other scripts,
typographic quotes), who answered (emails in other languages, items about email), Qualtrics' own labels, files
re-saved by Excel with semicolons, and session logs whose questions share words."""

from pathlib import Path

import pytest

from etl.exports.detect import detect, read_rows
from etl.exports.parse import likert_value, name_candidates, squash
from tests import exports_fixture
from tests.conftest import rows
from tests.exports_fixture import QUALTRICS_META, csv_text, write_csv
from tests.test_exports import load, refusal

RESPONSES = "select participant_id, item_id, value from raw_survey_responses order by 1, 2"
ITEM_COLUMNS = ["item_id", "construct", "text", "scale_min", "scale_max", "reverse_coded"]
RUSSIAN = [
    ["R1", "knowledge", "Я знаю как коллеги используют соцсети.", "1", "5", "false"],
    ["R2", "knowledge", "Я могу объяснить для чего каждая платформа.", "1", "5", "false"],
    ["R3", "knowledge", "Соцсети меня путают.", "1", "5", "true"],
]
K1, K2, K3 = (item[2] for item in exports_fixture.ITEMS[:3])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The fixture's roster, schedule and items (K1-K3 1-5, C1-C2 1-7), and nothing else."""
    folder = tmp_path / "in"
    folder.mkdir()
    exports_fixture.write_roster(folder)
    schedule = [
        [p, str(n), day, "scheduled"] for p, _, _ in exports_fixture.PAIRS for n, day, _ in exports_fixture.SCHEDULE
    ]
    write_csv(folder / "sessions.csv", [["pair_id", "session_no", "scheduled_on", "status"], *schedule])
    return folder


def items(folder: Path, *extra: list[str], only: list[list[str]] | None = None) -> None:
    base = only if only is not None else [list(map(str, item)) for item in exports_fixture.ITEMS]
    write_csv(folder / "survey_items.csv", [ITEM_COLUMNS, *base, *extra])


def qualtrics(questions: list[tuple[str, str, str]], answers: list[tuple[str, list[str]]], delimiter=",") -> str:
    """A Qualtrics export: questions are (tag, question text, ImportId), answers (recipient email, values)."""
    ids = [f'{{"ImportId":"{name[0].lower() + name[1:]}"}}' for name in QUALTRICS_META]
    rows_ = [
        QUALTRICS_META + [q[0] for q in questions],
        QUALTRICS_META + [q[1] for q in questions],
        ids + [f'{{"ImportId":"{q[2]}"}}' for q in questions],
    ]
    for number, (email, values) in enumerate(answers):
        stamp = "2020-01-03 08:29:00"
        meta = [stamp, stamp, "IP Address", "10.0.0.1", "100", "51", "True", stamp, f"R_{number}", "", "", email, ""]
        rows_.append(meta + ["", "", "email", "EN", *values])
    return csv_text(rows_, delimiter)


def google(header: list[str], *answers: list[str]) -> str:
    return csv_text([header, *answers])


def loaded(folder: Path, tmp_path: Path, sql: str = RESPONSES) -> list[tuple]:
    warehouse = tmp_path / "w.duckdb"
    load(folder, warehouse)
    return rows(warehouse, sql)


def notes(folder: Path, tmp_path: Path, file: str) -> list[str]:
    outcome = load(folder, tmp_path / "notes.duckdb")
    return next(f.notes for f in outcome.staging.files if f.file == file)


# ---- B3: Qualtrics tags that are other items' IDs

TENURE = ("Q1", "How many years have you worked here?", "QID1")


def numbered_items(folder: Path) -> None:
    """survey_items numbered after the questionnaire: Q1-Q3, the IDs Qualtrics gives its own questions."""
    items(folder, only=[["Q1", "knowledge", K1, "1", "5", "false"], ["Q2", "knowledge", K2, "1", "5", "false"],
                        ["Q3", "knowledge", K3, "1", "5", "true"]])  # fmt: skip


def test_a_question_text_naming_an_item_wins_over_a_tag_naming_another(folder, tmp_path):
    numbered_items(folder)
    questions = [TENURE, ("Q2", f"Please rate - {K1}", "QID2_1"), ("Q3", f"Please rate - {K2}", "QID2_2")]
    (folder / "qualtrics_pre.csv").write_text(qualtrics(questions, [("eve@example.com", ["5", "1", "2"])]))
    # the tenure answer (5) is not item Q1; column Q2 is item Q1, column Q3 item Q2 (was: 5 as Q1, 1 as Q2, 2 as Q3)
    assert loaded(folder, tmp_path) == [("E1", "Q1", 1.0), ("E1", "Q2", 2.0)]
    assert notes(folder, tmp_path, "qualtrics_pre.csv")[1:] == [
        f"column 'Q2' ('Please rate - {K1}') taken for item Q1, whose text it shows (its tag is item Q2's ID)",
        f"column 'Q3' ('Please rate - {K2}') taken for item Q2, whose text it shows (its tag is item Q3's ID)",
        "column 'Q1' ('How many years have you worked here?'): its tag is item Q1's ID, but column 'Q2' ('Please rate"
        f" - {K1}') shows item Q1's text: ignored (if it is item Q1, say so in mapping.toml:"
        ' [files."qualtrics_pre.csv"] items = { "Q1" = "Q1" })',
    ]


def test_one_more_question_no_longer_puts_two_columns_on_one_item(folder, tmp_path):
    numbered_items(folder)
    questions = [
        TENURE,
        *((f"Q{n + 2}", f"Please rate - {text}", f"QID2_{n + 1}") for n, text in enumerate([K1, K2, K3])),
    ]
    (folder / "qualtrics_pre.csv").write_text(qualtrics(questions, [("eve@example.com", ["5", "1", "2", "3"])]))
    assert loaded(folder, tmp_path) == [("E1", "Q1", 1.0), ("E1", "Q2", 2.0), ("E1", "Q3", 3.0)]


def test_two_columns_of_one_item_are_one_problem_naming_both(folder, tmp_path):
    # one survey asks the item twice, in two blocks: then (retrospective) and now
    questions = [("Q1", f"Before the program - {K1}", "QID1_1"), ("Q2", f"Now - {K1}", "QID2_1")]
    (folder / "qualtrics_post.csv").write_text(qualtrics(questions, [("eve@example.com", ["2", "4"])]))
    assert refusal(folder, tmp_path / "w.duckdb") == (
        f"qualtrics_post.csv:1 got 2 columns for item K1: 'Q1' ('Before the program - {K1}') and 'Q2' ('Now - {K1}'),"
        " expected one column per item: say which column is item K1 in mapping.toml, as"
        ' [files."qualtrics_post.csv"] items = { "Q1" = "K1" } (the other columns are then ignored)'
    )
    (folder / "mapping.toml").write_text('[files."qualtrics_post.csv"]\nitems = { Q2 = "K1" }\n')
    assert loaded(folder, tmp_path) == [("E1", "K1", 4.0)]
    assert notes(folder, tmp_path, "qualtrics_post.csv")[1] == (
        f"column 'Q1' ('Before the program - {K1}'): it shows item K1's text, but mapping.toml gives item K1 to column"
        f" 'Q2' ('Now - {K1}'): ignored (if it is item K1, say so in mapping.toml: [files.\"qualtrics_post.csv\"]"
        ' items = { "Q1" = "K1" })'
    )


# ---- B4: an item about email is an item


def test_an_item_about_email_is_an_item_not_the_respondents_email(folder, tmp_path):
    items(folder, ["D1", "confidence", "I can manage my email and calendar on my phone.", "1", "5", "false"])
    (folder / "google_pre.csv").write_text(
        google(
            ["Timestamp", "Email Address", K1, "I can manage my email and calendar on my phone."],
            ["2020/01/03 9:15:22 AM GMT", "eve@example.com", "Agree", "Strongly agree"],
            ["2020/01/03 9:25:22 AM GMT", "ed@example.com", "Disagree", "Disagree"],
        )
    )
    assert loaded(folder, tmp_path) == [
        ("E1", "D1", 5.0),
        ("E1", "K1", 4.0),
        ("E2", "D1", 2.0),
        ("E2", "K1", 2.0),
    ]


def test_an_anonymous_forms_email_question_still_says_who_answered(folder, tmp_path):
    (folder / "google_pre.csv").write_text(
        google(["Timestamp", "Your work email", K1], ["2020/01/03 9:15:22 AM GMT", "em@example.com", "Agree"])
    )
    assert loaded(folder, tmp_path) == [("E3", "K1", 4.0)]


# ---- B5, B6: texts and names compared in every script, typographic punctuation as ASCII


@pytest.mark.parametrize(
    ("one", "other", "equal"),
    [("李娜", "王伟", False), ("Соцсети меня путают.", "Я знаю как коллеги используют соцсети.", False),
     ("  Éve  EXEC ", "eve exec", True), ("Müller", "MULLER", True), ("Ёлка", "елка", True),
     ("Straße", "STRASSE", True),
     ("ＱＵＥＳＴＩＯＮ１", "question1", True), ("が", "か", False), ("I can’t explain", "I can't explain", True),
     ("“Digital” – first", '"digital" - first', True), ("Wait…", "wait...", True), ("a\u200bb", "ab", True)],
)  # fmt: skip
def test_texts_compare_with_case_accents_and_typography_folded_and_every_letter_kept(one, other, equal):
    assert (squash(one) == squash(other)) is equal
    assert squash(one)  # never nothing


def test_names_in_other_scripts_are_kept():
    assert name_candidates("王伟") == ["王伟"]
    assert name_candidates("Иванов, Пётр") == ["иванов, петр", "петр иванов"]


def test_a_guest_with_another_chinese_name_is_not_taken_for_the_mentee(folder, tmp_path):
    people = folder / "participants.csv"
    people.write_text(people.read_text().replace("Em Exec,em@example.com", "王伟,"))

    def zoom(guest: str) -> str:
        return csv_text(
            [
                ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)", "Participants"],
                ["1", "P3", "01/06/2020 10:00:00 AM", "01/06/2020 10:45:00 AM", "mo@example.com", "45", "2"],
                [],
                ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"],
                ["Mo Mentor", "mo@example.com", "01/06/2020 10:00:00 AM", "01/06/2020 10:45:00 AM", "45", "No"],
                [guest, "", "01/06/2020 10:00:00 AM", "01/06/2020 10:45:00 AM", "45", "Yes"],
            ]
        )

    (folder / "zoom_p3.csv").write_text(zoom("李娜"))
    assert refusal(folder, tmp_path / "w.duckdb") == (
        "zoom_p3.csv:2 got a meeting on 2020-01-06 that matches no pair (recognised: M3), expected a meeting of a"
        " pair's mentor and mentee (emails or names as in participants.csv)"
    )
    (folder / "zoom_p3.csv").write_text(zoom("王伟"))
    sql = "select pair_id, session_no, status, mentee_present from raw_sessions where status <> 'scheduled'"
    assert loaded(folder, tmp_path, sql) == [("P3", 1, "held", True)]


def test_items_in_russian_are_told_apart(folder, tmp_path):
    items(folder, only=RUSSIAN)
    header = ["Timestamp", "Email Address", "Соцсети меня путают."]
    (folder / "google_pre.csv").write_text(google(header, ["2020/01/03 9:15:22 AM GMT", "eve@example.com", "5"]))
    assert loaded(folder, tmp_path) == [("E1", "R3", 5.0)]  # was R1
    (folder / "google_pre.csv").write_text(
        google([*header, RUSSIAN[0][2]], ["2020/01/03 9:15:22 AM GMT", "eve@example.com", "1", "5"])
    )
    assert loaded(folder, tmp_path / "again") == [("E1", "R1", 5.0), ("E1", "R3", 1.0)]


def test_an_item_written_with_a_curly_apostrophe_in_the_form_is_loaded(folder, tmp_path):
    path = folder / "survey_items.csv"
    path.write_text(path.read_text().replace(K2, "I can't explain what each platform is for."))
    (folder / "google_pre.csv").write_text(
        google(
            ["Timestamp", "Email Address", K1, "I can\u2019t explain what each platform is for."],
            ["2020/01/03 9:15:22 AM GMT", "eve@example.com", "Agree", "Strongly agree"],
        )
    )
    assert loaded(folder, tmp_path) == [("E1", "K1", 4.0), ("E1", "K2", 5.0)]


# ---- C1: Qualtrics' 5-point agreement labels


@pytest.mark.parametrize(
    ("label", "points", "value"),
    [("Somewhat agree", 5, 4), ("Somewhat disagree", 5, 2), ("Slightly agree", 5, 4), ("slightly  DISAGREE", 5, 2),
     ("Somewhat agree", 7, 5), ("Slightly disagree", 7, 3), ("Agree", 5, 4)],
)  # fmt: skip
def test_somewhat_and_slightly_are_points_4_and_2_of_a_5_point_scale(label, points, value):
    assert likert_value(label, 1, points) == value


def test_qualtrics_choice_text_of_its_5_point_agreement_scale_loads(folder, tmp_path):
    questions = [(f"Q{n}", f"Please rate - {text}", f"QID1_{n}") for n, text in enumerate([K1, K2, K3], start=1)]
    answers = [("eve@example.com", ["Somewhat agree", "Strongly agree", "Somewhat disagree"])]
    (folder / "qualtrics_pre.csv").write_text(qualtrics(questions, answers))
    assert loaded(folder, tmp_path) == [("E1", "K1", 4.0), ("E1", "K2", 5.0), ("E1", "K3", 2.0)]


# ---- C2: Google Forms grids


def test_google_forms_grid_rows_are_matched_by_the_statement_in_brackets(folder, tmp_path):
    (folder / "google_pre.csv").write_text(
        google(
            ["Timestamp", "Email Address", *(f"How much do you agree? [{text}]" for text in (K1, K2, K3))],
            ["2020/01/03 9:15:22 AM GMT", "eve@example.com", "Agree", "Strongly agree", "Disagree"],
        )
    )
    assert loaded(folder, tmp_path) == [("E1", "K1", 4.0), ("E1", "K2", 5.0), ("E1", "K3", 2.0)]


# ---- C3: Google Forms in other languages


@pytest.mark.parametrize(
    ("timestamp", "email"),
    [("Marca temporal", "Dirección de correo electrónico"), ("Carimbo de data/hora", "Endereço de e-mail"),
     ("Carimbo de data/hora", "Endereço de Email"), ("Informazioni cronologiche", "Indirizzo email"),
     ("Tijdstempel", "E-mailadres"), ("Sygnatura czasowa", "Adres e-mail"), ("Tidstämpel", "E-postadress"),
     ("タイムスタンプ", "メールアドレス"), ("Zeitstempel", "E-Mail-Adresse"), ("Horodateur", "Adresse e-mail")],
)  # fmt: skip
def test_google_forms_in_other_languages_are_recognised_with_their_email_column(folder, tmp_path, timestamp, email):
    path = folder / "google_pre.csv"
    path.write_text(google([timestamp, email, K1, K2], ["2020/01/03 9:15:22", "eve@example.com", "Agree", "Agree"]))
    assert detect(path, read_rows(path)) == "google_forms"
    assert loaded(folder, tmp_path) == [("E1", "K1", 4.0), ("E1", "K2", 4.0)]


# ---- C4: exports re-saved by Excel with semicolons


def test_a_qualtrics_export_saved_by_excel_with_semicolons_is_recognised_and_loads(folder, tmp_path):
    questions = [(f"Q{n}", f"Please rate - {text}", f"QID1_{n}") for n, text in enumerate([K1, K2, K3], start=1)]
    path = folder / "qualtrics_pre.csv"
    path.write_text(qualtrics(questions, [("eve@example.com", ["Agree", "Agree", "Disagree"])], ";"), "utf-8-sig")
    assert detect(path, read_rows(path)) == "qualtrics"
    assert loaded(folder, tmp_path) == [("E1", "K1", 4.0), ("E1", "K2", 4.0), ("E1", "K3", 2.0)]


def test_a_comma_file_whose_answers_hold_semicolons_stays_comma_separated(tmp_path):
    # Google Forms joins the choices of a checkbox question with ';'
    path = tmp_path / "form.csv"
    path.write_text(
        google(
            ["Timestamp", "Email Address", "Which tools do you use?", K1],
            ["2020/01/03 9:15:22", "eve@example.com", "LinkedIn;Teams;Yammer", "Agree"],
            ["2020/01/03 9:16:22", "ed@example.com", "LinkedIn;Teams", "Agree"],
        )
    )
    assert read_rows(path)[1] == ["2020/01/03 9:15:22", "eve@example.com", "LinkedIn;Teams;Yammer", "Agree"]


# ---- C6: session log questions that share words


def test_a_phase_question_listing_trust_is_the_phase_and_the_trust_question_the_rating(folder, tmp_path):
    (folder / "session_log_google.csv").write_text(
        google(
            [
                "Timestamp",
                "Email Address",
                "Session date",
                "Which phase was this session in? (trust, insight, brainstorm)",
                "How much did your mentee trust you this session? (1-5)",
                "Did you have an aha moment?",
            ],
            ["2020/01/07 6:15:22 PM GMT-5", "mia@example.com", "2020-01-07", "Trust", "4", "Yes"],
        )  # fmt: skip
    )
    sql = "select pair_id, session_no, phase, trust_rating, aha_moment from raw_sessions where status <> 'scheduled'"
    assert loaded(folder, tmp_path, sql) == [("P1", 1, "trust", 4, True)]


def test_a_trust_question_after_a_rating_is_taken_over_a_note_mentioning_trust(folder, tmp_path):
    (folder / "session_log_google.csv").write_text(
        google(
            ["Timestamp", "Email Address", "Session date", "Notes on trust so far", "Trust rating (1-5)"],
            ["2020/01/07 6:15:22 PM GMT-5", "mia@example.com", "2020-01-07", "Opening up", "3"],
        )
    )
    sql = "select trust_rating, notes from raw_sessions where status <> 'scheduled'"
    assert loaded(folder, tmp_path, sql) == [(3, "Opening up")]


# ---- D2: messages a coordinator can act on


def test_a_qualtrics_problem_names_the_column_by_its_tag_and_its_question(folder, tmp_path):
    questions = [("Q1", f"Please rate - {K1}", "QID1_1")]
    (folder / "qualtrics_pre.csv").write_text(qualtrics(questions, [("eve@example.com", ["Kinda agree"])]))
    assert refusal(folder, tmp_path / "w.duckdb") == (
        f"qualtrics_pre.csv:4 Q1 ('Please rate - {K1}'): got the unknown label 'Kinda agree', expected one of"
        " Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree (the 5-point scale of item K1)"
    )


def test_a_form_that_says_nobody_answered_says_how_to_collect_emails(folder, tmp_path):
    (folder / "google_pre.csv").write_text(google(["Timestamp", K1], ["2020/01/03 9:15:22 AM GMT", "Agree"]))
    assert refusal(folder, tmp_path / "w.duckdb") == (
        "google_pre.csv:2 respondent: got 'nothing', expected the email or ID of a participant in participants.csv"
        " (the file says nobody: in Google Forms turn on Collect email addresses, in Microsoft Forms record the name,"
        " in Qualtrics fill RecipientEmail or ExternalReference; or ask for the email as a question)"
    )


def test_a_form_with_no_item_says_what_would_make_a_column_one(folder, tmp_path):
    (folder / "google_pre.csv").write_text(
        google(["Timestamp", "Email Address", "Favourite colour?"], ["2020/01/03 9:15:22", "eve@example.com", "Red"])
    )
    assert refusal(folder, tmp_path / "w.duckdb") == (
        "google_pre.csv:1 got no column that is a survey item, expected questions whose text is an item's text in"
        " survey_items.csv (or whose Qualtrics tag is an item_id), or the columns named in mapping.toml:"
        ' [files."google_pre.csv"] items = { "column" = "item_id" }'
    )
