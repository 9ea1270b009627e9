"""Who is who: participants, pairs, schedules and survey items from the folder's canonical files and the warehouse."""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.contract import BY_NAME
from etl.exports.parse import email_key, squash
from etl.read_files import cell_text, entity_of, normalise_header
from warehouse.connect import open_read_only

NEEDED = ("participants", "pairs", "sessions", "survey_items")


def read_canonical(path: Path) -> pd.DataFrame:
    """A canonical file as text cells with normalised headers, and `_line` (spreadsheet row numbers)."""
    if path.suffix.lower() == ".xlsx":
        raw = pd.read_excel(path, header=None, engine="calamine", dtype=object)
        frame = pd.DataFrame([[cell_text(v) for v in row] for row in raw.iloc[1:].itertuples(index=False)])
        frame.columns = [normalise_header(c) for c in raw.iloc[0]]
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=False)
        frame.columns = [normalise_header(c) for c in frame.columns]
        frame = frame.replace("", None)
    frame["_line"] = range(2, len(frame) + 2)
    # numbered before empty lines and rows of commas only (Excel's formatted empty rows) go: they are not rows
    return frame[frame.drop(columns="_line").notna().any(axis=1)].reset_index(drop=True)


def with_stored_columns(frame: pd.DataFrame, entity: str, warehouse: Path | None) -> pd.DataFrame:
    """A canonical file that leaves out columns, with what the warehouse holds in them for its keys (which the load
    keeps: etl/validate.py), so that exports merged into it and people matched against it see those values."""
    columns, keys = BY_NAME[entity].column_names, list(BY_NAME[entity].key)
    absent = [c for c in columns if c not in frame.columns]
    if not absent or not set(keys) <= set(frame.columns):  # nothing left out, or a file the validator refuses
        return frame
    stored = from_warehouse(warehouse, entity)[keys + absent].drop_duplicates(keys)
    return frame.merge(stored, on=keys, how="left", validate="many_to_one")


def from_warehouse(warehouse: Path | None, entity: str) -> pd.DataFrame:
    if warehouse is None or not warehouse.exists():
        return pd.DataFrame(columns=BY_NAME[entity].column_names)
    con = open_read_only(warehouse)  # the dashboard's own kind of connection: the two may be open at once
    try:
        names = ", ".join(f'"{c}"::varchar as "{c}"' for c in BY_NAME[entity].column_names)
        exists = con.execute("select count(*) from information_schema.tables where table_name = ?", [f"raw_{entity}"])
        if not exists.fetchone()[0]:
            return pd.DataFrame(columns=BY_NAME[entity].column_names)
        frame = con.execute(f"select {names} from raw_{entity}").df()
    finally:
        con.close()
    for column in frame.columns:  # booleans come back as 'true'/'false' text; the contract reads them as such
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def stored_submissions(warehouse: Path | None) -> dict[tuple[str, str], list[str]]:
    """Per participant and wave, the dates of the survey submission the warehouse holds (from earlier loads)."""
    if warehouse is None or not warehouse.exists():
        return {}
    con = open_read_only(warehouse)
    try:
        exists = con.execute("select count(*) from information_schema.tables where table_name = 'raw_survey_responses'")
        if not exists.fetchone()[0]:
            return {}
        rows = con.execute(
            """select participant_id, wave, list(distinct strftime(submitted_on, '%Y-%m-%d') order by 1)
               from raw_survey_responses where submitted_on is not null group by all"""
        ).fetchall()
    finally:
        con.close()
    return {(who, wave): dates for who, wave, dates in rows}


@dataclass
class Roster:
    participants: pd.DataFrame
    pairs: pd.DataFrame
    sessions: pd.DataFrame
    items: pd.DataFrame

    @classmethod
    def build(cls, canonical: dict[str, pd.DataFrame], warehouse: Path | None) -> "Roster":
        """The folder's rows win over the warehouse's for the same key (they are about to replace them)."""
        tables = {}
        for entity in NEEDED:
            stored = from_warehouse(warehouse, entity)
            fresh = canonical.get(entity)
            if fresh is not None:
                keys = list(BY_NAME[entity].key)
                fresh = fresh.drop(columns="_line", errors="ignore")
                stored = pd.concat([stored, fresh], ignore_index=True).drop_duplicates(keys, keep="last")
            tables[entity] = stored.reset_index(drop=True)
        return cls(tables["participants"], tables["pairs"], tables["sessions"], tables["survey_items"])

    def __post_init__(self) -> None:
        """Indexes, so matching thousands of report rows stays quick."""
        people = self.participants
        self.emails: dict[str, list[str]] = {}
        self.names: dict[str, list[str]] = {}
        for pid, email, name in zip(people["participant_id"], people["email"], people["display_name"], strict=True):
            if email_key(email):
                self.emails.setdefault(email_key(email), []).append(pid)
            if name:
                self.names.setdefault(squash(name), []).append(pid)
        self.ids = set(people["participant_id"])
        sessions = self.sessions.assign(
            session_no=pd.to_numeric(self.sessions["session_no"], errors="coerce"),
            day=pd.to_datetime(self.sessions["scheduled_on"], format="%Y-%m-%d", errors="coerce").dt.date,
        ).dropna(subset=["session_no", "day"])
        self.schedules = dict(tuple(sessions.groupby("pair_id", sort=False)))

    def by_email(self, email: object) -> str | None:
        found = self.with_email(email)
        return found[0] if len(found) == 1 else None

    def with_email(self, email: object) -> list[str]:
        """Every participant with this email: more than one cannot be told apart by it."""
        return self.emails.get(email_key(email) or "", [])

    def by_id(self, value: object) -> str | None:
        text = str(value or "").strip()
        return text if text in self.ids else None

    def by_name(self, names: list[str]) -> tuple[str | None, list[str]]:
        """The one participant with one of these names, or None and the IDs sharing it (ambiguous)."""
        for name in names:
            ids = self.names.get(name, [])
            if len(ids) == 1:
                return ids[0], []
            if len(ids) > 1:
                return None, ids
        return None, []

    def schedule(self, pair_id: str) -> pd.DataFrame:
        """The pair's session rows with a usable number and date (`day`); broken rows are the validator's job."""
        return self.schedules.get(pair_id, self.sessions.iloc[0:0].assign(day=None))

    def item(self, item_id: str) -> dict | None:
        found = self.items[self.items["item_id"].str.lower() == item_id.lower()]
        return found.iloc[0].to_dict() if len(found) == 1 else None


def canonical_files(folder: Path) -> dict[str, Path]:
    return {entity.name: path for path in sorted(folder.iterdir()) if (entity := entity_of(path))}
