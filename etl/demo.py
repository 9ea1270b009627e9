"""The demo program: The Hartford's reverse mentoring 2011 pilot, 2012 expansion and a 2013 wave still running."""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

DATA_DATE = date(2013, 9, 6)  # the last session recorded in the demo
CADENCE = 21
PLANNED = 7
TOPICS = (
    "Technology and Devices",
    "The Power of Search and Online Presence",
    "Networking, Connections and Communications",
    "Social Media for Business",
    "Internal Collaboration Tools",
    "Blogging, Video and Sharing Content",
    "Emerging Technology and Next Steps",
)
NOTES = (
    "Set up a LinkedIn profile together and connected with the team.",
    "Walked through the tablet and the apps the field agents use.",
    "Searched for our products as a customer would; surprising results.",
    "Drafted a first post for the internal network.",
    "Talked about how my generation prefers feedback.",
    "Brainstormed a customer-service idea using Twitter.",
    "Mentee shared a board-level view of digital strategy.",
)
BUSINESS_UNITS = (
    "Commercial Markets",
    "Consumer Markets",
    "Group Benefits",
    "Wealth Management",
    "Claims",
    "Investments",
    "Technology",
    "Marketing and Communications",
)
LOCATIONS = (
    "Hartford, CT",
    "Simsbury, CT",
    "New York, NY",
    "Chicago, IL",
    "Minneapolis, MN",
    "San Antonio, TX",
    "Phoenix, AZ",
    "Charlotte, NC",
)
FIRST_NAMES = (
    "Alex Jordan Taylor Morgan Casey Riley Jamie Avery Quinn Drew Robin Dana Kelly Pat Sam Lee Chris Terry "
    "Leslie Shawn Corey Blake Devon Emerson Harper Jesse Kendall Logan Parker Reese Rowan Sydney"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson "
    "Thomas Moore Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott"
).split()
HOURLY_COST = {  # fully loaded, US dollars
    "c_suite": (550, 900),
    "lob_president": (400, 600),
    "direct_report": (150, 260),
    "department_head": (180, 300),
    "manager": (90, 140),
    "individual_contributor": (35, 55),
}


@dataclass(frozen=True)
class CohortPlan:
    cohort_id: str
    name: str
    start: date
    pairs: int
    levels: tuple[str, ...]
    level_weights: tuple[float, ...]
    audience: str
    effect: float  # share of the pilot's survey and adoption effect
    logs_phase: bool


COHORTS = (
    CohortPlan(
        "C2011",
        "2011 pilot",
        date(2011, 3, 7),
        12,
        ("c_suite", "lob_president"),
        (0.4, 0.6),
        "C-suite and line-of-business presidents",
        1.0,
        False,
    ),
    CohortPlan(
        "C2012",
        "2012 expansion",
        date(2012, 3, 5),
        45,
        ("direct_report", "department_head"),
        (0.7, 0.3),
        "Direct reports of the C-suite and select department heads",
        0.75,
        True,
    ),
    CohortPlan(
        "C2013",
        "2013 wave 3",
        date(2013, 6, 3),
        16,
        ("direct_report", "department_head", "manager"),
        (0.5, 0.3, 0.2),
        "Department heads and managers in claims, technology and marketing",
        0.75,
        True,
    ),
)

# The 2013 wave, live on the data date: one pair of each kind coordinators must see.
# Each session: (session_no, status, scheduled day, trust, aha, ideas, mentor present, mentee present),
# days counted from the cohort start (2013-06-03); the data date is day 95.
H, M, C, S = "held", "missed", "cancelled", "scheduled"
LIVE_PATTERNS: dict[str, tuple[int, str, tuple]] = {
    # kind: (matched day, end state, sessions)
    "on_track": (
        -5,
        "",
        (
            (1, H, 1, 3, 0, 0, 1, 1),
            (2, H, 22, 4, 0, 0, 1, 1),
            (3, H, 43, 4, 1, 1, 1, 1),
            (4, H, 64, 5, 0, 1, 1, 1),
            (5, H, 85, 5, 1, 2, 1, 1),
            (6, S, 105),
            (7, S, 126),
        ),
    ),
    "unrecorded": (
        -5,
        "",
        (
            (1, H, 1, 3, 0, 0, 1, 1),
            (2, H, 22, 4, 0, 0, 1, 1),
            (3, H, 43, 4, 1, 1, 1, 1),
            (4, H, 65, 4, 0, 1, 1, 1),
            (5, S, 84),
            (6, S, 105),
            (7, S, 126),
        ),
    ),
    "never_started": (59, "", ()),
    "overdue": (-5, "", ((1, H, 1, 3, 0, 0, 1, 1), (2, H, 22, 4, 0, 0, 1, 1), (3, H, 43, 4, 1, 0, 1, 1))),
    "two_missed": (
        -5,
        "",
        (
            (1, H, 1, 3, 0, 0, 1, 1),
            (2, H, 22, 4, 0, 0, 1, 1),
            (3, H, 43, 4, 1, 1, 1, 1),
            (4, H, 66, 4, 0, 1, 1, 1),
            (5, M, 84, None, None, None, 0, 1),
            (6, C, 93, None, None, None, None, None),
            (7, S, 126),
        ),
    ),
    "mentee_no_show": (
        -5,
        "",
        (
            (1, H, 1, 3, 0, 0, 1, 1),
            (2, H, 22, 4, 1, 0, 1, 1),
            (3, M, 42, None, None, None, 1, 0),
            (4, H, 66, 4, 0, 1, 1, 1),
            (5, M, 84, None, None, None, 1, 0),
            (6, S, 105),
            (7, S, 126),
        ),
    ),
    "trust_falling": (
        -5,
        "",
        (
            (1, H, 1, 4, 0, 0, 1, 1),
            (2, H, 22, 5, 0, 0, 1, 1),
            (3, H, 43, 4, 1, 1, 1, 1),
            (4, H, 64, 3, 0, 0, 1, 1),
            (5, H, 85, 3, 0, 0, 1, 1),
            (6, S, 105),
            (7, S, 126),
        ),
    ),
    "stalled": (
        -5,
        "",
        (
            (1, H, 1, 3, 0, 0, 1, 1),
            (2, H, 22, 4, 0, 0, 1, 1),
            (3, H, 43, 4, 0, 0, 1, 1),
            (4, H, 64, 4, 0, 0, 1, 1),
            (5, H, 85, 4, 0, 1, 1, 1),
            (6, S, 105),
            (7, S, 126),
        ),
    ),
    "at_risk": (
        -5,
        "",
        (
            (1, H, 1, 4, 0, 0, 1, 1),
            (2, H, 22, 4, 0, 0, 1, 1),
            (3, H, 43, 3, 0, 0, 1, 1),
            (4, H, 64, 2, 0, 0, 1, 1),
            (5, H, 85, 2, 0, 0, 1, 1),
            (6, S, 105),
            (7, S, 126),
        ),
    ),
    "long_overdue": (-5, "", ((1, H, 1, 3, 0, 0, 1, 1), (2, H, 22, 4, 1, 0, 1, 1))),
    "too_early": (80, "", ((1, H, 95, 3, 0, 0, 1, 1), (2, S, 116), (3, S, 137), (4, S, 158))),
    "ended_early": (
        -5,
        "ended_early",
        ((1, H, 1, 3, 0, 0, 1, 1), (2, H, 22, 3, 0, 0, 1, 1), (3, C, 42, None, None, None, None, None)),
    ),
}
LIVE_KINDS = ("on_track",) * 5 + tuple(k for k in LIVE_PATTERNS if k != "on_track")

# survey constructs: (construct, scale_max, pre mean, pilot change, items (id, text, reverse coded))
CONSTRUCTS = (
    (
        "social_media_knowledge",
        5,
        2.3,
        1.1,
        (
            ("KNOW1", "I know how our customers and employees use social media.", False),
            ("KNOW2", "I can explain what LinkedIn, Twitter and Facebook are each good for.", False),
            ("KNOW3", "I understand how search shapes our company's online presence.", False),
            ("KNOW4", "I find the language of social media confusing.", True),
        ),
    ),
    (
        "digital_confidence",
        7,
        3.2,
        1.3,
        (
            ("CONF1", "I am confident posting and sharing content online.", False),
            ("CONF2", "I can set up and manage my own professional profile.", False),
            ("CONF3", "I am comfortable trying a new device or app without help.", False),
        ),
    ),
    (
        "social_media_business_value",
        5,
        3.0,
        0.6,
        (
            ("VAL1", "Social media can help our business reach customers.", False),
            ("VAL2", "Our leaders should be visible on social media.", False),
            ("VAL3", "Social media is mostly a waste of employees' time.", True),
            ("VAL4", "I can name a business idea that uses social media.", False),
        ),
    ),
    (
        "intergenerational_understanding",
        5,
        3.1,
        0.5,
        (
            ("GEN1", "I understand how younger employees prefer to work.", False),
            ("GEN2", "I learn useful things from colleagues much younger than me.", False),
            ("GEN3", "Younger employees' habits are hard for me to relate to.", True),
        ),
    ),
    (
        "collaboration_tool_intent",
        5,
        3.3,
        0.15,
        (
            ("COLL1", "I intend to use our internal collaboration tools every week.", False),
            ("COLL2", "I will share my work on the internal network.", False),
            ("COLL3", "I would recommend the internal tools to my team.", False),
        ),
    ),
)
PLATFORM_UPTAKE = {"linkedin": 0.8, "twitter": 0.45, "facebook": 0.35, "youtube": 0.3, "internal": 0.9}
FIRST_MONTH, LAST_MONTH = date(2010, 1, 1), date(2013, 8, 1)
COMPARISON_PER_SCALE = 30
COSTS = (  # category, note, amount per cohort C2011, C2012, C2013
    ("Program coordination", "Coordinator time, matching and follow-up", (18000, 42000, 16000)),
    ("Kick-off and closing events", "Launch meeting and graduation", (6500, 12000, 5000)),
    ("Mentor training", "Half-day workshop for mentors", (4000, 9000, 3500)),
    ("Devices and software", "Tablets and accounts for mentees", (9600, 15000, 4000)),
    ("Materials", "Topic guides and printed outline", (1200, 3500, 1000)),
)


def cohort_end(plan: CohortPlan) -> date:
    return plan.start + timedelta(days=CADENCE * (PLANNED - 1) + 14)


def only(values, keep, dtype: str) -> pd.Series:
    """values where keep, missing elsewhere, in a dtype that writes cleanly to CSV (3, not 3.0)."""
    return pd.Series(np.asarray(values)).astype(dtype).where(np.asarray(keep, dtype=bool))


def days(start: date, offsets: np.ndarray) -> np.ndarray:
    return np.datetime64(start, "D") + offsets.astype("timedelta64[D]")


def ids(prefix: str, start: int, count: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(start, start + count).astype(str), 6))


def people(
    rng,
    prefix: str,
    start: int,
    levels: np.ndarray,
    generations: tuple,
    weights: tuple,
    role: str,
    partners: np.ndarray | None = None,
):
    """People with random names; the person at position i never has the name of partners[i] (a pair of two
    "Devon Robinson"s reads like a mistake)."""
    n = len(levels)
    first = rng.choice(FIRST_NAMES, n)
    last = rng.choice(LAST_NAMES, n)
    if partners is not None:
        same = np.char.add(np.char.add(first, " "), last) == partners
        last[same] = [LAST_NAMES[(LAST_NAMES.index(name) + 1) % len(LAST_NAMES)] for name in last[same]]
    person_ids = ids(prefix, start, n)
    low = np.array([HOURLY_COST[level][0] for level in levels])
    high = np.array([HOURLY_COST[level][1] for level in levels])
    return pd.DataFrame(
        {
            "participant_id": person_ids,
            "role": role,
            "display_name": np.char.add(np.char.add(first, " "), last),
            "email": np.char.add(
                np.char.add(np.char.add(np.char.lower(first), "."), np.char.lower(last)),
                np.char.add(np.char.add(".", np.char.lower(person_ids)), "@example.com"),
            ),
            "level": levels,
            "business_unit": rng.choice(BUSINESS_UNITS, n),
            "location": rng.choice(LOCATIONS, n),
            "generation": rng.choice(generations, n, p=weights),
            "hourly_cost": np.round(rng.uniform(low, high)).astype(int),
            "promoted_on": pd.NaT,
            "left_on": pd.NaT,
        }
    )


def build_people_and_pairs(rng, scale: int):
    mentees, mentors, pairs = [], [], []
    next_id = 1
    for plan in COHORTS:
        n = plan.pairs * scale
        levels = rng.choice(plan.levels, n, p=plan.level_weights)
        mentee = people(rng, "E", next_id, levels, ("boomer", "gen_x"), (0.6, 0.4), "mentee")
        mentor_levels = rng.choice(["individual_contributor", "manager"], n, p=[0.8, 0.2])
        mentor = people(
            rng, "M", next_id, mentor_levels, ("millennial",), (1.0,), "mentor", mentee["display_name"].to_numpy()
        )
        end = cohort_end(plan)
        # 11 of the 12 pilot mentors were promoted within a year; fewer later
        promoted_share = 11 / 12 if plan.cohort_id == "C2011" else 0.35
        promoted = rng.permutation(n) < round(promoted_share * n)
        if plan.start < DATA_DATE - timedelta(days=365):
            mentor.loc[promoted, "promoted_on"] = pd.to_datetime(end) + pd.to_timedelta(
                rng.integers(30, 330, promoted.sum()), unit="D"
            )
        pair = pd.DataFrame(
            {
                "pair_id": ids("PR", next_id, n),
                "cohort_id": plan.cohort_id,
                "mentor_id": mentor["participant_id"],
                "mentee_id": mentee["participant_id"],
                "kind": np.resize(np.array(LIVE_KINDS), n) if plan.cohort_id == "C2013" else "finished",
                "effect": plan.effect,
            }
        )
        mentees.append(mentee)
        mentors.append(mentor)
        pairs.append(pair)
        next_id += n
    comparison_n = COMPARISON_PER_SCALE * scale
    comparison_levels = rng.choice(["c_suite", "lob_president", "direct_report", "department_head"], comparison_n)
    comparison = people(rng, "X", 1, comparison_levels, ("boomer", "gen_x"), (0.6, 0.4), "comparison")
    return pd.concat(mentees), pd.concat(mentors), comparison, pd.concat(pairs, ignore_index=True)


def finished_sessions(rng, pairs: pd.DataFrame) -> pd.DataFrame:
    """Sessions of the finished cohorts: phases progress, a few misses, some pairs end early."""
    starts = pairs["cohort_id"].map({p.cohort_id: np.datetime64(p.start, "D") for p in COHORTS}).to_numpy()
    n = len(pairs)
    number = np.tile(np.arange(1, PLANNED + 1), n)
    pair_index = np.repeat(np.arange(n), PLANNED)
    scheduled = starts[pair_index] + ((number - 1) * CADENCE + rng.integers(-2, 3, n * PLANNED)).astype(
        "timedelta64[D]"
    )
    status = rng.choice(np.array([H, M, C]), n * PLANNED, p=[0.88, 0.07, 0.05])
    # about 6% of pairs end after session 2-5
    ends_early = rng.random(n) < 0.06
    last_session = np.where(ends_early, rng.integers(2, 6, n), PLANNED)
    keep = number <= last_session[pair_index]
    held = status == H
    pair_trust = rng.normal(0, 0.4, n)[pair_index]
    trust_mean = np.array([2.6, 3.2, 3.6, 3.9, 4.2, 4.4, 4.5])[number - 1]
    trust = np.clip(np.round(trust_mean + pair_trust + rng.normal(0, 0.5, n * PLANNED)), 1, 5)
    effect = pairs["effect"].to_numpy()[pair_index]
    aha_chance = np.array([0.05, 0.15, 0.45, 0.55, 0.5, 0.35, 0.3])[number - 1] * (0.6 + 0.4 * effect)
    ideas = rng.poisson(np.array([0, 0.1, 0.3, 0.6, 1.5, 2.2, 2.5])[number - 1] * effect)
    mentee_missed = rng.random(n * PLANNED) < 0.7
    phase = np.array(["trust", "trust", "insight", "insight", "insight", "brainstorm", "brainstorm"])[number - 1]
    logs_phase = pairs["cohort_id"].map({p.cohort_id: p.logs_phase for p in COHORTS}).to_numpy()[pair_index]
    with_note = rng.random(n * PLANNED) < 0.4
    frame = pd.DataFrame(
        {
            "pair_id": pairs["pair_id"].to_numpy()[pair_index],
            "session_no": number,
            "scheduled_on": scheduled,
            "status": status,
            "held_on": only(
                scheduled + rng.integers(0, 3, n * PLANNED).astype("timedelta64[D]"), held, "datetime64[s]"
            ),
            "duration_min": only(rng.integers(6, 13, n * PLANNED) * 5, held, "Int64"),
            "mentor_present": only(np.where(status == M, mentee_missed, True), status != C, "boolean"),
            "mentee_present": only(np.where(status == M, ~mentee_missed, True), status != C, "boolean"),
            "topic": np.array(TOPICS)[number - 1],
            "phase": only(phase, logs_phase, "str"),
            "trust_rating": only(trust, held, "Int64"),
            "aha_moment": only(rng.random(n * PLANNED) < aha_chance, held, "boolean"),
            "ideas_count": only(ideas, held, "Int64"),
            "notes": only(rng.choice(NOTES, n * PLANNED), held & with_note, "str"),
        }
    )[keep]
    return frame, ends_early, scheduled.reshape(n, PLANNED), last_session


def live_sessions(pairs: pd.DataFrame, start: date) -> pd.DataFrame:
    """Sessions of the running wave, from the patterns above."""
    rows = []
    for kind, (_, _, sessions) in LIVE_PATTERNS.items():
        for session in sessions:
            number, status, day = session[:3]
            rest = session[3:] if len(session) > 3 else (None,) * 5
            rows.append((kind, number, status, day, *rest))
    template = pd.DataFrame(
        rows, columns=["kind", "session_no", "status", "day", "trust", "aha", "ideas", "mentor", "mentee"]
    )
    frame = pairs[["pair_id", "kind"]].merge(template, on="kind")
    held = frame["status"] == H
    scheduled = days(start, frame["day"].to_numpy())
    number = frame["session_no"].to_numpy()
    return pd.DataFrame(
        {
            "pair_id": frame["pair_id"],
            "session_no": number,
            "scheduled_on": scheduled,
            "status": frame["status"],
            "held_on": only(scheduled, held, "datetime64[s]"),
            "duration_min": only(np.full(len(frame), 45), held, "Int64"),
            "mentor_present": only(frame["mentor"].fillna(0), frame["mentor"].notna(), "boolean"),
            "mentee_present": only(frame["mentee"].fillna(0), frame["mentee"].notna(), "boolean"),
            "topic": np.array(TOPICS)[number - 1],
            "phase": np.array(["trust", "trust", "insight", "insight", "insight", "brainstorm", "brainstorm"])[
                number - 1
            ],
            "trust_rating": only(frame["trust"].fillna(0), held, "Int64"),
            "aha_moment": only(frame["aha"].fillna(0), held, "boolean"),
            "ideas_count": only(frame["ideas"].fillna(0), held, "Int64"),
            "notes": only(np.full(len(frame), "Live wave: session logged by the mentor."), held, "str"),
        }
    )


def survey_files(rng, mentees: pd.DataFrame, pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    items, frames = [], []
    cohort_of = pairs.set_index("mentee_id")["cohort_id"]
    plans = {p.cohort_id: p for p in COHORTS}
    person = mentees["participant_id"].to_numpy()
    cohort = cohort_of.loc[person].to_numpy()
    effect = np.array([plans[c].effect for c in cohort])
    finished = np.array([cohort_end(plans[c]) < DATA_DATE for c in cohort])
    pre_day = np.array([np.datetime64(plans[c].start - timedelta(days=6), "D") for c in cohort])
    post_day = np.array([np.datetime64(cohort_end(plans[c]) + timedelta(days=7), "D") for c in cohort])
    answers_post = finished & (rng.random(len(person)) > 0.08)  # some never return the post survey
    for construct, top, pre_mean, change, construct_items in CONSTRUCTS:
        level = pre_mean + rng.normal(0, 0.6, len(person))
        gain = rng.normal(change, 0.5, len(person)) * effect
        waves = {
            "pre": (level, np.ones(len(person), bool), pre_day),
            "retro_pre": (level - 0.3, answers_post, post_day),  # people rate their former selves lower
            "post": (level + gain, answers_post, post_day),
        }
        for item_id, text, reverse in construct_items:
            items.append((item_id, construct, text, 1, top, reverse))
            for wave, (latent, answered, submitted) in waves.items():
                value = np.clip(np.round(latent + rng.normal(0, 0.6, len(person))), 1, top)
                if reverse:
                    value = 1 + top - value
                keep = answered & (rng.random(len(person)) > 0.03)
                frames.append(
                    pd.DataFrame(
                        {
                            "participant_id": person[keep],
                            "wave": wave,
                            "item_id": item_id,
                            "value": value[keep].astype(int),
                            "submitted_on": submitted[keep],
                        }
                    )
                )
    survey_items = pd.DataFrame(
        items, columns=["item_id", "construct", "text", "scale_min", "scale_max", "reverse_coded"]
    )
    return survey_items, pd.concat(frames, ignore_index=True)


def social_activity(rng, mentees: pd.DataFrame, comparison: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Monthly activity per platform from the month each person opened an account; mentees take up more."""
    months = pd.date_range(FIRST_MONTH, LAST_MONTH, freq="MS").to_numpy().astype("datetime64[M]")
    plans = {p.cohort_id: p for p in COHORTS}
    cohort_of = pairs.set_index("mentee_id")["cohort_id"]
    person = np.concatenate([mentees["participant_id"].to_numpy(), comparison["participant_id"].to_numpy()])
    is_mentee = np.arange(len(person)) < len(mentees)
    mentee_cohorts = cohort_of.loc[mentees["participant_id"]].to_numpy()
    start = np.full(len(person), np.datetime64("2100-01", "M"))
    end = start.copy()
    effect = np.zeros(len(person))
    start[is_mentee] = [np.datetime64(plans[c].start, "M") for c in mentee_cohorts]
    end[is_mentee] = [np.datetime64(cohort_end(plans[c]), "M") for c in mentee_cohorts]
    effect[is_mentee] = [plans[c].effect for c in mentee_cohorts]
    frames = []
    for platform, uptake in PLATFORM_UPTAKE.items():
        opened = months[0] + rng.integers(-24, 72, len(person)).astype("timedelta64[M]")
        # mentees who had no account open one during the program
        joins = is_mentee & (opened > start) & (rng.random(len(person)) < uptake * (0.5 + 0.5 * effect))
        opened = np.where(joins, start + rng.integers(0, 5, len(person)).astype("timedelta64[M]"), opened)
        has = months[None, :] >= opened[:, None]
        who, when = np.nonzero(has)
        month = months[when]
        trend = 0.08 + 0.003 * (month - months[0]).astype(int)
        boosted = is_mentee[who] & (month >= start[who])
        chance = np.where(boosted, 0.2 + 0.2 * effect[who], trend)
        active = rng.random(len(who)) < chance
        connections = (20 + 6 * (month - opened[who]).astype(int) * np.where(boosted, 2, 1)).astype(int)
        frames.append(
            pd.DataFrame(
                {
                    "participant_id": person[who],
                    "platform": platform,
                    "month": pd.Series(month.astype("datetime64[s]")).dt.strftime("%Y-%m").to_numpy(),
                    "active": active,
                    "posts": np.where(active, rng.poisson(2.5, len(who)), 0),
                    "interactions": np.where(active, rng.poisson(9, len(who)), 0),
                    "connections": connections,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def generate(out: Path, scale: int = 1, seed: int = 2011, progress=lambda message: None) -> dict[str, int]:
    """Write the demo program's canonical CSV files to `out`; return rows per file."""
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    rng = np.random.default_rng(seed)
    mentees, mentors, comparison, pairs = build_people_and_pairs(rng, scale)
    plans = {p.cohort_id: p for p in COHORTS}

    finished = pairs[pairs["kind"] == "finished"].reset_index(drop=True)
    old_sessions, ends_early, scheduled, last_session = finished_sessions(rng, finished)
    finished_last = scheduled[np.arange(len(finished)), last_session - 1]
    finished["matched_on"] = pd.to_datetime(finished["cohort_id"].map(lambda c: plans[c].start - timedelta(days=7)))
    finished["status"] = np.where(ends_early, "ended_early", "completed")
    finished["ended_on"] = finished_last + np.where(ends_early, 10, 2).astype("timedelta64[D]")
    finished["end_reason"] = only(np.full(len(finished), "Mentee's schedule after a reorganisation"), ends_early, "str")

    live = pairs[pairs["kind"] != "finished"].reset_index(drop=True)
    live_start = plans["C2013"].start
    live["matched_on"] = days(live_start, live["kind"].map(lambda k: LIVE_PATTERNS[k][0]).to_numpy())
    live["status"] = live["kind"].map(lambda k: LIVE_PATTERNS[k][1] or "active")
    ended = live["status"] == "ended_early"
    live["ended_on"] = only(
        np.full(len(live), np.datetime64(live_start + timedelta(days=50), "D")), ended, "datetime64[s]"
    )
    live["end_reason"] = only(np.full(len(live), "Mentee moved to a new role"), ended, "str")

    all_pairs = pd.concat([finished, live], ignore_index=True)
    sessions = pd.concat([old_sessions, live_sessions(live, live_start)], ignore_index=True)
    survey_items, survey_responses = survey_files(rng, mentees, pairs)
    cohorts = pd.DataFrame(
        {
            "cohort_id": [p.cohort_id for p in COHORTS],
            "name": [p.name for p in COHORTS],
            "start_date": [p.start for p in COHORTS],
            "end_date": [cohort_end(p) for p in COHORTS],
            "planned_sessions": PLANNED,
            "cadence_days": CADENCE,
            "audience": [p.audience for p in COHORTS],
        }
    )
    costs = pd.DataFrame(
        [
            (plan.cohort_id, category, amounts[i] * scale, note)
            for category, note, amounts in COSTS
            for i, plan in enumerate(COHORTS)
        ],
        columns=["cohort_id", "category", "amount", "note"],
    )
    tables = {
        "cohorts": cohorts,
        "participants": pd.concat([mentees, mentors, comparison], ignore_index=True),
        "pairs": all_pairs.drop(columns=["kind", "effect"]),
        "sessions": sessions,
        "survey_items": survey_items,
        "survey_responses": survey_responses,
        "social_activity": social_activity(rng, mentees, comparison, pairs),
        "costs": costs,
    }
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    counts = {}
    for name, frame in tables.items():
        progress(f"  writing {name}.csv ({len(frame):,} rows)")
        con.register("frame", frame)
        target = str(out / f"{name}.csv").replace("'", "''")
        dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        as_dates = f"replace ({', '.join(f'{c}::date as {c}' for c in dates)})" if dates else ""
        con.execute(f"copy (select * {as_dates} from frame) to '{target}' (header, delimiter ',')")
        con.unregister("frame")
        counts[name] = len(frame)
    con.close()
    return counts


def demo_folder_for(warehouse: Path) -> Path:
    """Where the demo's CSV files go by default: beside the warehouse they are loaded into."""
    return warehouse.parent / "demo_data"
