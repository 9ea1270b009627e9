"""A folder of canonical files and exports turned into a folder of canonical files only, with lines traced back."""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from etl.contract import BY_NAME
from etl.exports import forms, qualtrics, teams, viva_engage, zoom
from etl.exports.detect import LABELS, detect, is_canonical, is_tabular, read_rows
from etl.exports.mapping import read_mapping
from etl.exports.roster import NEEDED, Roster, canonical_files, read_canonical, with_stored_columns
from etl.exports.sessions import session_rows, unreported
from etl.exports.translation import Context, Translation
from etl.load import rows_text
from etl.read_files import Problem, normalise_header

PREVIEW_ROWS = 20
CANONICAL = ", ".join(f"{name}.csv" for name in BY_NAME)


@dataclass
class FileReport:
    file: str
    taken_for: str
    rows: int
    notes: list[str]
    preview: pd.DataFrame

    @property
    def rows_text(self) -> str:
        return rows_text(self.rows)


@dataclass
class Staging:
    folder: Path
    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreported: list[str] = field(default_factory=list)
    sources: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # staged file -> source of each line

    def source(self, staged: str, line: int) -> tuple[str, int] | None:
        """The file and line a line of a staged file came from."""
        lines = self.sources.get(staged, [])
        return lines[line - 2] if 0 <= line - 2 < len(lines) else None

    def retraced(self, staged: str, line: int, message: str) -> tuple[str, int, str]:
        """A staged row's file and line as the coordinator has them, and `message` with the lines of the staged file
        it mentions ("see line 9") retraced too."""
        file, origin = self.source(staged, line) or (staged, line)

        def mentioned(reference: re.Match) -> str:
            other = self.source(staged, int(reference.group(1)))
            if other is None:
                return reference.group(0)
            return f"line {other[1]}" if other[0] == file else f"line {other[1]} of {other[0]}"

        return file, origin, re.sub(r"\bline (\d+)\b", mentioned, message)

    def named(self, staged: str) -> str:
        """A staged file's name, with the exports its rows came from: "sessions.csv (with teams_p1.csv)" when the
        folder's own file has rows in it too, "survey_responses.csv (from pre.csv)" when it has none."""
        files = list(dict.fromkeys(file for file, _ in self.sources.get(staged, [])))
        exports = [file for file in files if file != staged]
        if not exports:
            return staged
        listed = ", ".join(exports[:3]) + (f" and {len(exports) - 3:,} more" if len(exports) > 3 else "")
        return f"{staged} ({'with' if staged in files else 'from'} {listed})"

    def trace(self, report: str) -> str:
        """A validation report on staged files, each of its lines pointing at the file and line it came from."""

        def traced(text: str) -> str:
            found = re.match(r"([\w.-]+\.csv):(\d+)", text)
            if not found:
                return text
            staged = found.group(1)
            file, line, rest = self.retraced(staged, int(found.group(2)), text[found.end() :])
            return (f"{file}:{line}" if file == staged else f"{file}:{line} (as {staged} row)") + rest

        return "\n".join(traced(text) for text in report.split("\n"))

    def report(self) -> list[str]:
        lines = []
        for f in self.files:
            lines.append(f"{f.file}: taken for {f.taken_for}, {f.rows_text}")
            lines += [f"  {note}" for note in f.notes]
        if self.unreported:
            lines.append(self.unreported_text())
        return lines

    def unreported_text(self, shown: int = 20) -> str:
        more = len(self.unreported) - shown
        listed = "; ".join(self.unreported[:shown]) + (f"; and {more:,} more" if more > 0 else "")
        return f"Scheduled before the latest report, with no report (not guessed; {len(self.unreported):,}): {listed}"


def not_a_table(path: Path) -> Problem | None:
    """An empty file, or binary content under a text table's name (a PDF saved as .csv), whatever its kind would be."""
    head = path.read_bytes()[:65536]
    if not head.strip():
        return Problem(
            path.name, None, None, "an empty file", "the export's rows as the tool wrote them: download it again"
        )
    text = path.suffix.lower() != ".xlsx" and not head.startswith((b"\xff\xfe", b"\xfe\xff"))  # Teams: UTF-16
    if text and (b"\x00" in head or head.startswith(b"%PDF")):
        return Problem(
            path.name, None, None, "binary content (a PDF or another program's file under a .csv name)",
            "the tool's CSV or Excel export: download it again as CSV",
        )  # fmt: skip
    return None


def unrecognised(file: str, rows: list[list[object]]) -> Problem:
    """What a file that is no known kind should be; by its header, the canonical file it may be under another name
    (sessions_november.csv)."""
    header = {normalise_header(cell) for cell in (rows[0] if rows else []) if cell is not None}
    named = [e.name for e in BY_NAME.values() if set(e.column_names) >= header >= set(e.required_columns)]
    if named:
        return Problem(file, None, None, f"the columns of {named[0]}.csv", f"the name {named[0]}.csv: rename the file")
    return Problem(
        file,
        None,
        None,
        "a file that is neither a canonical file nor a known export",
        f"one of {CANONICAL}, or a Qualtrics, Microsoft Forms, Google Forms, Teams, Zoom or Viva Engage export (name "
        "its kind in mapping.toml if it is one)",
    )


def translate_all(folder: Path, ctx: Context, staging: Staging) -> list[Translation]:
    translations, meetings, logs, readers = [], [], [], {}
    for path in sorted(folder.iterdir()):
        if not is_tabular(path) or is_canonical(path):
            continue
        if refusal := not_a_table(path):
            staging.files.append(FileReport(path.name, "(unreadable)", 0, [], pd.DataFrame()))
            staging.problems.append(refusal)
            continue
        try:
            rows = read_rows(path)
        except Exception as error:  # a damaged workbook or text file: say so, whatever the reader raised
            staging.files.append(FileReport(path.name, "(unreadable)", 0, [], pd.DataFrame()))
            staging.problems.append(Problem(path.name, None, None, f"an unreadable file ({error})", "a CSV or XLSX"))
            continue
        kind = ctx.mapping.of(path.name).kind or detect(path, rows)
        if kind is None:
            staging.files.append(FileReport(path.name, "(not recognised)", 0, [], pd.DataFrame()))
            staging.problems.append(unrecognised(path.name, rows))
            continue
        if kind in ("teams", "zoom"):
            translation, found = (teams if kind == "teams" else zoom).translate(path.name, rows, ctx)
            readers[path.name] = translation
            meetings += found
        elif kind == "qualtrics":
            translations.append(qualtrics.translate(path.name, rows, ctx))
        elif kind == "viva_engage":
            translations.append(viva_engage.translate(path.name, rows, ctx))
        else:
            result = forms.translate(path.name, rows, kind, ctx)
            if isinstance(result, Translation):
                translations.append(result)
            else:
                logs += result
                readers[path.name] = Translation(path.name, LABELS[kind].replace("export", "session log"))
    for file, sessions in session_rows(meetings, logs, ctx).items():
        reader = readers[file]
        sessions.taken_for = f"{reader.taken_for} -> sessions"
        sessions.problems = reader.problems + sessions.problems
        sessions.notes = reader.notes + sessions.notes
        readers[file] = sessions
    translations += readers.values()
    # judged as of the latest report, as the dashboard judges history: old data never looks overdue (and with no
    # readable date, each log's own problem says so: nothing to judge by)
    dated = [m.held_on for m in meetings] + [e.held_on for e in logs if e.held_on]
    if dated:
        done = [r for t in readers.values() for r in t.records]
        staging.unreported = unreported(ctx.roster, done, min(max(dated), ctx.today))
    return translations


def set_aside(translation: Translation) -> None:
    """--quarantine: rows behind a problem stay out; a problem about the whole file keeps all of it out."""
    lines = {p.line for p in translation.problems}
    translation.records = [] if None in lines else [r for r in translation.records if r["_source_line"] not in lines]


def stage(folder: Path, out: Path, warehouse: Path | None, today: date, quarantine: bool = False) -> Staging:
    """Write canonical files for `folder` into `out`: canonical files as they are, exports translated."""
    staging = Staging(out)
    mapping, staging.problems = read_mapping(folder)
    canonical = canonical_files(folder)
    frames = {}
    for entity, path in canonical.items():
        try:
            frames[entity] = with_stored_columns(read_canonical(path), entity, warehouse)
        except Exception:  # noqa: BLE001 - a broken canonical file is reported by the validator, with its line
            continue
    roster = Roster.build({e: f for e, f in frames.items() if e in NEEDED}, warehouse)
    translations = translate_all(folder, Context(roster, mapping, today, warehouse=warehouse), staging)
    for translation in translations:
        staging.problems += translation.problems
        if quarantine:
            set_aside(translation)
        taken = translation.taken_for + ("" if "->" in translation.taken_for else f" -> {translation.entity}")
        frame = translation.frame().drop(columns="_source_line")
        staging.files.append(
            FileReport(translation.file, taken, len(frame), translation.notes, frame.head(PREVIEW_ROWS))
        )
    for entity, path in canonical.items():
        frame = frames.get(entity)
        shown = frame.drop(columns="_line").head(PREVIEW_ROWS) if frame is not None else pd.DataFrame()
        rows = len(frame) if frame is not None else 0
        staging.files.append(FileReport(path.name, f"{entity} (canonical file)", rows, [], shown))
    write_files(staging, folder, frames, [t for t in translations if t.records])
    return staging


def write_files(staging: Staging, folder: Path, frames: dict, translations: list[Translation]) -> None:
    """Entities with translated rows get a merged CSV; the other canonical files are linked as they are."""
    canonical = canonical_files(folder)
    by_entity: dict[str, list[Translation]] = {}
    for translation in translations:
        by_entity.setdefault(translation.entity, []).append(translation)
    for path in sorted(p for p in folder.iterdir() if is_canonical(p)):
        entity = path.stem.lower()
        if entity not in by_entity or entity not in frames or canonical[entity] != path:
            (staging.folder / path.name).symlink_to(path.resolve())  # two files for one entity stay two: refused
    for entity, group in by_entity.items():
        base = frames.get(entity, pd.DataFrame(columns=BY_NAME[entity].column_names))
        base_source = canonical[entity].name if entity in canonical else ""
        base = base.assign(_file=base_source).rename(columns={"_line": "_source_line"})
        new = pd.concat([t.frame().assign(_file=t.file) for t in group], ignore_index=True)
        if entity == "sessions":  # a meeting or log replaces its schedule row, in place
            keys = list(BY_NAME[entity].key)
            new_keys = new[keys].astype(str).apply(tuple, axis=1)
            base_keys = base[keys].astype(str).apply(tuple, axis=1) if len(base) else pd.Series(dtype=object)
            replaced = base_keys.isin(set(new_keys))
            merged = pd.concat([base[~replaced], new], ignore_index=True)
        else:
            merged = pd.concat([base, new], ignore_index=True)
        staging.sources[f"{entity}.csv"] = list(zip(merged["_file"], merged["_source_line"].astype(int), strict=True))
        merged.drop(columns=["_file", "_source_line"]).to_csv(staging.folder / f"{entity}.csv", index=False)
