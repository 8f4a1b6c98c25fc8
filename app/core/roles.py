"""The names of the staff roles and of the roles a PC is set up for.

Plain names only, so the command line can offer them as choices without loading the rest;
what each role may do is in :mod:`app.core.actor`.
"""

FLOOR_MANAGER = "floor_manager"
CLERK = "clerk"
CITY_STAFF = "city_staff"
SITE_MANAGER = "site_manager"
ADMIN = "admin"

ROLES: dict[str, tuple[str, str]] = {
    FLOOR_MANAGER: ("フロアマネージャー", "Floor manager"),
    CLERK: ("窓口担当（委託）", "Counter clerk (contractor)"),
    CITY_STAFF: ("市職員", "City staff"),
    SITE_MANAGER: ("現地管理者", "Site manager"),
    ADMIN: ("システム管理者", "System administrator"),
}

#: The role a PC is set up for (its window), with its names.
NODE_ROLES: dict[str, tuple[str, str]] = {
    "reception": ("受付", "Reception"),
    "counter": ("窓口", "Counter"),
    "display": ("呼出表示", "Display board"),
    "admin": ("管理", "Site manager"),
}
