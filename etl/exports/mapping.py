"""mapping.toml: what a folder's exports can't say themselves (item per column, wave per file, presence minimum)."""

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl.read_files import Problem

NAME = "mapping.toml"
DEFAULT_PRESENCE_MINUTES = 10
KINDS = ("qualtrics", "ms_forms", "google_forms", "teams", "zoom", "viva_engage")
WAVES = ("pre", "post", "retro_pre", "followup")


@dataclass(frozen=True)
class FileMapping:
    kind: str | None = None  # force a kind when detection by content can't tell
    wave: str | None = None
    items: dict[str, str] = field(default_factory=dict)  # column tag or question text -> item_id
    month: str | None = None  # Viva Engage: the YYYY-MM a report period stands for
    date_order: str | None = None  # 'mdy' or 'dmy': this file's order, whatever its dates look like
    folder_date_order: str | None = None  # the folder's setting: for this file only if its dates can't tell

    @property
    def date_orders(self) -> tuple[str | None, str | None]:
        """`parse.date_order`'s setting and fallback."""
        return self.date_order, self.folder_date_order


@dataclass(frozen=True)
class Mapping:
    presence_minutes: float = DEFAULT_PRESENCE_MINUTES
    date_order: str | None = None
    files: dict[str, FileMapping] = field(default_factory=dict)

    def of(self, file: str) -> FileMapping:
        for name, mapping in self.files.items():
            if name.lower() == file.lower():
                return mapping
        return FileMapping(folder_date_order=self.date_order)


TOP_KEYS = ("presence_minutes", "date_order", "files")
FILE_KEYS = ("kind", "wave", "items", "month", "date_order")


def unknown_keys(table: dict, known: tuple[str, ...], prefix: str) -> list[Problem]:
    """A setting mapping.toml does not know (a typo, or a file's setting outside its [files."name"] section) would
    otherwise be ignored without a word."""
    problems = []
    for key in table:
        if key not in known:
            hint = difflib.get_close_matches(key, known, n=1)
            if prefix and key in TOP_KEYS:
                expected = 'it before the first [files."..."] section: it is a setting of the whole folder'
            else:
                expected = f"{hint[0]} (a misspelling?)" if hint else "one of " + ", ".join(known)
            problems.append(Problem(NAME, None, prefix + key, "an unknown setting", expected))
    return problems


def read_mapping(folder: Path) -> tuple[Mapping, list[Problem]]:
    path = folder / NAME
    if not path.exists():
        return Mapping(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return Mapping(), [Problem(NAME, None, None, f"unreadable TOML ({error})", "a valid TOML file")]
    problems = unknown_keys(data, TOP_KEYS, "")
    order = data.get("date_order")
    files = {}
    for name, entry in (data.get("files") or {}).items():
        if not (folder / name).is_file():
            problems.append(Problem(NAME, None, f"files.{name}", "a file that is not in the folder", "a file name"
                                    " of this folder, as written there (with its extension)"))  # fmt: skip
        problems += unknown_keys(entry, FILE_KEYS, f"files.{name}.")
        kind, wave = entry.get("kind"), entry.get("wave")
        if kind is not None and kind not in KINDS:
            problems.append(Problem(NAME, None, f"files.{name}.kind", repr(kind), "one of " + ", ".join(KINDS)))
        if wave is not None and wave not in WAVES:
            problems.append(Problem(NAME, None, f"files.{name}.wave", repr(wave), "one of " + ", ".join(WAVES)))
        files[name] = FileMapping(  # a setting refused above is not applied: its own problem says all
            kind if kind in KINDS else None,
            wave if wave in WAVES else None,
            {str(k): str(v) for k, v in (entry.get("items") or {}).items()},
            entry.get("month"),
            entry.get("date_order"),
            order,
        )
    for where, value in [("date_order", order)] + [(f"files.{n}.date_order", f.date_order) for n, f in files.items()]:
        if value is not None and value not in ("mdy", "dmy", "ymd"):
            problems.append(Problem(NAME, None, where, repr(value), "'mdy' (US) or 'dmy'"))
    minutes = data.get("presence_minutes", DEFAULT_PRESENCE_MINUTES)
    if not isinstance(minutes, int | float) or minutes < 0:
        problems.append(Problem(NAME, None, "presence_minutes", repr(minutes), "a number of minutes, 0 or more"))
        minutes = DEFAULT_PRESENCE_MINUTES
    return Mapping(minutes, order, files), problems
