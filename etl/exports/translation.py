"""What translating one export gives: canonical rows with their source lines, problems, and notes for the report."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from etl.contract import BY_NAME
from etl.exports.mapping import Mapping
from etl.exports.roster import Roster, stored_submissions
from etl.read_files import Problem


@dataclass
class Context:
    roster: Roster
    mapping: Mapping
    today: date
    # (participant_id, wave) -> (file, line) of their first survey submission among the exports
    submitted: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    warehouse: Path | None = None
    stored: dict[tuple[str, str], list[str]] | None = None  # read from the warehouse when a survey first asks

    def stored_dates(self, who: str, wave: str) -> list[str]:
        """The dates of the submission of `who` for `wave` that earlier loads brought into the warehouse."""
        if self.stored is None:
            self.stored = stored_submissions(self.warehouse)
        return self.stored.get((who, wave), [])


@dataclass
class Translation:
    file: str
    taken_for: str  # what the report says the file was taken for
    entity: str | None = None
    records: list[dict] = field(default_factory=list)  # canonical column -> text, plus _source_line
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        columns = [*BY_NAME[self.entity].column_names, "_source_line"] if self.entity else ["_source_line"]
        return pd.DataFrame(self.records, columns=columns, dtype=object)

    def problem(self, line: int | None, column: str | None, got: str, expected: str) -> None:
        self.problems.append(Problem(self.file, line, column, got, expected))
