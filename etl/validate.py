"""Validation of one file's rows: types, ranges, keys, references and row rules, all errors at once."""

from datetime import date
from pathlib import Path

import duckdb

from etl.contract import Column, Entity, Reference
from etl.read_files import MAX_CELL_CHARS, UNNAMED, FileRefused, csv_columns, csv_rows, in_file_order

SQL_TYPES = {
    "id": "varchar",
    "text": "varchar",
    "enum": "varchar",
    "date": "date",
    "month": "date",
    "int": "bigint",
    "number": "double",
    "bool": "boolean",
}
TRUE_WORDS = ("true", "yes", "y", "1")
FALSE_WORDS = ("false", "no", "n", "0")
EARLIEST = date(1990, 1, 1)
DIGITS = "[0-9]"


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def words(values: tuple[str, ...]) -> str:
    return ", ".join(quote(v) for v in values)


def parse_expr(column: Column, text: str) -> str:
    """SQL turning the trimmed text `text` into the column's type, NULL when it does not parse."""
    kind = column.kind
    if kind in ("id", "text"):
        return text
    if kind == "enum":
        # most cells are spelled as listed: lower() only for the rest, then labels as the dashboard writes them
        # ("C-suite", "Ended early" for c_suite, ended_early)
        # ... and written without or with other separators ("Follow-up", "retro pre" for followup, retro_pre)
        listed, label = words(column.values), f"regexp_replace(lower({text}), '[ -]+', '_', 'g')"
        squashed = f"regexp_replace(lower({text}), '[ _-]+', '', 'g')"
        joined = " ".join(f"when {quote(v.replace('_', ''))} then {quote(v)}" for v in column.values)
        return (
            f"case when {text} in ({listed}) then {text} when lower({text}) in ({listed}) then lower({text})"
            f" when {label} in ({listed}) then {label} else case {squashed} {joined} end end"
        )
    # a glob where it says the same as a regular expression: cheaper, on millions of cells
    if kind == "date":
        return f"case when {text} glob '{DIGITS * 4}-{DIGITS * 2}-{DIGITS * 2}' then try_cast({text} as date) end"
    if kind == "month":
        return f"case when {text} glob '{DIGITS * 4}-{DIGITS * 2}' then try_cast({text} || '-01' as date) end"
    # most numbers are plain digits; the regular expression takes the rest
    plain = f"strlen({text}) between 1 and 15 and {text} not glob '*[!0-9]*'"
    if kind == "int":
        # 12.0 too: pandas writes whole numbers so in a column with blanks
        return (
            rf"case when ({plain}) or regexp_full_match({text}, '[+-]?\d{{1,15}}') then cast({text} as bigint)"
            rf" when regexp_full_match({text}, '[+-]?\d{{1,15}}\.0+') then cast(cast({text} as double) as bigint) end"
        )
    if kind == "number":
        pattern = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?"
        return f"case when ({plain}) or regexp_full_match({text}, '{pattern}') then try_cast({text} as double) end"
    if kind == "bool":
        return (
            f"case when {text} in ({words(TRUE_WORDS)}) then true when {text} in ({words(FALSE_WORDS)}) then false"
            f" when lower({text}) in ({words(TRUE_WORDS)}) then true"
            f" when lower({text}) in ({words(FALSE_WORDS)}) then false end"
        )
    raise ValueError(f"unknown column kind {kind}")


def type_expected(column: Column, text: str) -> str:
    """SQL for the 'expected' part of a message when the text does not parse."""
    kind = column.kind
    if kind == "enum":
        return quote("one of " + ", ".join(column.values))
    if kind == "date":
        # Excel shows a date cell saved as General as its serial number: 40608 is 2011-03-06
        serial = (
            f"'a date as YYYY-MM-DD (' || {text} || ' looks like Excel''s number for ' || strftime(date '1899-12-30'"
            f" + cast({text} as integer), '%Y-%m-%d') || ': format the column as a date, YYYY-MM-DD)'"
        )
        return (
            rf"case when regexp_full_match({text}, '\d{{4}}-\d{{2}}-\d{{2}}') then 'a real calendar date'"
            # the numbers of 1980 to 2049
            rf" when regexp_full_match({text}, '\d{{5}}') and cast({text} as integer) between 29221 and 54789"
            f" then {serial} else 'a date as YYYY-MM-DD' end"
        )
    if kind == "month":
        return quote("a month as YYYY-MM")
    if kind == "int":
        return quote("a whole number")
    if kind == "number":
        # 18,000, 42 000 or $18,000
        grouped = rf"regexp_full_match(trim({text}), '[$€£]?-?\d{{1,3}}([, ]\d{{3}})+(\.\d+)?')"
        currency = rf"regexp_full_match(trim({text}), '[$€£]-?\d+(\.\d+)?')"  # $534
        plain = f"regexp_replace(trim({text}), '[$€£, ]', '', 'g')"
        return (
            f"case when {grouped} then 'a number without ' || case when regexp_matches({text}, '[$€£]')"
            " then 'a currency sign or thousands separators: ' else 'thousands separators: ' end"
            f" || {plain} || ' if that is what it means (a dot for decimals)'"
            f" when {currency} then 'a number without a currency sign: ' || {plain}"
            f" when contains({text}, ',') then 'a number with a dot for decimals' else 'a number' end"
        )
    if kind == "bool":
        return quote("true or false")
    return quote("text")


def range_checks(column: Column, value: str, today: date) -> list[tuple[str, str]]:
    """(bad condition, expected) pairs on the typed value."""
    checks = []
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        checks.append((f"{value} < {low} or {value} > {high}", quote(f"a value from {low:g} to {high:g}")))
    if column.kind in ("date", "month"):
        latest = today if column.past_only else date(today.year + 5, today.month, 1)
        what = "not after today" if column.past_only else "not in the far future"
        checks.append(
            (
                f"{value} < date '{EARLIEST}' or {value} > date '{latest}'",
                quote(f"a date from {EARLIEST} to {latest} ({what})"),
            )
        )
    return checks


def typed_rows(source: str, present: list[str], entity: Entity, trim_all: bool = True) -> str:
    """A query over the read rows: `_line`, then per contract column its text as `<name>__text` (trimmed, empty as
    NULL) and its typed value. The text is computed once, below the typing that reads it several times.

    With trim_all=False only id and text cells are trimmed (trimming is most of the typing's cost): any other cell
    with spaces around it then fails to parse and is found as bad, which sends the file to the careful path."""
    texts, typed = ["_line"], ["_line"]
    for column in entity.columns:
        name, text = column.name, f'"{column.name}__text"'
        if name not in present:
            texts.append(f"null::varchar as {text}")
        elif trim_all:
            texts.append(f"nullif(trim(\"{name}\"), '') as {text}")
        elif column.kind in ("id", "text"):
            # the CSV reader gives an empty cell as NULL; a cell with no space at either end needs no trim
            quoted = f'"{name}"'
            texts.append(
                f"case when prefix({quoted}, ' ') or suffix({quoted}, ' ') then nullif(trim({quoted}), '')"
                f" else {quoted} end as {text}"
            )
        else:
            texts.append(f'"{name}" as {text}')
        typed += [text, f'{parse_expr(column, text)} as "{name}"']
    return f"select {', '.join(typed)} from (select {', '.join(texts)} from {source})"


def build_batch(con: duckdb.DuckDBPyConnection, source: str, present: list[str], entity: Entity) -> None:
    """Typed rows in temp table `batch`: one column per contract column plus its text as `<name>__text`. A column
    the file leaves out keeps what the warehouse holds for the row's key (checked with the rest, as the row will be
    stored): an attendance-only file does not erase the ratings logged before."""
    rows = typed_rows(source, present, entity)
    absent = [f'"{c}"' for c in entity.column_names if c not in present]
    if absent:
        kept = ", ".join(f"t.{c} as {c}" for c in absent)
        keys = ", ".join(f'"{k}"' for k in entity.key)
        rows = f"select b.* replace ({kept}) from ({rows}) b left join raw_{entity.name} t using ({keys})"
    con.execute(f"create or replace temp table batch as {rows}")


# SQL: tabs, line breaks, non-breaking spaces and characters that show as nothing (zero-width, direction marks, soft
# hyphens): a cell copied from a web page or a chat can hold them
INVISIBLE = r"'[\t\n\r\x{00A0}\x{00AD}\x{200B}-\x{200F}\x{202A}-\x{202F}\x{2060}-\x{2069}\x{FEFF}]'"
CLEAN_ID = "an ID without tabs, line breaks or invisible characters (delete them from the cell)"


def shown_invisible(text: str) -> str:
    """SQL quoting the cell with its tabs, line breaks, non-breaking spaces and invisible characters named."""
    named = f"replace(replace(replace(left({text}, 60), chr(9), '<tab>'), chr(10), '<line break>'), chr(13), '')"
    spaces = f"replace(replace({named}, chr(160), '<non-breaking space>'), chr(8239), '<non-breaking space>')"
    return f"'''' || regexp_replace({spaces}, {INVISIBLE}, '<invisible character>', 'g') || ''''"


def cell_checks(entity: Entity, today: date) -> list[tuple[str, str]]:
    """(select list giving column, got, expected; condition) for every kind of bad cell."""
    checks = []
    for column in entity.columns:
        name, text = column.name, f'"{column.name}__text"'
        got = f"'''' || left({text}, 60) || ''''"
        if column.required:
            checks.append((f"{quote(name)}, 'nothing', 'a value (required)'", f"{text} is null"))
        checks.append(
            (f"{quote(name)}, {got}, {type_expected(column, text)}", f'{text} is not null and "{name}" is null')
        )
        if column.kind in ("id", "text"):  # a cell of another kind that parses is short
            checks.append(
                (
                    f"{quote(name)}, length({text}) || ' characters', 'at most {MAX_CELL_CHARS:,}'",
                    # bytes first: a character is at least one byte, and counting characters reads the whole text
                    f"strlen({text}) > {MAX_CELL_CHARS} and length({text}) > {MAX_CELL_CHARS}",
                )
            )
        if column.kind in ("id", "text") and name in entity.key and name not in {r.column for r in entity.references}:
            # a new key (an ID, a cost's category): with a tab or an invisible character it would be another key than
            # the one other files or loads name, and counted twice
            checks.append(
                (f"{quote(name)}, {shown_invisible(text)}, {quote(CLEAN_ID)}", f"regexp_matches({text}, {INVISIBLE})")
            )
        for bad, expected in range_checks(column, f'"{name}"', today):
            checks.append((f"{quote(name)}, {got}, {expected}", bad))
    return checks


def bad_cell(entity: Entity, today: date) -> str:
    """True for a typed row (`batch`'s columns) with at least one bad cell; NULL, which `where` and `case` take as
    false, for a row whose every check is false or NULL (no coalesce per check: 0.2 s less on 12 M rows)."""
    return " or ".join(f"({condition})" for _, condition in cell_checks(entity, today))


def values_problems(values: dict[str, str], entity: Entity, today: date) -> list[tuple[str, str, str]]:
    """(column, got, expected) for each of `values` (column -> text) that the load's own cell checks refuse: for
    values that join a row made elsewhere (a session log's, on the row of its meeting)."""
    con = duckdb.connect()
    try:
        cells = ", ".join(f'?::varchar as "{name}"' for name in values)
        con.execute(f"create temp table source as select 1 as _line, {cells}", list(values.values()))
        con.execute(f"create temp table batch as {typed_rows('source', list(values), entity)}")
        own = tuple(f"{quote(name)}," for name in values)
        queries = [f"select {select} from batch where {condition}" for select, condition in cell_checks(entity, today)
                   if select.startswith(own)]  # fmt: skip
        return con.execute(" union all ".join(queries)).fetchall() if queries else []
    finally:
        con.close()


def cell_problems(con: duckdb.DuckDBPyConnection, file: str, entity: Entity, today: date) -> None:
    """One scan of the batch finds the rows with a bad cell (few, usually none); each check then reads only those."""
    con.execute(f"create or replace temp table suspect as select * from batch where {bad_cell(entity, today)}")
    checks = cell_checks(entity, today)
    queries = [f"select _line, {select} from suspect where {condition}" for select, condition in checks]
    con.execute(f"insert into file_problems select *, ?, null, null from ({' union all '.join(queries)})", [file])


def repeated_keys(entity: Entity) -> str:
    """The natural keys that more than one row of `batch` holds."""
    not_null = " and ".join(f'"{k}" is not null' for k in entity.key)
    return f"select {key_list(entity)} from batch where {not_null} group by all having count(*) > 1"


def key_list(entity: Entity) -> str:
    return ", ".join(f'"{k}"' for k in entity.key)


def keys_may_repeat(entity: Entity, table: str, today: date) -> str:
    """SQL, true when `table` may hold a repeated key: false proves every key unique, at less cost than grouping by
    the keys themselves. True may also be a false alarm, which only costs the exact check."""
    columns = {c.name: c for c in entity.columns}
    month = next((k for k in entity.key if columns[k].kind == "month"), None)
    if month is None:
        # fewer distinct key hashes than rows: a repeated key, or (rarely) two keys with one hash
        return f"""select (select count(*) from (select distinct hash({key_list(entity)}) from {table}))
                          < (select count(*) from {table})"""
    # a key with a month: one bit per month in each group of the other key columns. A group holding fewer months than
    # rows repeats one, unless a month is missing or out of range (none in range: no bits, NULL). Far fewer groups
    # than keys: 0.3 s instead of 1.1 s for 12 M rows of social activity
    span = (today.year + 5 - EARLIEST.year) * 12 + 11  # the last month the range check lets through, or later
    bit = f"datediff('month', date '{EARLIEST}', \"{month}\")"
    months = f"bitstring_agg({bit}, 0, {span}) filter (where {bit} between 0 and {span})"
    others = ", ".join(f'"{k}"' for k in entity.key if k != month)
    return f"""select exists (select 1 from {table} group by {others}
                              having count(*) > coalesce(bit_count({months}), 0))"""


def key_checks(entity: Entity) -> list[str]:
    keys = key_list(entity)
    shown = " || ', ' || ".join(f"'{k}=' || \"{k}\"" for k in entity.key)
    row = ", ".join(f'"{c}"' for c in entity.column_names)
    # exact copies keep their first line; different rows for one key are all refused (which is right?);
    # the window reads only the keys that occur twice, found by a cheaper grouping
    return [
        f"""select _line, {quote(entity.key[-1])},
                case when variants = 1 then 'a copy of line ' || first_line
                     else 'a second row for ' || shown_key || ' with other values (see line '
                          || case when _line = first_line then last_line else first_line end || ')' end,
                'one row per ' || {quote(", ".join(entity.key))}
            from (select _line, {shown} as shown_key,
                         min(_line) over k as first_line, max(_line) over k as last_line, count(*) over k as copies,
                         count(distinct row({row})) over k as variants
                  from batch semi join ({repeated_keys(entity)}) using ({keys})
                  window k as (partition by {keys}))
            where copies > 1 and (variants > 1 or _line <> first_line)"""
    ]


def orphan(ref: Reference) -> str:
    """True for a row `b` of `batch` naming no row of the referenced table."""
    condition = f" and {ref.condition}" if ref.condition else ""
    col = f'b."{ref.column}"'
    # not in, with the parent's nulls left out, means not exists here, and runs as a hash join
    parent = f"select p.{ref.target} from raw_{ref.entity} p where p.{ref.target} is not null{condition}"
    return f"{col} is not null and {col} not in ({parent})"


def reference_checks(entity: Entity) -> list[str]:
    queries = []
    for ref in entity.references:
        article = "an" if ref.target[0] in "aeiou" else "a"
        known = quote(f"{article} {ref.target} that is in {ref.entity}.csv (add it there, or correct it here)")
        parent, col = f"raw_{ref.entity}", f'"{ref.column}"'
        # an ID that is there but fails the condition (a mentee named as a mentor) is told the condition
        there = f"exists (select 1 from {parent} z where z.{ref.target} = b.{col})"
        expected = f"case when {there} then {quote(ref.expected)} else {known} end" if ref.expected else known
        # Excel turns 0042 into 42: say so when the zero-padded ID exists
        queries.append(
            f"""select b._line, {quote(ref.column)},
                   {shown_invisible(f"b.{col}")} || coalesce(' (Excel may have dropped the leading zeros of '''
                       || (select min(z.{ref.target}) from {parent} z
                           where ltrim(z.{ref.target}, '0') = ltrim(b.{col}, '0') and z.{ref.target} <> b.{col})
                       || ''')', ''),
                   case when exists (select 1 from refused_keys r where r.entity = '{ref.entity}' and r.key = b.{col})
                        then 'its row in {ref.entity} to be valid (that row was refused too)'
                        else {expected} end,
                   '{ref.entity}',
                   coalesce((select any_value(r.file) from refused_files r where r.entity = '{ref.entity}'),
                            (select any_value(k.root) from refused_keys k
                             where k.entity = '{ref.entity}' and k.key = b.{col}))
                from batch b where {orphan(ref)}"""
        )
    return queries


def rule_checks(entity: Entity) -> list[str]:
    return [
        f"select line, {quote(r.column)}, got, expected from ({r.sql}) as r(line, got, expected)" for r in entity.rules
    ]


def validate(
    con: duckdb.DuckDBPyConnection, file: str, source: str, present: list[str], entity: Entity, today: date
) -> None:
    """Fill temp table `batch` (typed rows) and append every problem to temp table `file_problems`."""
    build_batch(con, source, present, entity)
    cell_problems(con, file, entity, today)
    repeats = con.execute(keys_may_repeat(entity, "batch", today)).fetchall()[0][0]
    queries = (key_checks(entity) if repeats else []) + rule_checks(entity)
    if queries:
        con.execute(f"insert into file_problems select *, ?, null, null from ({' union all '.join(queries)})", [file])
    absent = [c for c in entity.column_names if c not in present]
    if absent:  # a rule that failed on a value the warehouse kept (build_batch): say where it came from
        con.execute(
            """update file_problems set got = got || ' (the warehouse''s: the file has no ' || column_name
                   || ' column; add it, with the cell empty to clear the value)'
               where file = ? and column_name in (select unnest(?::varchar[]))""",
            [file, absent],
        )
    references = reference_checks(entity)
    if references:
        # two more columns: the parent entity and, when the parent's file was refused whole (or the parent row only
        # for that reason), that file: the report counts those rows instead of listing them
        con.execute(
            "insert into file_problems (line, column_name, got, expected, parent_entity, parent_file, file)"
            f" select *, ? from ({' union all '.join(references)})",
            [file],
        )


def insert_typed(con: duckdb.DuckDBPyConnection, path: Path, entity: Entity, today: date, target: tuple) -> int:
    """A CSV file's rows typed straight from the file into the empty raw table, in one pass: no table of text and no
    batch in between. `target` is (table, load id). The rows inserted, as the insert counted them, each with 1 (-1 for
    a bad cell) as its line until `number_lines`; 0 when the file is not a CSV or not read whole (the table may then
    hold the lines read): the careful path reads it and says why."""
    table, load_id = target
    if path.suffix.lower() != ".csv":
        return 0
    try:
        # DuckDB's reader sets aside a line that is not UTF-8, which sends the file to the careful path: no need to
        # read the whole file for it here
        names = csv_columns(path, entity, whole=False)
    except FileRefused:
        return 0
    if any(name.startswith(UNNAMED) for name in names):  # columns without a name: the careful path drops them
        return 0
    sql, params = csv_rows(path, names, "typed")
    columns = ", ".join(f'"{c}"' for c in entity.column_names)
    # a row with a bad cell goes in with its line negated: `in_place_valid` finds it there
    with in_file_order(con):
        inserted = con.execute(
            f"""insert into {table} select {columns}, case when {bad_cell(entity, today)} then -1 else 1 end, ?
                from ({typed_rows(f"({sql})", names, entity, trim_all=False)})""",
            [load_id, *params],
        ).fetchall()[0][0]
    rejected = con.execute("select count(*) from typed_rejects").fetchall()[0][0]
    con.execute("drop table typed_rejects; drop table typed_scans")
    return 0 if rejected else inserted


def in_place_valid(con: duckdb.DuckDBPyConnection, entity: Entity, table: str, today: date) -> bool:
    """`validate`'s checks on rows just typed into `table` by `insert_typed`: True when none finds a problem."""
    # a bad cell, the usual fault, first and alone: the queries of an `or` all run (1.2 s on 12 M rows)
    if con.execute(f"select exists (select 1 from {table} where _source_line < 0)").fetchall()[0][0]:
        return False
    texts = ", ".join(f'"{c}"::varchar as "{c}__text"' for c in entity.column_names)  # rules may quote the text
    con.execute("drop table if exists batch")  # left by the careful path of an earlier file
    con.execute(f"create temp view batch as select *, _source_line as _line, {texts} from {table}")
    problems = [
        f"select 1 where ({keys_may_repeat(entity, table, today)})",
        *(rule.sql for rule in entity.rules),
        *(f"select 1 from {table} b where {orphan(ref)}" for ref in entity.references),
    ]
    found = con.execute("select " + " or ".join(f"exists ({query})" for query in problems)).fetchall()[0][0]
    con.execute("drop view batch")
    return not found
