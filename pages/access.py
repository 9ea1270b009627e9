"""Sign-in and roles in the app: who the visitor is, the page guard, and the pages shown to those who see no data."""

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from warehouse import access

ALL_ROLES = frozenset(access.ROLES)


@dataclass(frozen=True)
class Visitor:
    roles: frozenset[str]
    local: bool  # no [auth] in secrets.toml: nobody signs in
    signed_in: bool = False
    email: str = ""
    problem: str = ""  # why this visitor sees no data, when that is not simply "not signed in"
    contact: str = access.RoleMapping().contact
    open_to: str = ""  # local mode on a network address, allowed by the explicit setting


def visitor() -> Visitor:
    """Read on every run, so a sign-out or an edit of the role mapping applies at once."""
    logged_in = st.user.get("is_logged_in")  # None when sign-in is not configured
    if logged_in is None:
        return local_visitor(st.get_option("server.address"))
    if not logged_in:
        return Visitor(frozenset(), local=False)
    email = str(st.user.get("email") or st.user.get("sub") or "")
    try:
        mapping = access.read_mapping(access.roles_file())
    except access.RolesFileError as error:
        return Visitor(frozenset(), False, True, email, problem=f"The role mapping can't be read: {error}")
    return Visitor(access.roles_for(st.user.to_dict(), mapping), False, True, email, contact=mapping.contact)


def local_visitor(address: str | None) -> Visitor:
    if access.is_loopback(address):
        return Visitor(ALL_ROLES, local=True)
    allowed = access.remote_without_sign_in_allowed()
    warn_once(address or "every network interface", allowed)
    if allowed:
        return Visitor(ALL_ROLES, local=True, open_to=address or "every network interface")
    return Visitor(
        frozenset(),
        local=True,
        problem=(
            f"This dashboard listens on {address or 'every network interface'} and sign-in is not configured, so "
            "it shows no data. Configure sign-in (README, Privacy and access), or run it on 127.0.0.1 "
            f"(server.address in .streamlit/config.toml), or set {access.ALLOW_REMOTE_VAR}=1 to show every page "
            "to anyone who can reach it."
        ),
    )


@st.cache_resource
def warn_once(where: str, allowed: bool) -> None:
    """The server's log says it once per address, not once per visitor."""
    outcome = "serving every page to anyone who can reach it" if allowed else "refusing to show data"
    print(f"WARNING: no sign-in is configured and the dashboard listens on {where}: {outcome}.", file=sys.stderr)


def require_page(file: str) -> None:
    """Each page's first line: navigation already leaves forbidden pages out; this refuses them if reached anyway."""
    if not access.may_open(visitor().roles, f"pages/{Path(file).name}"):
        st.error("This page is not available to you.")
        st.stop()


def page_link(where, page: str, **options) -> None:
    """A link to another page, shown only to those who may open it (st.page_link fails on a page not navigable)."""
    if access.may_open(visitor().roles, page):
        where.page_link(page, **options)


def gate_page(who: Visitor) -> st.Page:
    """The one page of a visitor who may see no data."""
    if who.problem and not who.signed_in:
        return st.Page(lambda: refused(who), title="Not served", url_path="not_served")
    if not who.signed_in:
        return st.Page(sign_in, title="Sign in", url_path="sign_in")
    return st.Page(lambda: no_access(who), title="No access", url_path="no_access")


def sign_in() -> None:
    st.title("Reverse mentoring outcomes")
    st.write("Sign in with your organisation's account to see the pages of your role.")
    if st.button("Sign in", type="primary"):
        st.login()


def no_access(who: Visitor) -> None:
    st.title("You have no access yet")
    st.text(who.problem or f"You are signed in as {who.email}, but no role is given to this address or its groups.")
    st.text(f"Ask {who.contact} to give you a role.")
    sign_out_button()


def refused(who: Visitor) -> None:
    st.title("No data is shown")
    st.error(who.problem)


def sign_out_button() -> None:
    if st.button("Sign out"):
        st.logout()


def account(who: Visitor) -> None:
    """In the sidebar: who is signed in with which roles, or the local-mode banner on the page."""
    if who.open_to:
        st.warning(
            f"No sign-in, and this dashboard listens on {who.open_to} ({access.ALLOW_REMOTE_VAR}=1): anyone who "
            "can reach it sees every page, names and notes included.",
            icon=":material/warning:",
        )
        return
    if who.local:
        st.info(
            "Local mode: sign-in is not configured, so this dashboard is for one person on this computer and shows "
            "every role's pages. To share it, configure sign-in (README, Privacy and access).",
            icon=":material/lock_open:",
        )
        return
    with st.sidebar:
        st.text(f"Signed in as {who.email} ({', '.join(sorted(who.roles))})")
        sign_out_button()
