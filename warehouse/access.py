"""Who may open which page: roles, the admin's role mapping file, and when the app may run without sign-in.

No Streamlit here: pages/access.py applies these rules to the signed-in user.
"""

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("leadership", "coordinator", "analyst")
ROLES_FILE_VAR = "MENTORING_ROLES_FILE"
DEFAULT_ROLES_FILE = Path(__file__).resolve().parents[1] / ".streamlit" / "roles.toml"
ALLOW_REMOTE_VAR = "MENTORING_ALLOW_REMOTE_WITHOUT_SIGN_IN"

# every page and the roles that may open it; a page missing here is open to nobody
PAGE_ROLES = {
    "pages/overview.py": {"leadership", "analyst"},
    "pages/learning_phases.py": {"leadership", "analyst"},
    "pages/roi.py": {"leadership", "analyst"},
    "pages/pair_health.py": {"coordinator"},  # names, ratings, notes
    "pages/survey_outcomes.py": {"analyst"},
    "pages/cohort_comparison.py": {"leadership", "analyst"},  # "did the expansion keep the pilot's results?"
    "pages/social_adoption.py": {"analyst"},
    "pages/data.py": {"coordinator"},  # quarantined rows' problems quote the refused values
    "pages/load_data.py": {"coordinator"},
}


class RolesFileError(Exception):
    """The role mapping file can't be read: nobody gets a role until it is fixed."""


@dataclass(frozen=True)
class RoleMapping:
    emails: dict[str, frozenset[str]] = field(default_factory=dict)  # lower-cased email -> roles
    groups: dict[str, frozenset[str]] = field(default_factory=dict)  # group claim value -> roles
    groups_claim: str = "groups"
    contact: str = "the dashboard's administrator"  # whom people without a role should ask


def roles_file() -> Path:
    return Path(os.environ.get(ROLES_FILE_VAR) or DEFAULT_ROLES_FILE)


def _roles(value, where: str) -> frozenset[str]:
    chosen = [value] if isinstance(value, str) else value
    if not isinstance(chosen, list) or not chosen:
        raise RolesFileError(f"{where}: expected a role or a list of roles, got {value!r}")
    unknown = [r for r in chosen if r not in ROLES]
    if unknown:
        raise RolesFileError(f"{where}: unknown role {unknown[0]!r}; roles are {', '.join(ROLES)}")
    return frozenset(chosen)


def read_mapping(path: Path) -> RoleMapping:
    """The admin's mapping; a missing file maps nobody (everyone signed in sees "no access")."""
    if not path.exists():
        return RoleMapping()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RolesFileError(f"{path}: {error}") from error
    emails = {e.strip().lower(): _roles(r, f"{path} [emails] {e}") for e, r in data.get("emails", {}).items()}
    groups = {g: _roles(r, f"{path} [groups] {g}") for g, r in data.get("groups", {}).items()}
    defaults = RoleMapping()
    return RoleMapping(
        emails, groups, data.get("groups_claim", defaults.groups_claim), data.get("contact", defaults.contact)
    )


def roles_for(claims: Mapping, mapping: RoleMapping) -> frozenset[str]:
    """The roles of a signed-in user: those of their email plus those of each of their groups."""
    roles: set[str] = set()
    email = claims.get("email")
    # an address the provider says it has not verified could be anyone's
    if isinstance(email, str) and claims.get("email_verified", True) is not False:
        roles |= mapping.emails.get(email.strip().lower(), frozenset())
    groups = claims.get(mapping.groups_claim) or []
    for group in [groups] if isinstance(groups, str) else groups:
        roles |= mapping.groups.get(str(group), frozenset())
    return frozenset(roles)


def may_open(roles: frozenset[str] | set[str], page: str) -> bool:
    return bool(PAGE_ROLES.get(page, set()) & set(roles))


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.1, ::1 and localhost; an unset address means every interface."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def remote_without_sign_in_allowed() -> bool:
    return os.environ.get(ALLOW_REMOTE_VAR) == "1"
