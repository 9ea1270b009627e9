"""Files uploaded on the Load data page, written to a working folder under their own names, within a size limit."""

from pathlib import Path

MAX_MB = 50  # per file, in millions of bytes as the page's uploader counts them (it refuses bigger files first)
TYPES = ["csv", "xlsx", "tsv", "toml"]


def save_uploads(files: list[tuple[str, bytes]], folder: Path) -> list[str]:
    """Write each file into `folder`; the reasons it refuses the whole upload (nothing is written then)."""
    refusals = []
    names = [Path(name).name for name, _ in files]  # a name is never a path out of the folder
    for name, data in zip(names, (data for _, data in files), strict=True):
        if len(data) > MAX_MB * 1_000_000:
            refusals.append(
                f"{name}: {len(data):,} bytes, over the {MAX_MB} MB ({MAX_MB * 1_000_000:,} bytes) limit per file"
            )
        if Path(name).suffix.lower().lstrip(".") not in TYPES:
            refusals.append(f"{name}: not a CSV, XLSX, TSV or mapping.toml file")
    for name in sorted({n.lower() for n in names if [m.lower() for m in names].count(n.lower()) > 1}):
        refusals.append(f"{name}: two files of this name; if both are needed (two meetings' reports), rename one")
    if refusals:
        return refusals
    for name, (_, data) in zip(names, files, strict=True):
        (folder / name).write_bytes(data)
    return []
