"""Text from the data (cohort names, item text, file names, notes) shown as plain text, never as Markdown or HTML."""

import html
import re

# what starts Markdown, HTML, LaTeX or Streamlit's :colour[...] directives (escaping "[" breaks those)
MARKDOWN = re.compile(r"([\\`*_\[\]<>#!|~${}])")


def markdown_safe(text: str) -> str:
    """Backslash-escaped, so st.markdown, st.caption and st.info show the characters themselves."""
    return MARKDOWN.sub(r"\\\1", str(text))


def plotly_safe(text: str) -> str:
    """As HTML entities: plotly draws <b>, <a href> and friends in labels, names and hovers."""
    return html.escape(str(text), quote=False)
