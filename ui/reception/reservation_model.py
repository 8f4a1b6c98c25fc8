"""Table model of reservations for the check-in tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from app.core.catalog import Catalog
from app.core.i18n import Msg
from ui.widgets.i18n import Texts
from ui.widgets.table_model import KeyedTableModel, Row

COLUMNS = ("reservation", "slot", "name_kana", "applicant", "state")
COL_RESERVATION, COL_SLOT, COL_NAME, COL_APPLICANT, COL_STATE = range(5)
STATES: dict[str, Msg] = {
    "booked": Msg("reception", "Booked"),
    "checked_in": Msg("reception", "Checked in"),
    "noshow": Msg("reception", "No-show"),
    "cancelled": Msg("reception", "Cancelled"),
}


class ReservationModel(KeyedTableModel):
    """Reservations shown for check-in (a search result or the coming slots), keyed by their
    number, so a refresh keeps the row the floor manager selected.

    Args:
        catalog: for the applicant names.
        texts: the language.
    """

    COLUMNS = COLUMNS

    def __init__(self, catalog: Catalog, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._texts = texts
        self._reservations: dict[str, dict[str, Any]] = {}

    def header(self, column: int) -> str:
        return self._texts(f"res_{COLUMNS[column]}")

    def show(self, rows: list[dict[str, Any]]) -> None:
        """Shows these reservations, in this order."""
        self._reservations = {r["reservation_id"]: r for r in rows}
        self.set_rows([self._row(r) for r in rows])

    def reservation_at(self, row: int) -> dict[str, Any]:
        """Returns the reservation in a row."""
        return self._reservations[self.key(row)]

    def _row(self, r: dict[str, Any]) -> Row:
        applicant = self._catalog.applicants[r["applicant"]]
        cells = (r["reservation_id"], r["slot"], r["name_kana"] or "—",
                 self._texts.name("applicant", applicant),
                 self._texts.msg(STATES[r["state"]]) if r["state"] in STATES else r["state"])  # fmt: skip
        return Row(r["reservation_id"], cells)
