"""No two views a user can produce single out fewer than the minimum group (DOMAIN.md section 5, differencing).

A program built to be risky: a pilot of 6 pairs with one C-suite mentee, an expansion of 7 with two, sessions and
answers arriving on different days, some sessions missed or held without a rating, aha or ideas logged. Every view
the filters allow (cohorts, mentee levels, as-of dates) is read
through the dashboard's read layer; for every pair of views, the people or pairs behind an aggregate must be the
same or differ by at least the minimum group."""

from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import duckdb
import pytest

from tests.conftest import load
from tests.released import released_sessions, released_values
from warehouse import read
from warehouse.read import Filters, Source

MINIMUM = 5
START = {"A": date(2021, 3, 1), "B": date(2021, 9, 6)}
LEVELS = {"A": ["c_suite"] + ["lob_president"] * 5, "B": ["c_suite"] * 2 + ["direct_report"] * 5}


def write_program(folder: Path) -> list[date]:
    """The risky program's canonical files; returns the days on which something was recorded."""
    folder.mkdir()
    cohorts = ["cohort_id,name,start_date,end_date,planned_sessions,cadence_days"]
    people = ["participant_id,role,display_name,level,hourly_cost"]
    pairs = ["pair_id,cohort_id,mentor_id,mentee_id,matched_on,status"]
    sessions = ["pair_id,session_no,scheduled_on,status,held_on,duration_min,mentor_present,mentee_present,"
                "trust_rating,aha_moment,ideas_count"]  # fmt: skip
    answers = ["participant_id,wave,item_id,value,submitted_on"]
    activity = ["participant_id,platform,month,active,posts,interactions,connections"]
    days = set()
    for cohort, levels in LEVELS.items():
        start = START[cohort]
        cohorts.append(f"{cohort},Cohort {cohort},{start},{start + timedelta(days=84)},4,21")
        for i, level in enumerate(levels):
            mentee, mentor, pair = f"E{cohort}{i}", f"M{cohort}{i}", f"P{cohort}{i}"
            people += [f"{mentee},mentee,Exec {cohort}{i},{level},{300 + 50 * i}",
                       f"{mentor},mentor,Mentor {cohort}{i},individual_contributor,{40 + i}"]  # fmt: skip
            pairs.append(f"{pair},{cohort},{mentor},{mentee},{start - timedelta(days=i)},active")
            for n in range(1, 5):
                held = start + timedelta(days=21 * (n - 1) + i)  # each pair a day after the previous one
                days.add(held)
                # a missed session, and held ones with a value not logged, among the held and logged
                status, trust = ("missed", "") if (i, n) == (4, 2) else ("held", 1 + (i + n) % 5)
                aha, ideas = ("", "") if n == 3 and i in (1, 2) else (str((i + n) % 2 == 0), (i * n) % 3)
                sessions.append(f"{pair},{n},{held},{status},{held if status == 'held' else ''},45,true,true,"
                                f"{'' if (i, n) == (3, 3) else trust},{aha},{ideas}")  # fmt: skip
            for wave, offset in (("pre", -2), ("post", 90)):
                submitted = start + timedelta(days=offset + i)
                days.add(submitted)
                # four of the five LOB presidents skip K2 after: their scores count (half the items), and their
                # cell's answers after leave the item bars
                skipped = (2,) if wave == "post" and cohort == "A" and 1 <= i <= 4 else ()
                answers += [f"{mentee},{wave},K{k},{1 + (i * k + (wave == 'post')) % 5},{submitted}"
                            for k in (1, 2) if k not in skipped]  # fmt: skip
            # the retrospective pre comes with the post, except the expansion's second direct report's, a month late:
            # each comparison then holds back someone else in that cell
            retro = start + timedelta(days=90 + i + (30 if (cohort, i) == ("B", 3) else 0))
            days.add(retro)
            answers += [f"{mentee},retro_pre,K{k},{1 + i % 5},{retro}" for k in (1, 2)]
            for month in range(-4, 8):
                first = date(start.year + (start.month - 1 + month) // 12, (start.month - 1 + month) % 12 + 1, 1)
                activity.append(f"{mentee},linkedin,{first:%Y-%m},{(i + month) % 3 == 0},1,1,1")
    items = ["item_id,construct,text,scale_min,scale_max", "K1,knowledge,I know,1,5", "K2,knowledge,I can,1,5"]
    files = {"cohorts": cohorts, "participants": people, "pairs": pairs, "sessions": sessions,
             "survey_items": items, "survey_responses": answers, "social_activity": activity}  # fmt: skip
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n")
    return sorted(days)


@pytest.fixture(scope="module")
def risky(tmp_path_factory) -> tuple[Source, list[date]]:
    folder = tmp_path_factory.mktemp("risky")
    days = write_program(folder / "files")
    warehouse = folder / "risky.duckdb"
    load(folder / "files", warehouse)
    return Source(warehouse, warehouse.stat().st_mtime_ns), days


def filter_choices() -> list[tuple[tuple, tuple]]:
    """Every cohort choice and level choice a user can make (none, one, all but one)."""
    levels = sorted({level for cohort in LEVELS.values() for level in cohort})
    level_sets = [(), *[(lv,) for lv in levels], *[tuple(x for x in levels if x != lv) for lv in levels]]
    return [(cohorts, chosen) for cohorts in [(), ("A",), ("B",)] for chosen in level_sets]


def groups_behind(source: Source, filters: Filters) -> dict[tuple, frozenset]:
    """Per aggregate a page shows: the units (pairs or people) behind it, or for per-session rows their count."""
    groups = {}
    for row in read.sessions_by_number(source, filters).itertuples():
        groups[("session", row.cohort_id, row.session_no)] = row.held
        # each value over the sessions that logged it
        groups[("trust", row.cohort_id, row.session_no)] = row.rated
        groups[("aha", row.cohort_id, row.session_no)] = row.aha_logged
        groups[("ideas", row.cohort_id, row.session_no)] = row.ideas_logged
    # the people and pairs counted in the frequency tables the pages read (tests/test_frequency_tables.py checks that
    # the tables count exactly these)
    matched = read.scoped(source, filters, f"select * from {read.MATCHED}", before="pre", after="post")
    groups[("survey", "all")] = frozenset(matched["participant_id"])
    for cohort, part in matched.groupby("cohort_id"):
        groups[("survey", cohort)] = frozenset(part["participant_id"])
    # the answers per item and wave that Survey outcomes shows, over the same respondents
    answers = read.survey_outcomes(source, filters, "pre")[1]
    for (item, wave), part in answers.groupby(["item_id", "wave"]):
        groups[("item", item, wave)] = int(part["answers"].sum())
    windows = read.scoped(
        source, filters, f"select * from {read.ADOPTION_WINDOWS}", platform="any", groups=["mentee", "comparison"]
    )
    groups[("adoption", "all")] = frozenset(windows.dropna(subset=["pre"])["participant_id"])
    pairs = read.scoped(source, filters, f"select * from {read.PAIR_VALUES}", first_sessions=4)
    groups[("pairs", "all")] = frozenset(pairs.dropna(subset=["mean_trust"])["pair_id"])
    mentors = read.scoped(source, filters, f"select * from {read.MENTOR_OUTCOMES}")
    groups[("mentors", "all")] = frozenset(mentors[mentors["released"]]["mentor_id"])
    groups[("retention", "all")] = frozenset(mentors[mentors["year_counted"]]["mentor_id"])
    summary = read.cohort_summary(source, filters)
    groups[("attendance", "all")] = int(summary["released_recorded"].sum())
    return groups


# aggregates the pages show without hiding small ones (the others' pages hide them: tests/test_pages.py)
SHOWN_AS_THEY_ARE = ("session", "trust", "aha", "ideas", "attendance")


def size(group) -> int:
    return group if isinstance(group, int) else len(group)


def difference(a, b) -> int:
    return abs(a - b) if isinstance(a, int) else len(a ^ b)


def test_no_two_views_differ_by_fewer_than_the_minimum(risky, monkeypatch):
    monkeypatch.setenv("MENTORING_MIN_GROUP", str(MINIMUM))
    source, days = risky
    views = {
        (cohorts, levels, day): groups_behind(source, Filters(cohorts=cohorts, as_of=day, levels=levels))
        for cohorts, levels in filter_choices()
        for day in sorted({*days[::15], *days[20:23], days[-1]})  # spread over the program, and 3 days in a row
    }
    # the session aggregates are shown whatever their size (their batches are the defence): none may be small
    small = [(key, view) for view, groups in views.items() for key, group in groups.items()
             if key[0] in SHOWN_AS_THEY_ARE and 0 < size(group) < MINIMUM]  # fmt: skip
    assert small == []
    leaks, tried = [], 0
    for (first, a), (second, b) in combinations(views.items(), 2):
        for key in a.keys() & b.keys():
            shown = size(a[key]) >= MINIMUM and size(b[key]) >= MINIMUM
            tried += shown
            if shown and 0 < difference(a[key], b[key]) < MINIMUM:
                leaks.append((key, first, second, difference(a[key], b[key])))
    print(f"{len(views)} views, {tried:,} pairs of shown aggregates compared, {len(leaks)} leaks")
    assert tried > 3_000  # the attack really compared views
    assert leaks == []


def test_no_two_survey_views_differ_by_fewer_than_the_minimum_whatever_the_comparison(risky, monkeypatch):
    """Pre to post and retrospective pre to post show the same post answers: the people behind them, per cohort and
    over all, compared across every filter, day and comparison."""
    monkeypatch.setenv("MENTORING_MIN_GROUP", str(MINIMUM))
    source, days = risky
    views = {}
    for cohorts, levels in filter_choices():
        for day in sorted({*days[::10], days[-1]}):
            for before in ("pre", "retro_pre"):
                matched = read.scoped(source, Filters(cohorts=cohorts, as_of=day, levels=levels),
                                      f"select * from {read.MATCHED}", before=before, after="post")  # fmt: skip
                groups = {("after", "all"): frozenset(matched["participant_id"])}
                for cohort, part in matched.groupby("cohort_id"):
                    groups[("after", cohort)] = frozenset(part["participant_id"])
                views[(cohorts, levels, day, before)] = groups
    shown = [(view, key, group) for view, groups in views.items() for key, group in groups.items() if group]
    assert {view[3] for view, _, _ in shown} == {"pre", "retro_pre"}  # both comparisons show people somewhere
    leaks = [
        (key, first, second)
        for (first, a), (second, b) in combinations(views.items(), 2)
        for key in a.keys() & b.keys()
        if len(a[key]) >= MINIMUM and len(b[key]) >= MINIMUM and 0 < len(a[key] ^ b[key]) < MINIMUM
    ]
    assert leaks == []


def test_the_risky_program_is_not_hidden_altogether(risky, monkeypatch):
    # the defence must still show the groups that are big enough: 5 LOB presidents, 5 direct reports
    monkeypatch.setenv("MENTORING_MIN_GROUP", str(MINIMUM))
    source, days = risky
    groups = groups_behind(source, Filters(as_of=days[-1]))
    assert groups[("survey", "all")] == frozenset({f"EA{i}" for i in range(1, 6)} | {f"EB{i}" for i in range(2, 7)})
    assert groups[("session", "A", 1)] == 5 and groups[("session", "B", 4)] == 5
    # both cohorts have ended: their mentors' promotions count, the C-suite mentees' mentors' wait for a group
    assert groups[("mentors", "all")] == frozenset({f"MA{i}" for i in range(1, 6)} | {f"MB{i}" for i in range(2, 7)})


def test_a_cell_where_someone_skipped_an_item_leaves_that_waves_item_bars(risky, monkeypatch):
    """The construct's mean after covers the LOB presidents who skipped K2: bars of their cell's other answers beside
    it gave the skippers' K2 away (5 x mean - the K1 answers). Their cell's answers after are left out whole; before,
    everyone answered everything. The expansion's direct reports (EB2-EB6) answered all."""
    monkeypatch.setenv("MENTORING_MIN_GROUP", str(MINIMUM))
    source, days = risky
    scores, answers = read.survey_outcomes(source, Filters(as_of=days[-1]), "pre")
    assert scores["people"].sum() == 10  # the five LOB presidents' scores still count
    assert answers.groupby(["item_id", "wave"])["answers"].sum().to_dict() == {
        ("K1", "post"): 5,
        ("K1", "pre"): 10,
        ("K2", "post"): 5,
        ("K2", "pre"): 10,
    }


@pytest.mark.parametrize(("e1_retro", "retro_released"), [("2022-06-20", set()), ("2022-06-01", {1, 2, 3, 4, 5})])
def test_the_retrospective_comparison_never_shows_the_after_answers_of_a_group_one_person_off(
    tmp_path, monkeypatch, e1_retro, retro_released
):
    """Six direct reports answer pre, post (E6 last) and retro_pre with their post. When E1's retro_pre comes late,
    each comparison holds back someone else (pre: E6; retro: E1): both showed the mean after over five people two
    apart, which gave E1's and E6's post answers (a reviewer's attack). The cell then shows in pre to post only."""
    files = tmp_path / "files"
    files.mkdir()
    lines = {
        "cohorts": ["cohort_id,name,start_date,end_date,planned_sessions,cadence_days",
                    "C,Cohort C,2022-01-03,2022-06-01,4,21"],
        "participants": ["participant_id,role,display_name,level"]
        + [f"E{i},mentee,Exec {i},direct_report" for i in range(1, 7)]
        + [f"M{i},mentor,Mentor {i},manager" for i in range(1, 7)],
        "pairs": ["pair_id,cohort_id,mentor_id,mentee_id,matched_on"]
        + [f"P{i},C,M{i},E{i},2022-01-01" for i in range(1, 7)],
        "survey_items": ["item_id,construct,text,scale_min,scale_max", "K1,knowledge,I know,1,5"],
        "survey_responses": ["participant_id,wave,item_id,value,submitted_on"]
        + [f"E{i},pre,K1,2,2022-01-02" for i in range(1, 7)]
        + [f"E{i},post,K1,{i % 5 + 1},2022-06-0{i}" for i in range(1, 7)]
        + [f"E{i},retro_pre,K1,2,{e1_retro if i == 1 else f'2022-06-0{i}'}" for i in range(1, 7)],
    }  # fmt: skip
    for name, content in lines.items():
        (files / f"{name}.csv").write_text("\n".join(content) + "\n")
    load(files, tmp_path / "w.duckdb")
    monkeypatch.setenv("MENTORING_MIN_GROUP", str(MINIMUM))
    source = Source(tmp_path / "w.duckdb", (tmp_path / "w.duckdb").stat().st_mtime_ns)

    def released(before: str) -> set[int]:
        who = read.matched(source, Filters(), f"select participant_id from {read.MATCHED}", before, "post")
        return {int(p[1:]) for p in who["participant_id"]}

    assert released("pre") == {1, 2, 3, 4, 5}
    assert released("retro_pre") == retro_released
    assert read.survey_outcomes(source, Filters(), "retro_pre")[0]["people"].sum() == len(retro_released)


def test_released_sessions_only_grow_with_the_date_and_match_an_independent_count(demo_warehouse):
    """The demo's first sessions were held the day before their cohort started (7 March 2011): they count from the
    start. Whatever the date, the sessions in attendance rates, and the held sessions whose values enter aggregates,
    are those tests/released.py finds with pandas, and a session once released stays released (each cell's sessions
    are released as a growing prefix of one order)."""
    days = [date(2011, 3, 6), date(2011, 3, 7), date(2011, 4, 15), date(2012, 3, 4), date(2012, 3, 5),
            date(2012, 6, 1), date(2013, 1, 10), date(2013, 9, 6)]  # fmt: skip
    before = {"privacy_sessions": set(), "privacy_session_values": set()}
    for day in days:
        con = duckdb.connect(str(demo_warehouse), read_only=True)
        con.execute("set variable as_of = ?::date", [day])
        for view, independent in (("privacy_sessions", released_sessions), ("privacy_session_values", released_values)):
            shown = set(con.execute(f"select pair_id, session_no from {view}").fetchall())
            expected = independent(demo_warehouse, day)
            assert shown == set(zip(expected["pair_id"], expected["session_no"], strict=True)), (view, day)
            assert before[view] <= shown, (view, day)
            before[view] = shown
        con.close()
    # of 453 recorded sessions and 403 held at the data date (README, "Privacy and access")
    assert (len(before["privacy_sessions"]), len(before["privacy_session_values"])) == (390, 325)


def test_a_batch_of_recorded_sessions_with_one_held_gives_no_rating(tmp_path, monkeypatch):
    """Six pairs' first sessions: one held and rated 1, five missed. The first five recorded make a batch for the
    attendance rate (1 of 5 held); the one held session is alone in its batch of values, so its rating, aha, ideas
    and costed time stay out."""
    monkeypatch.setenv("MENTORING_MIN_GROUP", str(MINIMUM))
    folder = tmp_path / "files"
    folder.mkdir()
    people = [f"E{i},mentee,c_suite,300\nM{i},mentor,manager,40" for i in range(6)]
    files = {
        "cohorts": "cohort_id,name,start_date,planned_sessions,cadence_days\nC1,Pilot,2024-03-04,7,21",
        "participants": "participant_id,role,level,hourly_cost\n" + "\n".join(people),
        "pairs": "pair_id,cohort_id,mentor_id,mentee_id,matched_on\n"
        + "\n".join(f"P{i},C1,M{i},E{i},2024-03-01" for i in range(6)),
        "sessions": "pair_id,session_no,scheduled_on,status,held_on,duration_min,trust_rating,aha_moment,ideas_count\n"
        "P0,1,2024-03-05,held,2024-03-05,60,1,true,2\n"
        + "\n".join(f"P{i},1,2024-03-05,missed,,,,," for i in range(1, 6)),
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text + "\n")
    load(folder, tmp_path / "w.duckdb")
    source, filters = Source(tmp_path / "w.duckdb", 1), Filters()
    assert read.sessions_by_number(source, filters).empty
    summary = read.cohort_summary(source, filters).iloc[0]
    assert (summary["sessions_held"], summary["released_recorded"], summary["released_held"]) == (1, 5, 1)
    assert read.costs(source, filters)[0].empty
    assert read.roi_outcomes(source, filters)["ideas"] == 0
