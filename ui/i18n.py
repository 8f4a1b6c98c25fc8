"""Japanese-first texts of the windows, with English switchable at run time.

The domain already names everything in both languages (catalog, states, roles); the
window's own labels are here. Qt's standard dialogs use Qt's ``qtbase_ja`` translation.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("横須賀市マイナンバーカードセンター", "Yokosuka My Number Card Center"),
    "sign_in": ("サインイン", "Sign in"),
    "sign_out": ("サインアウト", "Sign out"),
    "staff_id": ("職員ID", "Staff ID"),
    "pin": ("暗証番号", "PIN"),
    "counter": ("窓口番号", "Counter"),
    "cancel": ("キャンセル", "Cancel"),
    "quit": ("終了", "Quit"),
    "file": ("ファイル", "File"),
    "view": ("表示", "View"),
    "language": ("English", "日本語"),
    "queue": ("本日の整理券", "Today's tickets"),
    "number": ("番号", "No."),
    "state": ("状態", "State"),
    "procedure": ("手続", "Procedure"),
    "applicant": ("区分", "Applicant"),
    "lane": ("列", "Lane"),
    "issued": ("発券", "Issued"),
    "waited": ("待ち時間", "Waited"),
    "waiting_count": ("待ち {n}人", "{n} waiting"),
    "issue": ("発券 (Enter)", "Issue (Enter)"),
    "issued_number": ("発券しました", "Ticket issued"),
    "call_next": ("次の方を呼ぶ (F1)", "Call next (F1)"),
    "start": ("対応開始 (F2)", "Start (F2)"),
    "done": ("完了 (F3)", "Done (F3)"),
    "noshow": ("不在 (F4)", "No-show (F4)"),
    "recall": ("再呼出し (F5)", "Recall (F5)"),
    "current": ("対応中の整理券", "Current ticket"),
    "nobody": ("お待ちの方はいません", "Nobody is waiting"),
    "now_calling": ("お呼び出し中", "Now calling"),
    "to_counter": ("{c}番窓口", "Counter {c}"),
    "open_today": ("本日開庁 {o}–{c}", "Open today {o}–{c}"),
    "closed_today": ("本日閉庁: {r}", "Closed today: {r}"),
    "node": ("端末", "PC"),
    "staff": ("職員", "Staff"),
    "minutes": ("{m}分", "{m} min"),
    "sync_status": ("同期 未送信 {w}件", "Sync: {w} waiting to go out"),
    "sync_none": ("共有フォルダ未設定（この端末のみ）", "No shared folder (this PC only)"),
    "offline_banner": ("⚠ オフライン: {m}", "⚠ Offline: {m}"),
}


class Texts:
    """The window's texts in the chosen language (one per window tree, not global).

    Args:
        lang: ``ja`` or ``en``.
    """

    def __init__(self, lang: str = "ja") -> None:
        self.lang = lang

    @property
    def index(self) -> int:
        """Returns 0 for Japanese, 1 for English (the order of every text pair)."""
        return 0 if self.lang == "ja" else 1

    def __call__(self, key: str, **values: object) -> str:
        """Returns a text by key, formatted with ``values``."""
        return TEXTS[key][self.index].format(**values)

    def pick(self, pair: tuple[str, str]) -> str:
        """Returns the right half of a (ja, en) pair from the domain."""
        return pair[self.index]


def install_qt_translation(app: QApplication, lang: str) -> QTranslator | None:
    """Loads Qt's own Japanese translation for standard dialogs and buttons."""
    if lang != "ja":
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", folder):
        app.installTranslator(translator)
        return translator
    return None
