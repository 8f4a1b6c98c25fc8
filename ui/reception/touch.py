"""Touch sizes of the reception desk: every control a finger can hit, 44 px at least."""

from __future__ import annotations

#: The smallest side of anything touched at reception (pixels), as touch guidelines ask.
TOUCH_PX = 44

#: Applied to the reception panels; it reaches their dialogs too (questions, reasons).
TOUCH_STYLE = f"""
QPushButton {{ min-height: {TOUCH_PX}px; min-width: {2 * TOUCH_PX}px; font-size: 16px; }}
QLineEdit {{ min-height: {TOUCH_PX}px; }}
QCheckBox {{ min-height: {TOUCH_PX}px; }}
QCheckBox::indicator {{ width: 28px; height: 28px; }}
QComboBox {{ min-height: {TOUCH_PX}px; }}
"""
