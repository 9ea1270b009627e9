"""The two commands install anywhere: a fresh clone's `make test` (what .ci/run runs) and `make run` go through the
project's .venv, and `PORT=... make run` serves the dashboard on that port."""

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_browser import free_port
from warehouse.location import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clone(tmp_path) -> Path:
    """The committed repository as a new user gets it."""
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    return target


def test_ci_on_a_fresh_clone_installs_into_and_tests_from_the_project_venv(clone):
    assert (clone / ".ci" / "run").read_text().strip().endswith("make test")
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "test"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout  # run from `make test` itself (as in CI), a nested make would announce its directory first
    assert plan.splitlines()[0] == "python3 -m venv .venv"
    assert ".venv/bin/python -m pip install -q -r requirements.txt" in plan
    assert plan.splitlines()[-1] == ".venv/bin/python -m pytest"


def test_make_run_serves_from_the_venv_on_the_chosen_port(clone, demo_warehouse, tmp_path):
    # A .venv that sees this environment's packages instead of downloading them again (the install step itself is
    # in the plan above), marked installed after requirements.txt so make goes straight to the server
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(clone / ".venv")], check=True)
    [site] = (clone / ".venv" / "lib").glob("python3*/site-packages")
    (site / "shared.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (clone / ".venv" / "installed").touch()
    warehouse = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse, warehouse)
    port = free_port()
    make = subprocess.Popen(
        ["make", "run"], cwd=clone, env={**os.environ, "PORT": str(port), ENV_VAR: str(warehouse)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        assert answers(f"http://127.0.0.1:{port}/_stcore/health")
        [server] = [p for p in Path("/proc").glob("[0-9]*") if f"--server.port\0{port}" in cmdline(p)]
        assert cmdline(server).split("\0")[:4] == [".venv/bin/python", "-m", "streamlit", "run"]
        assert Path(os.readlink(server / "cwd")) == clone
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(timeout=20)


def answers(url: str) -> bool:
    for _ in range(120):
        try:
            return urllib.request.urlopen(url, timeout=1).read() == b"ok"
        except OSError:
            time.sleep(0.5)
    return False


def cmdline(process: Path) -> str:
    try:
        return (process / "cmdline").read_text()
    except OSError:  # a process that ended meanwhile
        return ""
