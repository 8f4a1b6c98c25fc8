"""The keyed table model: rows change in place, so views keep what a person selected."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ui.widgets.table_model import KEY_ROLE, SORT_ROLE, KeyedTableModel, Row
from ui.widgets.tables import select_key, selected_key, table_view


class Letters(KeyedTableModel):
    COLUMNS = ("letter", "count")
    COL_LETTER, COL_COUNT = range(2)


def rows(*pairs: tuple[str, int]) -> list[Row]:
    return [Row(k, (k.upper(), n), (k, -n)) for k, n in pairs]


class Spy(QObject):
    """Counts what the model told its views."""

    def __init__(self, model: KeyedTableModel) -> None:
        super().__init__()
        self.seen: list[tuple[str, Any]] = []
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(("insert", (a, b))))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(("remove", (a, b))))
        model.rowsMoved.connect(lambda _p, a, b, _d, c: self.seen.append(("move", (a, c))))
        model.dataChanged.connect(lambda tl, br: self.seen.append(("changed", tl.row())))
        model.modelReset.connect(lambda: self.seen.append(("reset", None)))


def test_only_what_changed_is_told(qtbot: QtBot) -> None:
    model = Letters()
    ModelTester(qtbot).check(model, force_py=True)
    model.set_rows(rows(("a", 1), ("b", 2), ("c", 3)))
    spy = Spy(model)
    model.set_rows(rows(("a", 1), ("b", 5), ("c", 3)))
    assert spy.seen == [("changed", 1)]
    spy.seen.clear()
    model.set_rows(rows(("c", 3), ("a", 1), ("b", 5)))
    assert spy.seen == [("move", (2, 0))]
    spy.seen.clear()
    model.set_rows(rows(("c", 3), ("d", 4), ("b", 5)))
    assert spy.seen == [("remove", (1, 1)), ("insert", (1, 1))]
    assert [model.key(i) for i in range(3)] == ["c", "d", "b"]
    assert ("reset", None) not in spy.seen


def test_roles_give_the_key_and_the_sort_value(qtbot: QtBot) -> None:
    model = Letters()
    model.set_rows(rows(("a", 7)))
    index = model.index(0, Letters.COL_COUNT)
    assert index.data() == "7" and index.data(SORT_ROLE) == -7 and index.data(KEY_ROLE) == "a"
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.headerData(0, Qt.Orientation.Horizontal) == "letter"
    assert model.row_of("a") == 0 and model.row_of("zz") is None


def test_a_duplicate_key_is_refused(qtbot: QtBot) -> None:
    model = Letters()
    try:
        model.set_rows(rows(("a", 1), ("a", 2)))
    except ValueError as exc:
        assert "unique" in str(exc)
    else:
        raise AssertionError("duplicate keys were accepted")


def test_the_selection_follows_its_row_through_every_kind_of_change(qtbot: QtBot) -> None:
    model = Letters()
    view: QTableView = table_view(model)
    qtbot.addWidget(view)
    model.set_rows(rows(("a", 1), ("b", 2), ("c", 3)))
    assert select_key(view, "b") and selected_key(view) == "b"
    model.set_rows(rows(("x", 0), ("a", 1), ("b", 9), ("c", 3)))  # inserted above, changed
    assert selected_key(view) == "b"
    model.set_rows(rows(("b", 9), ("c", 3)))  # rows above removed, then moved to the top
    assert selected_key(view) == "b" and view.currentIndex().row() == 0
    model.set_rows(rows(("c", 3)))  # the selected row itself goes away
    assert selected_key(view) is None


# A fresh model and tester per example; qtbot only gives them their Qt application.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8), max_size=8),
       st.integers(0, 3))  # fmt: skip
def test_any_sequence_of_updates_keeps_the_model_sound(
    qtbot: QtBot, orders: list[list[str]], salt: int
) -> None:
    model = Letters()
    tester = ModelTester(qtbot)
    tester.check(model, force_py=True)
    for n, order in enumerate(orders):
        wanted = rows(*((k, (ord(k) * (n + salt)) % 3) for k in order))
        model.set_rows(wanted)
        assert [model.key(i) for i in range(model.rowCount())] == order
        assert all(model.cell(i, 1) == wanted[i].cells[1] for i in range(len(order)))
        assert model.rowCount(QModelIndex()) == len(order)
