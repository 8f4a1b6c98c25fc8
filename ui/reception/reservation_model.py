"""Table model of reservations for the check-in tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.core.catalog import Catalog
from ui.widgets.i18n import Texts

COLUMNS = ("reservation", "slot", "name_kana", "applicant", "state")
STATES = {
    "booked": ("予約", "Booked"),
    "checked_in": ("受付済", "Checked in"),
    "noshow": ("不在", "No-show"),
    "cancelled": ("取消", "Cancelled"),
}
Index = QModelIndex | QPersistentModelIndex


class ReservationModel(QAbstractTableModel):
    """Reservations shown for check-in (a search result or the coming slots).

    Args:
        catalog: for the applicant names.
        texts: the language.
    """

    def __init__(self, catalog: Catalog, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._texts = texts
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replaces the reservations shown."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def reservation_at(self, row: int) -> dict[str, Any]:
        """Returns the reservation in a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(COLUMNS):
            return self._texts(f"res_{COLUMNS[section]}")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if column == "reservation":
            return r["reservation_id"]
        if column == "slot":
            return r["slot"]
        if column == "name_kana":
            return r["name_kana"] or "—"
        if column == "applicant":
            app = self._catalog.applicants[r["applicant"]]
            return self._texts.pick((app.name_ja, app.name_en))
        return self._texts.pick(STATES.get(r["state"], (r["state"], r["state"])))
