"""The outcome of each procedure of a visit of several (手続ごとの結果), at the counter.

Shown only for a ticket of several procedures: one choice per procedure this counter serves
(完了, 書類不備・再来庁, J-LIS停止で後日), and the procedures the visit moves on for (the
city counter's, say), which F3 then transfers there by itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from app.core.catalog import Catalog
from app.model.ticket_states import OUTCOMES
from app.queue.routes import procedures_of, split_here, stops
from app.queue.tickets import OUTCOME_NAMES
from ui.widgets.i18n import Texts


class OutcomeBox(QGroupBox):
    """One outcome choice per procedure served here (see the module docstring).

    Args:
        catalog: the procedure catalog.
        texts: the language.
    """

    def __init__(self, catalog: Catalog, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(texts("outcomes_title"), parent)
        self._catalog, self._texts = catalog, texts
        self._form = QFormLayout(self)
        self.choices: dict[str, QComboBox] = {}
        self.moving_on = QLabel()
        self.moving_on.setWordWrap(True)
        self._ticket_id: str | None = None
        self.hide()

    def show_ticket(self, ticket: dict[str, Any] | None) -> None:
        """Shows the choices for a ticket (kept while the same ticket stays current)."""
        if ticket is not None and ticket["ticket_id"] == self._ticket_id:
            return
        self._ticket_id = None if ticket is None else ticket["ticket_id"]
        while self._form.rowCount():
            self._form.removeRow(0)
        self.choices = {}
        self.moving_on = QLabel()
        self.moving_on.setWordWrap(True)
        if ticket is None or len(procedures_of(ticket)) < 2:
            self.hide()
            return
        t, catalog = self._texts, self._catalog
        here, rest = split_here(catalog, ticket)
        for code in here:
            choice = QComboBox()
            for outcome in OUTCOMES:
                choice.addItem(t.msg(OUTCOME_NAMES[outcome]), outcome)
            proc = catalog.procedure(code)
            self._form.addRow(t.name("procedure", proc), choice)
            self.choices[code] = choice
        if rest:
            lane = stops(catalog, rest, ticket["applicant"])[0].lane
            names = "・".join(t.name("procedure", p) for p in map(catalog.procedure, rest))
            self.moving_on.setText(t("moving_on", lane=t.name("lane", lane),
                                     p=names))  # fmt: skip
            self._form.addRow(self.moving_on)
        self.show()

    def outcomes(self) -> dict[str, str] | None:
        """Returns the outcome chosen for each procedure, or None for a single procedure."""
        if not self.choices:
            return None
        return {code: str(choice.currentData()) for code, choice in self.choices.items()}
