"""A read-only table model of plain rows, shared by the site manager's tables.

Each row may carry a key (the closure's day, the staff id …) that the slots act on, and a
tone that colours it. Tones are colour-blind safe: they differ in lightness as well as hue,
and the texts they colour always say the same with a sign (⚠, ⛔, ▲).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

AnyIndex = QModelIndex | QPersistentModelIndex

#: tone → (background, text)
TONES: dict[str, tuple[str, str]] = {
    "red": ("#b00020", "#ffffff"),
    "amber": ("#e69f00", "#000000"),
    "blue": ("#cfe3f5", "#000000"),
    "grey": ("#e0e0e0", "#555555"),
}


class RowsModel(QAbstractTableModel):
    """Rows of cells under fixed headers; numbers are right-aligned.

    Args:
        headers: the column titles.
        parent: the Qt parent.
        right: columns right-aligned whatever their values (minutes written as text).
    """

    def __init__(
        self, headers: Sequence[str], parent: QObject | None = None, right: Sequence[int] = ()
    ) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._right = frozenset(right)
        self._rows: list[list[Any]] = []
        self._keys: list[Any] = []
        self._tones: list[str | None] = []

    def set_rows(
        self,
        rows: Sequence[Sequence[Any]],
        keys: Sequence[Any] | None = None,
        tones: Sequence[str | None] | None = None,
        headers: Sequence[str] | None = None,
    ) -> None:
        """Replaces every row (and the headers, if given).

        Args:
            rows: the cells, one list per row, as many as the headers.
            keys: what each row stands for (defaults to its first cell).
            tones: a tone of :data:`TONES` per row, or None.
            headers: new column titles (a table whose columns are the day's hours).
        """
        self.beginResetModel()
        if headers is not None:
            self._headers = list(headers)
        self._rows = [list(r) for r in rows]
        self._keys = list(keys) if keys is not None else [r[0] if r else None for r in rows]
        self._tones = list(tones) if tones is not None else [None] * len(self._rows)
        self.endResetModel()

    def key(self, row: int) -> Any:
        """Returns the key of a row."""
        return self._keys[row]

    def cell(self, row: int, column: int) -> Any:
        """Returns a cell's value as given."""
        return self._rows[row][column]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        tone = TONES.get(self._tones[index.row()] or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, float):
                return f"{value:.1f}"
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = isinstance(value, int | float) or index.column() in self._right
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and tone is not None:
            return QBrush(QColor(tone[0]))
        if role == Qt.ItemDataRole.ForegroundRole and tone is not None:
            return QBrush(QColor(tone[1]))
        if role == Qt.ItemDataRole.FontRole and self._tones[index.row()] in ("red", "amber"):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


def table_view(model: RowsModel, fit: Sequence[int] = ()) -> QTableView:
    """Returns a read-only, row-selecting view of a model.

    Args:
        model: the rows.
        fit: columns as wide as their contents (names); the others share the rest.
    """
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    for column in fit:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return view


def selected_key(view: QTableView) -> Any:
    """Returns the key of the selected row, or None."""
    model = view.model()
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows or not isinstance(model, RowsModel):
        return None
    return model.key(rows[0].row())
