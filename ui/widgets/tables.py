"""Table views as every window shows them: read-only, whole rows selected, the key at hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ui.widgets.table_model import KEY_ROLE, KeyedTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


class KeyedTableView(QTableView):
    """A table view that never moves a selection onto another row by itself.

    Qt selects the next row when the selected one is removed; at reception that would put
    another visitor's reservation under the floor manager's Enter key. Here the selection is
    cleared instead: what a person did not choose is never selected for them.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lost_selection = False

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            model.rowsRemoved.connect(self._after_removal)

    def rowsAboutToBeRemoved(self, parent: AnyIndex, start: int, end: int) -> None:
        selection = self.selectionModel()
        chosen = selection.selectedRows() if selection is not None else []
        self._lost_selection = any(start <= index.row() <= end for index in chosen)
        super().rowsAboutToBeRemoved(parent, start, end)

    def _after_removal(self) -> None:
        if self._lost_selection:
            self._lost_selection = False
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())


def table_view(model: KeyedTableModel, fit: Sequence[int] = ()) -> QTableView:
    """Returns a read-only, row-selecting view of a model.

    Args:
        model: the rows.
        fit: columns as wide as their contents (names); the others share the rest.
    """
    view = KeyedTableView()
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
    selection = view.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    return rows[0].data(KEY_ROLE) if rows else None


def select_key(view: QTableView, key: Any) -> bool:
    """Selects the row of a key; returns False if the key is not shown."""
    model = view.model()
    if not isinstance(model, KeyedTableModel):
        return False
    row = model.row_of(key)
    if row is None:
        return False
    view.selectRow(row)
    return True
