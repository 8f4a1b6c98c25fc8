"""The base of every table model: keyed rows updated in place, so a refresh keeps selections.

A table's model subclasses :class:`KeyedTableModel`, names its columns (``COL_*`` indexes
into ``COLUMNS``) and turns its domain rows into :class:`Row` values (a key, the cells as
shown, optional sort values and a tone). :meth:`KeyedTableModel.set_rows` compares the new
rows with the shown ones by key and tells the views only what changed: rows removed,
inserted or moved, cells changed (``dataChanged``). A view's selection and current row
follow their row through all of it, so a sync round or another PC's commit never clears
what a person has selected (Vorta's archive table model works the same way).

Tones colour a row and are colour-blind safe: they differ in lightness as well as hue, and
the texts they colour always say the same with a sign (⚠, ⛔, ▲).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

AnyIndex = QModelIndex | QPersistentModelIndex

#: tone → (background, text)
TONES: dict[str, tuple[str, str]] = {
    "red": ("#b00020", "#ffffff"),
    "amber": ("#e69f00", "#000000"),
    "blue": ("#cfe3f5", "#000000"),
    "grey": ("#e0e0e0", "#555555"),
    # Light tints of the live queue's active states (Okabe–Ito, lightened).
    "called": ("#fde6b3", "#000000"),
    "serving": ("#cfe8f7", "#000000"),
    "held": ("#e8d5e8", "#000000"),
}
#: Tones whose rows are also bold (alerts).
_BOLD = frozenset({"red", "amber"})

#: The value a column sorts by (numbers as numbers, times as epoch ms), for a proxy model.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row's key (a ticket id, a staff id, a day …).
KEY_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Row:
    """One row of a table.

    Attributes:
        key: what the row stands for; unique in the table.
        cells: the values shown, one per column (numbers are right-aligned).
        sort: the values sorted by, one per column (default: the cells).
        tone: a tone of :data:`TONES`, or None.
    """

    key: Hashable
    cells: tuple[Any, ...]
    sort: tuple[Any, ...] | None = None
    tone: str | None = None


class KeyedTableModel(QAbstractTableModel):
    """Rows under fixed headers, updated in place by key (see the module docstring).

    Subclasses set ``COLUMNS`` (and ``RIGHT`` for columns right-aligned whatever their
    values) and implement :meth:`header`.

    Args:
        parent: the Qt parent.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    RIGHT: ClassVar[frozenset[int]] = frozenset()
    CENTRE: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._keys: list[Hashable] = []

    # -- for subclasses ---------------------------------------------------------------------

    def header(self, column: int) -> str:
        """Returns the title of a column."""
        return self.COLUMNS[column]

    def column_count(self) -> int:
        """Returns how many columns the table has (fixed unless a subclass says otherwise)."""
        return len(self.COLUMNS)

    # -- rows -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Shows these rows, telling the views only what changed.

        Raises:
            ValueError: two rows have the same key (a bug of the caller).
        """
        new_keys = [r.key for r in rows]
        if len(set(new_keys)) != len(new_keys):
            raise ValueError("a table's rows need unique keys")
        wanted = set(new_keys)
        end = len(self._keys) - 1
        while end >= 0:  # remove, from the bottom, each run of rows no longer there
            if self._keys[end] in wanted:
                end -= 1
                continue
            start = end
            while start > 0 and self._keys[start - 1] not in wanted:
                start -= 1
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._rows[start : end + 1]
            del self._keys[start : end + 1]
            self.endRemoveRows()
            end = start - 1
        last_column = max(0, self.column_count() - 1)
        for target, row in enumerate(rows):
            if target < len(self._keys) and self._keys[target] == row.key:
                pass
            elif row.key in self._keys[target:]:
                source = self._keys.index(row.key, target)
                self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), target)
                self._keys.insert(target, self._keys.pop(source))
                self._rows.insert(target, self._rows.pop(source))
                self.endMoveRows()
            else:
                self.beginInsertRows(QModelIndex(), target, target)
                self._keys.insert(target, row.key)
                self._rows.insert(target, row)
                self.endInsertRows()
                continue
            if self._rows[target] != row:
                self._rows[target] = row
                self.dataChanged.emit(self.index(target, 0), self.index(target, last_column))

    def clear(self) -> None:
        """Shows no rows."""
        self.set_rows([])

    def key(self, row: int) -> Any:
        """Returns the key of a row."""
        return self._keys[row]

    def cell(self, row: int, column: int) -> Any:
        """Returns a cell's value as given (before it is turned into text)."""
        return self._rows[row].cells[column]

    def sort_value(self, row: int, column: int) -> Any:
        """Returns the value a cell sorts by (its cell when the row gives none)."""
        values = self._rows[row].sort
        return self._rows[row].cells[column] if values is None else values[column]

    def row_of(self, key: Hashable) -> int | None:
        """Returns the row of a key, or None if it is not shown."""
        try:
            return self._keys.index(key)
        except ValueError:
            return None

    # -- Qt ---------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_count()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if not 0 <= index.column() < len(row.cells):
            return None
        value = row.cells[index.column()]
        tone = TONES.get(row.tone or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, float):
                return f"{value:.1f}"
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and len(value) > 12:
            return value  # a long text cut off in its column is read whole on hover
        if role == SORT_ROLE:
            return value if row.sort is None else row.sort[index.column()]
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() in self.CENTRE:
                return int(Qt.AlignmentFlag.AlignCenter)
            numeric = isinstance(value, int | float) or index.column() in self.RIGHT
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and tone is not None:
            return QBrush(QColor(tone[0]))
        if role == Qt.ItemDataRole.ForegroundRole and tone is not None:
            return QBrush(QColor(tone[1]))
        if role == Qt.ItemDataRole.FontRole and row.tone in _BOLD:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.column_count():
            return self.header(section)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None
