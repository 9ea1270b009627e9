"""The input data contract: every canonical file, its columns, keys, references and row rules."""

from dataclasses import dataclass

KINDS = ("id", "text", "date", "month", "int", "number", "bool", "enum")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an enum, lower case
    minimum: float | None = None
    maximum: float | None = None
    past_only: bool = False  # a date of something that happened: never after the load day
    example: str = ""


@dataclass(frozen=True)
class Reference:
    """column must name a row of `entity` (in this batch or already in the warehouse)."""

    column: str
    entity: str
    target: str
    condition: str = ""  # extra SQL on the parent row `p`, e.g. p.role = 'mentor'
    expected: str = ""


@dataclass(frozen=True)
class Rule:
    """A row rule across columns or files: `sql` selects (_line, got, expected) of bad rows of `batch`."""

    column: str
    sql: str


@dataclass(frozen=True)
class Entity:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    rules: tuple[Rule, ...] = ()
    optional_file: bool = False
    doc: str = ""

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


LEVELS = (
    "c_suite",
    "lob_president",
    "direct_report",
    "department_head",
    "manager",
    "individual_contributor",
)
PLATFORMS = ("linkedin", "twitter", "facebook", "youtube", "internal")

ENTITIES: tuple[Entity, ...] = (
    Entity(
        "cohorts",
        doc="One row per program wave.",
        key=("cohort_id",),
        columns=(
            Column("cohort_id", "id", True, example="C2011"),
            Column("name", "text", True, example="2011 pilot"),
            Column("start_date", "date", True, example="2011-03-07"),
            Column("end_date", "date", example="2011-07-25"),
            Column("planned_sessions", "int", True, minimum=1, maximum=52, example="7"),
            Column("cadence_days", "int", True, minimum=1, maximum=365, example="21"),
            Column("audience", "text", example="C-suite and line-of-business presidents"),
        ),
        rules=(
            Rule(
                "end_date",
                "select _line, end_date::varchar, 'a date on or after start_date ' || start_date"
                " from batch where end_date < start_date",
            ),
        ),
    ),
    Entity(
        "participants",
        doc="One row per person: mentors, mentees and non-participating comparison executives.",
        key=("participant_id",),
        columns=(
            Column("participant_id", "id", True, example="E000001"),
            Column("role", "enum", True, ("mentor", "mentee", "comparison"), example="mentee"),
            Column("display_name", "text", example="Dana Whitfield"),
            Column("email", "text", example="dana.whitfield@example.com"),
            Column("level", "enum", values=LEVELS, example="c_suite"),
            Column("business_unit", "text", example="Commercial Markets"),
            Column("location", "text", example="Hartford, CT"),
            Column("generation", "enum", values=("boomer", "gen_x", "millennial", "gen_z"), example="boomer"),
            Column("hourly_cost", "number", minimum=0, maximum=100000, example="650"),
            Column("promoted_on", "date", past_only=True, example=""),
            Column("left_on", "date", past_only=True, example=""),
        ),
        rules=(
            Rule(
                "email",
                "select _line, email, 'an e-mail address like name@example.com'"
                " from batch where email is not null and not regexp_full_match(email, '[^@\\s]+@[^@\\s]+\\.[^@\\s]+')",
            ),
        ),
    ),
    Entity(
        "pairs",
        doc="One row per mentor-mentee pair in a cohort.",
        key=("pair_id",),
        columns=(
            Column("pair_id", "id", True, example="PR000001"),
            Column("cohort_id", "id", True, example="C2011"),
            Column("mentor_id", "id", True, example="M000001"),
            Column("mentee_id", "id", True, example="E000001"),
            Column("matched_on", "date", True, past_only=True, example="2011-02-28"),
            Column("status", "enum", values=("active", "completed", "ended_early"), example="completed"),
            Column("ended_on", "date", past_only=True, example=""),
            Column("end_reason", "text", example=""),
        ),
        references=(
            Reference("cohort_id", "cohorts", "cohort_id"),
            Reference(
                "mentor_id", "participants", "participant_id", "p.role = 'mentor'", "a participant whose role is mentor"
            ),
            Reference(
                "mentee_id", "participants", "participant_id", "p.role = 'mentee'", "a participant whose role is mentee"
            ),
        ),
        rules=(
            Rule(
                "ended_on",
                "select _line, ended_on::varchar, 'a date on or after matched_on ' || matched_on"
                " from batch where ended_on < matched_on",
            ),
            Rule(
                "mentee_id",
                "select _line, mentee_id, 'a mentee different from the mentor' from batch where mentee_id = mentor_id",
            ),
        ),
    ),
    Entity(
        "sessions",
        doc="One row per pair per session: attendance and the mentor's session log.",
        key=("pair_id", "session_no"),
        columns=(
            Column("pair_id", "id", True, example="PR000001"),
            Column("session_no", "int", True, minimum=1, maximum=100, example="1"),
            Column("scheduled_on", "date", True, example="2011-03-07"),
            Column("status", "enum", True, ("scheduled", "held", "missed", "cancelled", "rescheduled"), example="held"),
            Column("held_on", "date", past_only=True, example="2011-03-08"),
            Column("duration_min", "int", minimum=1, maximum=600, example="45"),
            Column("mentor_present", "bool", example="true"),
            Column("mentee_present", "bool", example="true"),
            Column("topic", "text", example="Technology and Devices"),
            Column("phase", "enum", values=("trust", "insight", "brainstorm"), example="trust"),
            Column("trust_rating", "int", minimum=1, maximum=5, example="3"),
            Column("aha_moment", "bool", example="false"),
            Column("ideas_count", "int", minimum=0, maximum=1000, example="0"),
            Column("notes", "text", example="Set up a LinkedIn profile together"),
        ),
        references=(Reference("pair_id", "pairs", "pair_id"),),
        rules=(
            Rule(
                "held_on",
                "select b._line, b.held_on::varchar, 'a date on or after the pair''s matched_on ' || p.matched_on"
                " from batch b join raw_pairs p using (pair_id) where b.held_on < p.matched_on",
            ),
            Rule(
                "held_on",
                "select _line, held_on::varchar, 'no held_on date for a session whose status is ' || status"
                " from batch where held_on is not null and status <> 'held'",
            ),
        ),
    ),
    Entity(
        "survey_items",
        doc="One row per survey question.",
        key=("item_id",),
        columns=(
            Column("item_id", "id", True, example="KNOW1"),
            Column("construct", "text", True, example="social_media_knowledge"),
            Column("text", "text", True, example="I understand how colleagues use social media."),
            Column("scale_min", "int", True, minimum=0, maximum=10, example="1"),
            Column("scale_max", "int", True, minimum=1, maximum=11, example="5"),
            Column("reverse_coded", "bool", example="false"),
        ),
        rules=(
            Rule(
                "scale_max",
                "select _line, scale_max::varchar, 'a number above scale_min ' || scale_min"
                " from batch where scale_max <= scale_min",
            ),
        ),
    ),
    Entity(
        "survey_responses",
        doc="One row per person, wave and item (long form).",
        key=("participant_id", "wave", "item_id"),
        columns=(
            Column("participant_id", "id", True, example="E000001"),
            Column("wave", "enum", True, ("pre", "post", "retro_pre", "followup"), example="pre"),
            Column("item_id", "id", True, example="KNOW1"),
            Column("value", "number", True, example="2"),
            Column("submitted_on", "date", past_only=True, example="2011-03-01"),
        ),
        references=(
            Reference("participant_id", "participants", "participant_id"),
            Reference("item_id", "survey_items", "item_id"),
        ),
        rules=(
            Rule(
                "value",
                "select b._line, '''' || b.value__text || '''',"
                " 'a whole number from ' || i.scale_min || ' to ' || i.scale_max"
                " || ' (the scale of item ' || i.item_id || ')'"
                " from batch b join raw_survey_items i using (item_id)"
                " where b.value < i.scale_min or b.value > i.scale_max or b.value <> round(b.value)",
            ),
        ),
    ),
    Entity(
        "social_activity",
        doc="One row per person, platform and month. A missing row means not active that month.",
        key=("participant_id", "platform", "month"),
        columns=(
            Column("participant_id", "id", True, example="E000001"),
            Column("platform", "enum", True, PLATFORMS, example="linkedin"),
            Column("month", "month", True, past_only=True, example="2011-04"),
            Column("active", "bool", True, example="true"),
            Column("posts", "int", minimum=0, maximum=1_000_000, example="3"),
            Column("interactions", "int", minimum=0, maximum=10_000_000, example="12"),
            Column("connections", "int", minimum=0, maximum=10_000_000, example="150"),
        ),
        references=(Reference("participant_id", "participants", "participant_id"),),
    ),
    Entity(
        "costs",
        doc="Listed program costs besides people's time (optional file).",
        key=("cohort_id", "category"),
        optional_file=True,
        columns=(
            Column("cohort_id", "id", True, example="C2011"),
            Column("category", "text", True, example="Launch event"),
            Column("amount", "number", True, minimum=0, maximum=1e10, example="5000"),
            Column("note", "text", example="Kick-off dinner"),
        ),
        references=(Reference("cohort_id", "cohorts", "cohort_id"),),
    ),
)

BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}
