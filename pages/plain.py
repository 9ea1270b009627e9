"""Text from the data (cohort names, item text, file names, notes) shown as plain text, never as Markdown or HTML."""

import html
import re

# what starts Markdown, HTML, LaTeX or Streamlit's :colour[...] directives (escaping "[" breaks those)
MARKDOWN = re.compile(r"([\\`*_\[\]<>#!|~${}])")
# what makes a web address a link by itself (Streamlit finds them in the text once escapes are read): a word joiner,
# which shows as nothing, goes before the ":" after its scheme or the "." after www (an e-mail address stays a link:
# Pair health's coordinators write to them)
AUTOLINK = re.compile(r"(?i)\b(https?|ftp)(?=:)|\b(www)(?=\.)")
WORD_JOINER = "\u2060"


# what starts a list at the start of a line: "- x", a lone "-" (a bullet in a table cell), "+", "1." or "1)"
LIST = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))(?=\s|$)", re.M)


def markdown_safe(text: str) -> str:
    """Backslash-escaped, so st.markdown, st.caption and st.info show the characters themselves."""
    escaped = AUTOLINK.sub(lambda m: m[0] + WORD_JOINER, MARKDOWN.sub(r"\\\1", str(text)))
    return LIST.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), escaped)


def plotly_safe(text: str) -> str:
    """As HTML entities: plotly draws <b>, <a href> and friends in labels, names and hovers."""
    return html.escape(str(text), quote=False)
