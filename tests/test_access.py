"""Roles and sign-in under AppTest: each role's navigation holds only its pages, a page refuses a role it doesn't
serve even when run directly, signed-out and unmapped users see no data, and local mode is only for 127.0.0.1."""

import tomllib
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from warehouse.access import ALLOW_REMOTE_VAR, ROLES_FILE_VAR, RoleMapping, RolesFileError, read_mapping, roles_for
from warehouse.location import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / ".streamlit" / "roles.example.toml"
ALL_PAGES = ["overview", "learning_phases", "roi", "pair_health", "survey_outcomes", "cohort_comparison",
             "social_adoption", "data", "load_data"]  # fmt: skip
VISIBLE = {
    "leadership": {"overview", "learning_phases", "roi", "cohort_comparison"},
    "coordinator": {"pair_health", "data", "load_data"},
    "analyst": {"overview", "learning_phases", "roi", "survey_outcomes", "cohort_comparison", "social_adoption"},
}
USERS = {  # by email, and by group, in roles.example.toml
    "leadership": {"email": "ceo@example.com"},
    "coordinator": {"email": "someone@example.com", "groups": ["mentoring-coordinators"]},
    "analyst": {"email": "someone@example.com", "groups": ["people-analytics"]},
}
HOME = {"leadership": "Is the program working?", "coordinator": "Which pairs need a check-in?",
        "analyst": "Is the program working?"}  # fmt: skip


@pytest.fixture
def app(tiny_warehouse, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tiny_warehouse))
    monkeypatch.setenv(ROLES_FILE_VAR, str(EXAMPLE))
    st.cache_resource.clear()  # the once-per-address warning, and no read-only connection left open

    def open_app(user: dict, entrypoint: str = "dashboard.py", address: str = "127.0.0.1") -> AppTest:
        test = AppTest.from_file(str(ROOT / entrypoint), default_timeout=60)
        test.user = user
        bound = config.get_option("server.address")
        config.set_option("server.address", address)  # as --server.address would
        try:
            test.run()
        finally:
            config.set_option("server.address", bound)
        assert not test.exception, test.exception
        return test

    return open_app


def test_the_example_mapping_gives_roles_by_email_and_by_group():
    mapping = read_mapping(EXAMPLE)
    assert roles_for({"email": "CEO@Example.com"}, mapping) == {"leadership"}
    assert roles_for({"email": "lead.analyst@example.com"}, mapping) == {"analyst", "coordinator"}
    assert roles_for({"email": "x@example.com", "groups": ["people-analytics", "other"]}, mapping) == {"analyst"}
    assert roles_for({"email": "x@example.com", "groups": "mentoring-coordinators"}, mapping) == {"coordinator"}
    assert roles_for({"email": "x@example.com"}, mapping) == set()
    assert mapping.contact == "the People Analytics team, analytics@example.com"


def test_an_email_the_provider_has_not_verified_gives_no_role():
    mapping = read_mapping(EXAMPLE)
    assert roles_for({"email": "ceo@example.com", "email_verified": False}, mapping) == set()
    assert roles_for({"email": "ceo@example.com", "email_verified": True}, mapping) == {"leadership"}


def test_a_missing_mapping_maps_nobody_and_a_wrong_role_is_refused(tmp_path):
    assert read_mapping(tmp_path / "absent.toml") == RoleMapping()
    wrong = tmp_path / "roles.toml"
    wrong.write_text('[emails]\n"a@example.com" = ["admin"]\n')
    with pytest.raises(RolesFileError, match=r"\[emails\] a@example.com: unknown role 'admin'; roles are leadership"):
        read_mapping(wrong)


def test_the_server_listens_only_on_this_computer_by_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"


@pytest.mark.parametrize("role", ["leadership", "coordinator", "analyst"])
def test_each_role_opens_its_pages_and_no_other_is_routable(app, role):
    test = app({"is_logged_in": True, **USERS[role]})
    assert test.title[0].value == HOME[role]
    assert test.sidebar.text[0].value == f"Signed in as {USERS[role]['email']} ({role})"
    for page in set(ALL_PAGES) - VISIBLE[role]:  # navigation as built for this user
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            test.switch_page(f"pages/{page}.py")
    for page in VISIBLE[role]:
        test.switch_page(f"pages/{page}.py").run()
        assert not test.exception and not test.error and test.title, (page, test.exception)


def test_a_page_run_by_its_address_refuses_a_role_it_does_not_serve(app):
    # the way a page runs when its address is the server's first request, before any navigation exists
    test = app({"is_logged_in": True, **USERS["leadership"]}, entrypoint="pages/pair_health.py")
    assert [e.value for e in test.error] == ["This page is not available to you."]
    assert not test.title and not test.dataframe


def test_signed_out_visitors_see_only_the_sign_in_page(app):
    test = app({"is_logged_in": False})
    assert [t.value for t in test.title] == ["Reverse mentoring outcomes"]
    assert [b.label for b in test.button] == ["Sign in"]
    assert not test.sidebar.multiselect and not test.dataframe and not test.metric
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        test.switch_page("pages/overview.py")


def test_a_user_without_a_role_is_told_whom_to_ask_and_can_sign_out(app):
    test = app({"is_logged_in": True, "email": "stranger@example.com", "groups": ["sales"]})
    assert [t.value for t in test.title] == ["You have no access yet"]
    assert [t.value for t in test.text] == [
        "You are signed in as stranger@example.com, but no role is given to this address or its groups.",
        "Ask the People Analytics team, analytics@example.com to give you a role.",
    ]
    assert not test.sidebar.multiselect and not test.metric
    test.button[0].click().run()
    assert test.user == {"is_logged_in": False}
    assert [t.value for t in test.run().title] == ["Reverse mentoring outcomes"]  # the sign-in page


def test_local_mode_shows_every_page_with_a_banner(app):
    test = app({})  # no [auth] in secrets.toml: st.user has no is_logged_in
    assert test.info[0].value.startswith("Local mode: sign-in is not configured, so this dashboard is for one person")
    assert not test.sidebar.button  # nobody to sign out
    for page in ALL_PAGES:
        test.switch_page(f"pages/{page}.py").run()
        assert not test.exception and not test.error, page


def test_local_mode_on_a_network_address_refuses_data_and_warns(app, capsys):
    test = app({}, address="0.0.0.0")
    assert [t.value for t in test.title] == ["No data is shown"]
    assert test.error[0].value.startswith(
        "This dashboard listens on 0.0.0.0 and sign-in is not configured, so it shows no data."
    )
    assert not test.sidebar.multiselect and not test.metric
    assert "WARNING: no sign-in is configured and the dashboard listens on 0.0.0.0: refusing to show data." in (
        capsys.readouterr().err
    )


def test_the_explicit_setting_serves_a_network_address_without_sign_in_with_a_warning(app, monkeypatch, capsys):
    monkeypatch.setenv(ALLOW_REMOTE_VAR, "1")
    test = app({}, address="0.0.0.0")
    assert test.title[0].value == "Is the program working?"
    assert test.warning[0].value.startswith(
        "No sign-in, and this dashboard listens on 0.0.0.0 (MENTORING_ALLOW_REMOTE_WITHOUT_SIGN_IN=1): anyone"
    )
    assert "listens on 0.0.0.0: serving every page to anyone who can reach it." in capsys.readouterr().err


def test_a_broken_mapping_gives_nobody_a_role_and_says_why(app, tmp_path, monkeypatch):
    broken = tmp_path / "roles.toml"
    broken.write_text('[emails]\n"ceo@example.com" = "ceo"\n')
    monkeypatch.setenv(ROLES_FILE_VAR, str(broken))
    test = app({"is_logged_in": True, **USERS["leadership"]})
    assert [t.value for t in test.title] == ["You have no access yet"]
    assert test.text[0].value == (
        f"The role mapping can't be read: {broken} [emails] ceo@example.com: unknown role 'ceo'; "
        "roles are leadership, coordinator, analyst"
    )
