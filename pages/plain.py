"""Text from the data (cohort names, item text, file names, notes) shown as plain text, never as Markdown or HTML."""

import html
import re

# what starts Markdown, HTML, LaTeX or Streamlit's :colour[...] directives (escaping "[" breaks those)
MARKDOWN = re.compile(r"([\\`*_\[\]<>#!|~${}])")


# what starts a list at the start of a line: "- x", a lone "-" (a bullet in a table cell), "+", "1." or "1)"
LIST = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))(?=\s|$)", re.M)


def markdown_safe(text: str) -> str:
    """Backslash-escaped, so st.markdown, st.caption and st.info show the characters themselves."""
    escaped = MARKDOWN.sub(r"\\\1", str(text))
    return LIST.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), escaped)


def plotly_safe(text: str) -> str:
    """As HTML entities: plotly draws <b>, <a href> and friends in labels, names and hovers."""
    return html.escape(str(text), quote=False)
