"""`python -m etl load` and the dashboard's Load data page: exports translated first, then the one load path."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from etl.exports.detect import has_exports
from etl.load import LoadBusy, LoadError, LoadRefused, LoadSummary, Progress, base_warehouse, load_folder
from warehouse.location import not_a_warehouse

if TYPE_CHECKING:  # staging reads exports with pandas: a load of canonical files starts without importing it
    from etl.exports.stage import Staging


@dataclass
class Outcome:
    """What a load (or a dry run) did: the summary, what each file was taken for, and every problem."""

    summary: LoadSummary | None
    staging: Staging | None = None
    problems: str = ""
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)
    can_set_aside: bool = False  # the problems are rows' (no file refused whole): --quarantine would load the rest


def load_with_exports(
    folder: Path,
    live: Path,
    quarantine: bool = False,
    progress: Progress = lambda message: None,
    today: date | None = None,
    is_demo: bool = False,
) -> Outcome:
    """Like load_folder, for a folder that may also hold tool exports. Raises LoadRefused with every problem."""
    folder, today = Path(folder), today or date.today()
    if not folder.is_dir() or not has_exports(folder):
        return Outcome(load_folder(folder, live, quarantine, progress, today, is_demo))  # which checks `live` itself
    if unusable := not_a_warehouse(live):  # before staging reads it
        raise LoadError(unusable)
    from etl.exports.stage import stage

    with tempfile.TemporaryDirectory(prefix="exports-") as tmp:
        staging = stage(folder, Path(tmp), base_warehouse(live, is_demo), today, quarantine)
        for line in staging.report():
            progress(line)
        translated = "\n".join(map(str, staging.problems))
        if staging.problems and not quarantine:
            # validate the translated rows too, on a throwaway copy, so the report lists every problem at once
            staged = any(staging.folder.iterdir())
            validation, count = dry_validation(staging, folder, live, today) if staged else ("", 0)
            report = "\n".join(part for part in (translated, validation) if part)
            raise LoadRefused(report, len(staging.problems) + count)
        if staging.problems:
            progress("Set aside (not loaded) because of these problems:\n" + translated)
        if not any(staging.folder.iterdir()):
            raise LoadError(f"{folder}: nothing to load; the exports gave no rows (see what each was taken for).")
        try:
            summary = load_folder(
                staging.folder, live, quarantine, progress, today, is_demo, origin=folder, translated=staging
            )
        except LoadRefused as refused:
            raise LoadRefused(staging.trace(str(refused)), refused.problem_count) from None
        except LoadBusy:
            raise  # about the warehouse, not the files: said as it is, and still a LoadBusy
        except LoadError as error:
            raise LoadError(traced(staging, folder, error)) from None
        summary.report = "\n".join(part for part in (translated, staging.trace(summary.report)) if part)
        return Outcome(summary, staging, notes=staging.report())


def traced(staging: Staging, folder: Path, error: Exception) -> str:
    """An error about the staged files, told about the files and folder the coordinator gave."""
    return staging.trace(str(error)).replace(str(staging.folder), str(folder))


def dry_validation(staging: Staging, folder: Path, live: Path, today: date) -> tuple[str, int]:
    with tempfile.TemporaryDirectory(prefix="check-") as tmp:
        copy = Path(tmp) / "check.duckdb"
        if live.exists():
            shutil.copyfile(live, copy)
        try:
            load_folder(staging.folder, copy, False, lambda message: None, today)
        except LoadRefused as refused:
            return staging.trace(str(refused)), refused.problem_count
        except LoadError as error:
            return traced(staging, folder, error), 1
    return "", 0


def check_folder(folder: Path, live: Path, today: date | None = None) -> Outcome:
    """A dry run: the whole load on a throwaway copy of the warehouse; the live one is never opened for writing."""
    today = today or date.today()
    with tempfile.TemporaryDirectory(prefix="check-") as tmp:
        copy = Path(tmp) / "check.duckdb"
        if live.exists():
            shutil.copyfile(live, copy)
        try:
            outcome = load_with_exports(folder, copy, today=today)
        except LoadRefused as refused:
            staging = preview_only(folder, live, today)
            # rows', not files': no file refused whole, no export unrecognised or unreadable
            rows_only = refused.problem_count > 0 and not refused.refused_files
            rows_only = rows_only and all(problem.line is not None for problem in staging.problems)
            # and some row is good: setting the rest aside must load something (the copy is as it was: refused)
            rows_only = rows_only and good_rows(folder, copy, today) > 0
            return Outcome(None, staging, str(refused), refused.problem_count, staging.report(), rows_only)
        except LoadError as error:
            return Outcome(None, preview_only(folder, live, today), str(error), 1)
    outcome.summary.load_id = None  # nothing was written: this load has no number yet
    if outcome.staging is None:
        outcome.staging = preview_only(folder, live, today)
    return outcome


def good_rows(folder: Path, copy: Path, today: date) -> int:
    """The rows a load with the problem rows set aside would load, tried on the throwaway copy."""
    try:
        return load_with_exports(folder, copy, quarantine=True, today=today).summary.totals()["rows_loaded"]
    except LoadError:
        return 0


def preview_only(folder: Path, live: Path, today: date) -> Staging:
    from etl.exports.stage import stage

    """What each file is taken for and the rows it becomes, without loading anything."""
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        return stage(folder, Path(tmp), base_warehouse(live, False), today)
