"""Japanese-first texts of the windows, with English switchable at run time.

The domain already names everything in both languages (catalog, states, roles); the
window's own labels are here. Qt's standard dialogs use Qt's ``qtbase_ja`` translation.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.core.errors import UserError

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("横須賀市マイナンバーカードセンター", "Yokosuka My Number Card Center"),
    "sign_in": ("サインイン", "Sign in"),
    "sign_out": ("サインアウト", "Sign out"),
    "leave_board": ("呼出表示を終了", "Close the board"),
    "close_counter": (
        "{n} を{state}です。このまま窓口を閉じるとお客様に対応する人がいなくなります。"
        "閉じますか（対応を終えるか回付・保留してから閉じてください）",
        "{n} is {state} at this counter. Closing now leaves the visitor without a clerk. "
        "Close anyway? (Finish, transfer or hold the visit first.)",
    ),
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
    "issued_number": ("発券結果", "Ticket"),
    "call_next": ("次の方を呼ぶ", "Call next"),
    "start": ("対応開始", "Start"),
    "done": ("完了", "Done"),
    "done_revisit": ("書類不備・再来庁", "Missing documents"),
    "done_deferred": ("J-LIS停止で後日", "J-LIS down: later"),
    "noshow": ("不在", "No-show"),
    "recall": ("再呼出し", "Recall"),
    "hold": ("保留", "Hold"),
    "resume": ("再開", "Resume"),
    "transfer": ("回付", "Transfer"),
    "check": ("ダブルチェック依頼", "Ask double check"),
    "fee": ("手数料（ソ）", "Fee"),
    "fee_none": ("なし", "None"),
    "fee_reissue": ("再交付", "Reissue"),
    "fee_express": ("特急", "Express"),
    "checks_waiting": ("ダブルチェック確認待ち（シ）", "Double checks waiting"),
    "choose_check": ("確認する整理券を一覧から選んでください", "Choose a ticket in the list"),
    "sign_check": ("選んだ整理券を確認済みにする", "Sign off selected"),
    "check_requested": (
        "{n} のダブルチェックを依頼しました（市職員の確認待ち）",
        "Double check of {n} asked for",
    ),
    "check_signed": ("{n} のダブルチェックを確認しました", "Double check of {n} signed off"),
    "reason": ("理由", "Reason"),
    "counter_tab": ("窓口 (呼出・対応)", "Counter"),
    "inquiry_tab": ("問い合わせ・質疑応答集", "Inquiries && Q&&A"),  # & marks a mnemonic in a tab
    "counter_setup": ("窓口の設定…", "Counter setup…"),
    "call_number": ("番号を呼ぶ", "Call this number"),
    "call_number_hint": (
        "番号（例 A-012）またはQRを読み取り（Ctrl+F）",
        "Number (e.g. A-012) or scan the QR (Ctrl+F)",
    ),
    "held_here": ("この窓口で保留中", "On hold at this counter"),
    "nothing_held": ("保留中の整理券はありません", "No ticket on hold"),
    "nobody_here": ("対応中の整理券はありません", "No ticket at this counter"),
    "other_day": (
        "この整理券は {d} のものです（本日の整理券ではありません）",
        "This ticket is of {d}, not of today",
    ),
    "transferred": (
        "✓ {n} を{lane}へ回付しました。お客様はお手元の番号 {n} のままお待ちください"
        "（呼出しも {n}。記録上の番号 {m}）",
        "✓ {n} transferred to {lane}. The visitor keeps number {n} and is called by it "
        "(recorded as {m}).",
    ),
    "transferred_from": (
        "回付されたお客様（お手元の番号 {n}・記録上 {m}）",
        "Transferred visitor (holds {n}, recorded as {m})",
    ),
    "waited_for": ("待ち時間 {m}分（{at} 発券）", "Waited {m} min (issued {at})"),
    "slot_of": ("予約 {s} の枠", "Reservation {s}"),
    "calls": ("呼出し {n}回目", "Called {n} times"),
    "lost_call": (
        "{n} は {c}番窓口が先に呼び出していました。この窓口では対応できません。次の方を呼んでください（F1）",
        "{n} had already been called by counter {c}. Please call the next visitor (F1).",
    ),
    "board_silent": (
        "呼出表示に届いていません。口頭でお呼びください（呼出表示の最終受信 {t}）",
        "Calls are not reaching the display board. Please call the number aloud "
        "(board last heard {t}).",
    ),
    "current": ("対応中の整理券", "Current ticket"),
    "nobody": ("お待ちの方はいません", "Nobody is waiting"),
    "now_calling": ("お呼び出し中", "Now calling"),
    "to_counter": ("{c}番窓口", "Counter {c}"),
    "open_today": ("本日開庁 {o}–{c}", "Open today {o}–{c}"),
    "closed_today": ("本日閉庁: {r}", "Closed today: {r}"),
    "node": ("端末", "PC"),
    "demo_clock": ("デモ時刻 {t}", "Demo time {t}"),
    "staff": ("職員", "Staff"),
    "minutes": ("{m}分", "{m} min"),
    "documents": ("持参書類の確認", "Documents brought"),
    "choose_procedure": ("手続を選んでください（1〜9・0）", "Choose the procedure (1–9, 0)"),
    "choose_applicant": (
        "受取者・申請者の区分を選んでください（Q/W/E）",
        "Choose the applicant type (Q/W/E)",
    ),
    "reservation_only": (
        "{p}は予約制です。Web予約をご案内ください（本日の残り予約枠 {n}）",
        "{p} needs a reservation: point the visitor to the web booking ({n} left today)",
    ),
    "reservation_mark": ("予約制", "reservation only"),
    "paused": ("停止中: {r}", "paused: {r}"),
    "turn_back": ("書類不備で案内 (F5)", "Missing documents (F5)"),
    "turned_back": ("書類不備のため整理券は発行していません", "No ticket: documents missing"),
    "reprint": ("再印刷 (F6)", "Reprint (F6)"),
    "ticket_language": ("整理券の言語 (F2)", "Ticket language (F2)"),
    "cancel_ticket": ("取消 (F8)", "Cancel (F8)"),
    "cancel_reason": ("整理券 {n} を取り消す理由", "Reason for cancelling {n}"),
    "cancelled": ("整理券 {n} を取り消しました", "Ticket {n} cancelled"),
    "soon": ("まもなくお呼びします", "You will be called soon"),
    "ahead": ("前に {n}人・待ち時間の目安 約{m}分", "{n} ahead · about {m} min"),
    "capacity_left": ("本日の残り予約枠 {n}", "Reservations left today: {n}"),
    "reprint_queue": ("再印刷待ち {n}枚（F6）", "{n} waiting to reprint (F6)"),
    "walk_in": ("当日受付・発券", "Walk-in"),
    "check_in": ("予約の受付 (Enter)", "Check in (Enter)"),
    "checkin_tab": ("予約の方の受付", "Reservations"),
    "scan_hint": ("予約番号をスキャン・入力", "Scan or type the booking number"),
    "name_hint": (
        "氏名（カナ・ひらがな・ローマ字）で検索",
        "Find the name (katakana, hiragana or romaji)",
    ),
    "not_found": ("本日の予約に「{q}」は見つかりません", "No booking today matches “{q}”"),
    "res_reservation": ("予約番号", "Booking"),
    "res_slot": ("予約枠", "Slot"),
    "res_name_kana": ("氏名カナ", "Name (kana)"),
    "res_applicant": ("区分", "Applicant"),
    "res_state": ("状態", "State"),
    "import_title": ("予約CSVの取込", "Import reservations"),
    "import_menu": ("予約CSVを取り込む…", "Import reservations…"),
    "importing": ("予約を取り込んでいます…", "Importing reservations…"),
    "import_done": (
        "取り込みました: 新規 {a}件・変更 {u}件・取消 {c}件・変更なし {s}件",
        "Imported: {a} new, {u} changed, {c} cancelled, {s} unchanged",
    ),
    "import_confirm_cancel": (
        "これらの予約を取り消して取り込みますか？",
        "Cancel these bookings and import the file?",
    ),
    "import_not_done": (
        "取り込みを取りやめました（何も取り込んでいません）",
        "Import stopped: nothing was imported",
    ),
    "import_refused": (
        "問題が {n}件あるため、何も取り込んでいません:",
        "{n} problems: nothing was imported:",
    ),
    "sync_status": ("同期 未送信 {w}件", "Sync: {w} waiting to go out"),
    "sync_none": ("共有フォルダ未設定（この端末のみ）", "No shared folder (this PC only)"),
    "internal_error": (
        "内部エラーが起きました（ログに記録しました）。このまま操作を続けられます",
        "An internal error happened (written to the log). You can carry on.",
    ),
    "offline_banner": ("⚠ オフライン: {m}", "⚠ Offline: {m}"),
    "banner_offline": (
        "共有フォルダに接続できません。この端末はそのまま使えます",
        "the shared folder cannot be reached. This PC works on; what it records goes out "
        "when the share is back.",
    ),
    "banner_write_failed": (
        "共有フォルダに書き込めません",
        "the shared folder cannot be written. This PC's records are safe here and go out "
        "once it can be written.",
    ),
    "banner_halted": (
        "この端末は記録を止めています",
        "this PC has stopped recording: its data folder was copied or restored, or another "
        "PC writes under its identity. Call IT (madoguchi identity).",
    ),
    "staff_role": ("{s}（{r}）", "{s} ({r})"),
    "pause_hint": ("J-LIS 障害", "J-LIS down"),
    "outcomes_title": ("手続ごとの結果（F3 で記録）", "Outcome of each procedure (F3)"),
    "moving_on": ("続けて {lane}: {p}（F3 で回付）", "Then {lane}: {p} (F3 transfers)"),
    "moved_on": (
        "✓ この窓口の手続を記録し、{lane}へ回付しました。お客様は番号 {n} のままお待ちください",
        "✓ Recorded here and transferred to the {lane}. The visitor keeps number {n}.",
    ),
    "expected_end": ("本日の受付終了見込み  {e}", "Today's reception expected to end  {e}"),
    "after_close": ("{t}（閉庁後）", "{t} (after closing)"),
    "no_counter": ("窓口なし", "no counter"),
    "cutoff_passed": ("受付終了（{t}）", "reception ended ({t})"),
    "ends_after_close": ("終了見込み {t}（閉庁後）", "expected end {t} (after closing)"),
    "multi": ("＋ 複数の手続 (+)", "+ Several procedures (+)"),
    "route_first": ("→ {lane}: {p}", "→ {lane}: {p}"),
    "route_then": (
        "→ 続けて {lane}: {p}（番号はそのまま、回付でご案内）",
        "→ then {lane}: {p} (same number, transferred)",
    ),
    "priority_none": ("優先なし (F3)", "No priority (F3)"),
    "priority_reason": ("優先: {r} (F3)", "Priority: {r} (F3)"),
    "priority_mark": ("優先（{r}）", "Priority ({r})"),
    "mode_period": ("運転モード {m}（{s}、{r}）: {d}", "Operating mode {m} ({s}, {r}): {d}"),
    "pause_counter": ("一時停止 (Ctrl+P)", "Pause (Ctrl+P)"),
    "resume_counter": ("窓口を再開 (Ctrl+P)", "Reopen (Ctrl+P)"),
    "pause_reason": ("一時停止の理由", "Reason for the pause"),
    "counter_paused": (
        "一時停止中: {r}（{t}〜）。再開するまで次の方は呼び出せません",
        "Paused: {r} (since {t}). Reopen the counter to call the next visitor.",
    ),
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

    def error(self, exc: UserError) -> str:
        """Returns a user error's message in this language (Japanese if it has no English)."""
        return exc.in_language(self.lang)


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
