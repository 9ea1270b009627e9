"""Text from the data is shown as plain text: Markdown, HTML and Streamlit directives in cohort names and item
text reach no page as markup (DOMAIN.md section 5)."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from pages.plain import markdown_safe
from tests.conftest import PAGES, load, open_page

COHORT = "![pixel](http://127.0.0.1:9/p.png) <a href='http://example.com'>T1</a> :red[alert] **bold**"
ITEM = '<a href="http://example.com">click</a> <b>now</b> $x^2$'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "files"
    from shutil import copytree

    from tests.conftest import TINY

    copytree(TINY, folder)
    cohorts = (folder / "cohorts.csv").read_text().replace("Test wave", f'"{COHORT}"')
    (folder / "cohorts.csv").write_text(cohorts)
    items = (folder / "survey_items.csv").read_text().replace("I know how colleagues use social media.", ITEM)
    (folder / "survey_items.csv").write_text(items)
    warehouse = folder.parent / "w.duckdb"
    load(folder, warehouse)
    return warehouse


def markdown(test: AppTest) -> list[str]:
    """Every text that Streamlit renders as Markdown on the page."""
    return [e.value for kind in ("caption", "markdown", "info", "warning", "error", "success") for e in test.get(kind)]


def charts(test: AppTest) -> list[str]:
    """Every chart's spec: plotly renders a subset of HTML in names, labels and hovers."""
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in test.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_data_text_reaches_no_page_as_markup(hostile, page, monkeypatch):
    monkeypatch.setenv("MENTORING_MIN_GROUP", "3")
    test = open_page(hostile, page, monkeypatch)
    for text in markdown(test):  # escaped characters (a backslash before them) are shown as typed
        assert "![pixel](" not in text and ":red[" not in text and "**bold**" not in text and "$x^2$" not in text
        assert not re.search(r"(?<!\\)<(a|b)\b", text), text
    for spec in charts(test):
        assert "<a href" not in spec and "<b>" not in spec


def test_a_cell_that_would_start_a_list_is_shown_as_typed():
    assert [markdown_safe(t) for t in ("-", "- x", "+", "1. x", "2) y", "x\n- y")] == [
        "\\-", "\\- x", "\\+", "1\\. x", "2\\) y", "x\n\\- y"
    ]  # fmt: skip
    assert [markdown_safe(t) for t in ("12", "3.5", "-5", "a - b")] == ["12", "3.5", "-5", "a - b"]


def test_a_web_address_in_a_name_is_not_made_a_link():
    # Markdown makes http://..., https://... and www.... links by themselves; an e-mail address stays one
    assert markdown_safe('=HYPERLINK("http://evil.example") www.x.com HTTPS://a') == (
        '=HYPERLINK("http\u2060://evil.example") www\u2060.x.com HTTPS\u2060://a'
    )
    assert markdown_safe("dana@example.com") == "dana@example.com"
