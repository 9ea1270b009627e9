"""The data contract as Markdown, generated from etl/contract.py so the doc cannot drift."""

from etl.contract import ENTITIES, Column, Entity

KIND_WORDS = {
    "id": "text ID",
    "text": "text",
    "date": "date YYYY-MM-DD",
    "month": "month YYYY-MM",
    "int": "whole number",
    "number": "number (dot for decimals)",
    "bool": "true/false (also yes/no, 1/0)",
    "enum": "one of",
}


def column_row(column: Column) -> str:
    kind = KIND_WORDS[column.kind]
    if column.values:
        kind += " " + ", ".join(f"`{v}`" for v in column.values)
    if column.minimum is not None:
        kind += f", {column.minimum:g} to {column.maximum:g}"
    if column.past_only:
        kind += ", not after today"
    name = f"**{column.name}**" if column.required else column.name
    return f"| {name} | {kind} | {column.example} |"


def entity_section(entity: Entity) -> str:
    optional = " (optional file)" if entity.optional_file else ""
    refs = "".join(f"\n- `{r.column}` must exist in `{r.entity}`" for r in entity.references)
    header = ",".join(entity.column_names)
    example = ",".join(f'"{c.example}"' if "," in c.example else c.example for c in entity.columns)
    return "\n".join(
        [
            f"### `{entity.name}.csv` / `{entity.name}.xlsx`{optional}",
            "",
            f"{entity.doc} Natural key: {', '.join(f'`{k}`' for k in entity.key)}.{refs}",
            "",
            "| column | type | example |",
            "| --- | --- | --- |",
            *map(column_row, entity.columns),
            "",
            "```csv",
            header,
            example,
            "```",
        ]
    )


def contract_markdown() -> str:
    intro = (
        "# Data contract\n\n"
        "Generated from `etl/contract.py` by `python -m etl.contract_doc > docs/data-contract.md`"
        " (a test fails when they differ).\n"
        "One file per entity, named after it; CSV (UTF-8, comma) or XLSX (one sheet, or a sheet named after the"
        " entity). A header row is required; columns go by name in any order, in any letter case."
        " Required columns are in **bold**; other columns may be left out. Unknown columns are refused.\n"
    )
    return intro + "\n" + "\n\n".join(map(entity_section, ENTITIES)) + "\n"


if __name__ == "__main__":
    print(contract_markdown(), end="")
