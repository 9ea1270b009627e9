"""The entry point on a machine without a warehouse: it builds the demo program first."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ENTRYPOINT
from warehouse.location import ENV_VAR


def test_builds_the_demo_warehouse_when_none_exists(tmp_path, monkeypatch):
    warehouse = tmp_path / "fresh" / "mentoring.duckdb"
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    app = AppTest.from_file(ENTRYPOINT, default_timeout=120).run()
    assert not app.exception
    assert warehouse.exists() and (warehouse.parent / "demo_data" / "sessions.csv").exists()
    assert [m.value for m in app.metric if m.label == "Pairs needing attention"] == ["8"]
