"""What every window shares: the program's start (launcher, Qt application, sign-in), the
main window that wires each role's panels to their services (the board's as a kiosk),
one program per data folder, the sync and LAN runners and the smoke check of a bundle.

Owns: the one place where a node is opened and its services are handed to the windows.
May import: ``app`` (it alone may start the CLI), the other ``ui`` packages.
"""
