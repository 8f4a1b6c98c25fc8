"""The names of the staff roles and of the roles a PC is set up for.

Plain names only, so the command line can offer them as choices without loading the rest;
what each role may do is in :mod:`app.core.actor`. The names are English texts of the
gettext catalogs (contexts ``roles`` and ``pcs``), Japanese from ja's catalog.
"""

from app.core.i18n import Msg

FLOOR_MANAGER = "floor_manager"
CLERK = "clerk"
CITY_STAFF = "city_staff"
SITE_MANAGER = "site_manager"
ADMIN = "admin"

ROLES: dict[str, Msg] = {
    FLOOR_MANAGER: Msg("roles", "Floor manager"),
    CLERK: Msg("roles", "Counter clerk (contractor)"),
    CITY_STAFF: Msg("roles", "City staff"),
    SITE_MANAGER: Msg("roles", "Site manager"),
    ADMIN: Msg("roles", "System administrator"),
}

#: The role a PC is set up for (its window), with its names.
NODE_ROLES: dict[str, Msg] = {
    "reception": Msg("pcs", "Reception"),
    "counter": Msg("pcs", "Counter"),
    "display": Msg("pcs", "Display board"),
    "admin": Msg("pcs", "Site manager"),
}
