"""The docs tell the truth: the contract doc matches the code, and CI runs the README's test command."""

from pathlib import Path

from etl.contract_doc import contract_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_contract_doc_is_generated_from_the_contract():
    assert (ROOT / "docs" / "data-contract.md").read_text() == contract_markdown()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make run" in readme
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
