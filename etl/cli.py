"""Command line: python -m etl load | demo | status | forget."""

import argparse
import sys
import time
from pathlib import Path

from etl.exports.load import load_with_exports
from etl.forget import ForgetError, forget, rows_to_remove
from etl.load import LoadError, LoadSummary, base_warehouse, returned_warning, rows_text, undone_warning
from etl.status import status_report
from warehouse.build import ReconciliationError
from warehouse.location import ENV_VAR, not_a_warehouse, warehouse_path


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def print_summary(summary: LoadSummary, warehouse: Path) -> None:
    for f in summary.files:
        if f.same_as_load:
            print(f"  {f.file}: {rows_text(f.rows_read)}, skipped: the same file (sha256) as load {f.same_as_load}")
            continue
        rejected = f", {f.rows_rejected:,} quarantined" if f.rows_rejected else ""
        print(
            f"  {f.file}: {f.rows_read:,} read, {f.rows_inserted:,} new, {f.rows_updated:,} updated, "
            f"{f.rows_unchanged:,} unchanged{rejected}"
        )
        if f.undone:
            print(f"  {undone_warning(f)}")
    if summary.ignored:
        print(f"  ignored (not a known file name): {', '.join(summary.ignored)}")
    if not summary.changed:
        print(f"Nothing changed: the warehouse already holds these rows. {warehouse} is untouched.")
        return
    totals = summary.totals()
    print(
        f"Load {summary.load_id} done in {summary.seconds:.1f} s: {totals['rows_inserted']:,} new and"
        f" {totals['rows_updated']:,} updated rows in {warehouse}"
    )
    if summary.replaced_demo:
        print(f"{warehouse} held the demo program (fictional): your files replaced it, and it now holds only them.")
    if summary.returned:
        say(returned_warning(summary))
    if totals["rows_rejected"]:
        count = totals["rows_rejected"]
        were = "1 row was" if count == 1 else f"{count:,} rows were"
        print(f"{were} quarantined; see `python -m etl status`. Their problems:")
        print(summary.report)


def advice(error: Exception) -> str:
    """The way forward after a refusal: --quarantine only helps when every file could be read."""
    refused = getattr(error, "refused_files", ())
    if refused:
        return (
            f"\nRefused whole: {', '.join(refused)}. Fix {'it' if len(refused) == 1 else 'them'} first and load again"
            " (--quarantine sets bad rows aside, not whole files)."
        )
    count = getattr(error, "problem_count", 0)
    if not count:
        return ""
    return (
        f"\n{count:,} {'problem' if count == 1 else 'problems'}. Fix {'it' if count == 1 else 'them'} in the files and"
        " load again, or load with --quarantine to load the good rows and set the bad ones aside."
    )


def run_load(folder: Path, warehouse: Path, quarantine: bool, is_demo: bool = False) -> int:
    say(f"Loading {folder} into {warehouse}")
    try:
        summary = load_with_exports(folder, warehouse, quarantine=quarantine, progress=say, is_demo=is_demo).summary
    except (LoadError, ReconciliationError) as error:
        say(f"\nNothing was loaded; the warehouse is unchanged.\n{error}")
        if advice(error):
            say(advice(error))
        return 1
    print_summary(summary, warehouse)
    return 0


def command_load(args) -> int:
    return run_load(Path(args.folder), warehouse_path(args.warehouse), args.quarantine)


def command_demo(args) -> int:
    from etl.demo import demo_folder_for, generate  # pandas and numpy: only the demo's generator needs them here

    warehouse = warehouse_path(args.warehouse)
    if unusable := not_a_warehouse(warehouse):
        say(unusable)
        return 1
    try:
        base_warehouse(warehouse, is_demo=True)  # refused before the demo's files are written
    except LoadError as error:
        say(str(error))
        return 1
    out = Path(args.out) if args.out else demo_folder_for(warehouse)
    started = time.perf_counter()
    say(f"Writing the demo program (scale {args.scale}, seed {args.seed}) to {out}")
    counts = generate(out, scale=args.scale, seed=args.seed, progress=say)
    say(f"  wrote {sum(counts.values()):,} rows in {time.perf_counter() - started:.1f} s")
    return run_load(out, warehouse, quarantine=False, is_demo=True)


def command_status(args) -> int:
    warehouse = warehouse_path(args.warehouse)
    if not warehouse.exists():
        say(f"No warehouse at {warehouse}. Create one with `python -m etl demo` or `python -m etl load FOLDER`.")
        return 1
    if unusable := not_a_warehouse(warehouse):
        say(unusable)
        return 1
    print(status_report(warehouse))
    return 0


def command_forget(args) -> int:
    warehouse = warehouse_path(args.warehouse)
    if not warehouse.exists() or (unusable := not_a_warehouse(warehouse)):
        say(f"No warehouse at {warehouse}." if not warehouse.exists() else unusable)
        return 1
    try:
        found = rows_to_remove(warehouse, args.participant_id)
    except ForgetError as error:
        say(str(error))
        return 1
    if not found:
        say(f"No row of {args.participant_id} is in {warehouse}; nothing was changed.")
        return 1
    say(f"Erasing {args.participant_id} from {warehouse} removes these rows for good:")
    say("\n".join(f"  {table}: {n:,}" for table, n in found.items()))
    if not args.yes:
        if not sys.stdin.isatty():
            say("Nothing was erased: confirm with --yes when no one can answer the question.")
            return 1
        if input(f"Erase {args.participant_id}? Type yes to go on: ").strip().lower() != "yes":
            say("Nothing was erased.")
            return 1
    try:
        removed = forget(warehouse, args.participant_id)
    except (ForgetError, LoadError, ReconciliationError) as error:
        say(f"Nothing was erased; the warehouse is unchanged.\n{error}")
        return 1
    print(f"Erased {args.participant_id}: {sum(removed.values()):,} rows removed; the erasure is recorded.")
    say("Delete their rows from the files you load too, or the next load of those files brings them back.")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m etl",
        description="Load reverse-mentoring program files into the DuckDB warehouse the dashboard reads.",
    )
    commands = top.add_subparsers(dest="command", required=True)
    where = f"warehouse file (default: ${ENV_VAR}, else {warehouse_path(None).name} under warehouse/)"

    load = commands.add_parser(
        "load", help="load every canonical CSV/XLSX file and tool export (Teams, Zoom, Qualtrics, Forms...) of a folder"
    )
    load.add_argument(
        "folder", help="folder holding cohorts.csv, participants.csv, ..., tool exports and an optional mapping.toml"
    )
    load.add_argument("--warehouse", help=where)
    load.add_argument(
        "--quarantine", action="store_true", help="load the good rows and set bad rows aside instead of refusing"
    )
    load.set_defaults(run=command_load)

    demo = commands.add_parser("demo", help="write the demo program's files and load them")
    demo.add_argument("--out", help="folder for the demo CSV files (default: demo_data beside the warehouse)")
    demo.add_argument("--scale", type=int, default=1, help="multiply the number of pairs (default 1: 73 pairs)")
    demo.add_argument("--seed", type=int, default=2011, help="random seed; the same seed gives the same files")
    demo.add_argument("--warehouse", help=where)
    demo.set_defaults(run=command_demo)

    status = commands.add_parser("status", help="rows per entity, load history and quarantined rows")
    status.add_argument("--warehouse", help=where)
    status.set_defaults(run=command_status)

    erase = commands.add_parser(
        "forget", help="erase a participant from every table, quarantine included, and record that it happened"
    )
    erase.add_argument("participant_id", help="the participant_id of participants.csv")
    erase.add_argument("--yes", action="store_true", help="erase without asking (for scripts)")
    erase.add_argument("--warehouse", help=where)
    erase.set_defaults(run=command_forget)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "scale", 1) < 1:
        parser().error("--scale must be 1 or more")
    return args.run(args)
