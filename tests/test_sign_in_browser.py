"""Sign-in end to end: a local OpenID Connect provider (oidc-provider-mock), a real Streamlit server configured with
[auth], and Debian's Chromium. Each role signs in and sees its pages, a forbidden address is refused, sign-out works."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import expect, sync_playwright

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, wait_until_healthy
from warehouse.access import ROLES_FILE_VAR
from warehouse.location import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
USERS = [  # sub (typed on the provider's page) and the claims it signs in with
    User(sub="ceo", claims={"email": "ceo@example.com"}),
    User(sub="coord", claims={"email": "pat@example.com", "groups": ["mentoring-coordinators"]}),
    User(sub="analyst", claims={"email": "ann@example.com", "groups": ["people-analytics"]}),
    User(sub="stranger", claims={"email": "stranger@example.com", "groups": ["sales"]}),
]
PAGES = {  # what each role's navigation lists, in order
    "ceo": ["Overview", "Learning phases", "Program ROI", "Pilot vs expansion"],
    "coord": ["Pair health", "Data", "Load data"],
    "analyst": ["Overview", "Learning phases", "Program ROI", "Survey outcomes", "Pilot vs expansion",
                "Social adoption"],
}  # fmt: skip
HOME = {"ceo": "Is the program working?", "coord": "Which pairs need a check-in?", "analyst": "Is the program working?"}
FORBIDDEN = {  # an address each role may not open, and that page's title
    "ceo": ("pair_health", "Which pairs need a check-in?"),
    "coord": ("roi", "What did the program cost, and what did it return?"),
    "analyst": ("data", "Where does this data come from?"),
}
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.fixture(scope="module")
def app(tiny_warehouse, tmp_path_factory):
    """A dashboard with sign-in: its secrets.toml and role mapping live in a temp folder, never in the repository."""
    folder = tmp_path_factory.mktemp("sign_in")
    provider_port, app_port = free_port(), free_port()
    with run_server_in_thread(port=provider_port, user_claims=USERS):
        (folder / "secrets.toml").write_text(
            f"""[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{"s" * 48}"
client_id = "dashboard"
client_secret = "not-a-secret"
server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"
"""
        )
        flags = {"server.headless": "true", "server.address": "127.0.0.1", "server.port": app_port,
                 "server.fileWatcherType": "none", "browser.gatherUsageStats": "false",
                 "secrets.files": folder / "secrets.toml"}  # fmt: skip
        command = [sys.executable, "-m", "streamlit", "run", "dashboard.py"]
        command += [part for name, value in flags.items() for part in (f"--{name}", str(value))]
        env = {**os.environ, ENV_VAR: str(tiny_warehouse), ROLES_FILE_VAR: str(ROOT / ".streamlit/roles.example.toml")}
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{app_port}"  # exactly the redirect_uri's host, or the sign-in cookie is lost
        try:
            wait_until_healthy(url)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_in(browser, url: str, sub: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(url)
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').fill(sub)  # the provider's page
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    page.wait_for_selector(READY, timeout=60_000)
    return page


def nav_titles(page, count: int) -> list[str]:
    """The menu's page titles, once it shows `count` links (the sidebar is drawn after the page's heading)."""
    links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(count, timeout=30_000)
    return [text.split("\n")[-1].strip() for text in links.all_inner_texts()]  # the title follows the icon's name


@pytest.mark.parametrize("sub", ["ceo", "coord", "analyst"])
def test_each_role_signs_in_sees_its_pages_is_refused_another_and_signs_out(app, browser, sub):
    page = sign_in(browser, app, sub)
    expect(page.get_by_role("heading", name=HOME[sub])).to_be_visible(timeout=60_000)
    assert nav_titles(page, len(PAGES[sub])) == PAGES[sub]

    address, title = FORBIDDEN[sub]
    page.goto(f"{app}/{address}")  # typed into the address bar
    page.wait_for_selector(READY, timeout=60_000)
    expect(page.get_by_text("Page not found")).to_be_visible()
    expect(page.get_by_role("heading", name=HOME[sub])).to_be_visible(timeout=60_000)  # the home page instead
    expect(page.get_by_role("heading", name=title)).to_have_count(0)
    page.keyboard.press("Escape")  # close the "Page not found" dialog
    expect(page.get_by_text("Page not found")).to_be_hidden()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's page
    page.wait_for_url(f"{app}/**")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
    page.goto(f"{app}/{PAGES[sub][0].lower().replace(' ', '_')}")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
    assert nav_titles(page, 0) == []
    page.context.close()


def test_a_user_without_a_role_sees_no_page_and_whom_to_ask(app, browser):
    page = sign_in(browser, app, "stranger")
    expect(page.get_by_role("heading", name="You have no access yet")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Ask the People Analytics team, analytics@example.com to give you a role.")).to_be_visible()
    assert nav_titles(page, 0) == []
    page.context.close()
