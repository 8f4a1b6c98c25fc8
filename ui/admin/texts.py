"""Texts of the site manager's window, as (ja, en) pairs read through :meth:`Texts.pick`.

They live here rather than in :mod:`ui.widgets.i18n` so the admin screens can grow on their own.
"""

from __future__ import annotations

from ui.widgets.i18n import Texts

ADMIN_TEXTS: dict[str, tuple[str, str]] = {
    # tabs
    "tab_live": ("現況", "Live"),
    "tab_staffing": ("人員配置", "Staffing"),
    "tab_closures": ("開庁日", "Closures"),
    "tab_pauses": ("受付停止", "Pauses"),
    "tab_modes": ("運転モード", "Operating mode"),
    "modes_title": ("運転モードの期間（本日から）", "Operating mode periods (from today)"),
    "col_span": ("時間", "Time"),
    "col_mode": ("運転モード", "Mode"),
    "col_detail": ("内容", "What it does"),
    "mode_from": ("開始", "From"),
    "mode_until": ("終了時刻", "Until"),
    "mode_now": ("今から", "Now"),
    "mode_day": ("日付", "Day"),
    "mode_procedures": ("受け付ける手続（縮小運転）", "Procedures taken (reduced)"),
    "mode_lanes": ("開ける列（縮小運転）", "Lanes open (reduced)"),
    "mode_close": ("受付終了を早める", "Close reception at"),
    "mode_reason_hint": (
        "計画運休、J-LIS 障害、停電 など",
        "Planned train suspension, J-LIS down …",
    ),
    "mode_start": ("この運転モードにする", "Start this mode"),
    "mode_end": ("選んだ期間を今終える", "End the selected period now"),
    "mode_normal": ("通常に戻す", "Back to normal"),
    "mode_started": ("✓ {m}を設定しました", "✓ {m} set"),
    "mode_ended": ("✓ 期間を終えました", "✓ Period ended"),
    "mode_normal_done": ("✓ 通常に戻しました", "✓ Back to normal"),
    "modes_note": (
        "縮小運転: 選んだ手続・列だけ当日受付（選ばなければすべて）、受付終了を早められます。"
        "J-LIS停止: J-LIS を要する手続の当日受付を停止します。どちらも予約の方は受け付けます。"
        "臨時閉庁: その時間は整理券を発行しません（終日の臨時閉庁は「開庁日」タブで）。"
        "受付・呼出表示・整理券に表示され、作業日報に期間が載ります",
        "Reduced: walk-ins only for the procedures and lanes ticked (all if none), reception "
        "may close early. J-LIS down: procedures needing J-LIS take no walk-ins. Both still "
        "receive booked visitors. Temporarily closed: no tickets in that time (a whole day: "
        "the Closures tab). Shown at reception, on the board and the ticket; the daily report "
        "lists the periods",
    ),
    "tab_staff": ("職員", "Staff"),
    "tab_reports": ("報告書", "Reports"),
    # live
    "lanes_title": ("列ごとの待ち状況", "Waiting per lane"),
    "col_lane": ("列", "Lane"),
    "col_waiting": ("待ち人数", "Waiting"),
    "col_longest": ("最長待ち（現在）", "Longest wait now"),
    "col_mean": ("平均待ち（本日）", "Mean wait today"),
    "col_served": ("呼出済（本日）", "Called today"),
    "col_open": ("開いている窓口", "Counters open"),
    "counters_title": ("サインイン中の職員（窓口）", "Staff signed in"),
    "col_counter": ("窓口", "Counter"),
    "col_staff_id": ("職員ID", "Staff ID"),
    "col_name": ("氏名", "Name"),
    "col_role": ("役割", "Role"),
    "col_since": ("サインイン", "Since"),
    "paths_title": ("端末と通信経路", "PCs and how they are reached"),
    "col_pc": ("端末", "PC"),
    "col_share_path": ("共有フォルダ経由", "Via the shared folder"),
    "col_lan_path": ("LAN経由", "Via the LAN"),
    "col_own_share": ("その端末から共有フォルダ", "Its own shared folder"),
    "path_ok": ("○ {t}", "yes {t}"),
    "path_down": ("× {t}", "no {t}"),
    "path_yes": ("○", "yes"),
    "path_no": ("×", "no"),
    "path_unknown": ("—", "—"),
    "share_ok": ("○", "reachable"),
    "share_offline": ("× 接続できない", "unreachable"),
    "share_write_failed": ("× 書き込めない", "cannot write"),
    "share_halted": ("停止中", "halted"),
    "share_none": ("—", "—"),
    "paths_note": (
        "LAN経由・共有フォルダ経由: この端末からその端末に届くかどうか。呼出しは両方の経路で"
        "送られるので、どちらかが○ならつながっています。両方×の端末は止まっているか、"
        "ネットワークから切れています",
        "Via the LAN, via the shared folder: whether this PC reaches that one. Calls go both "
        "ways, so one path is enough; a PC with neither is off or cut off from the network.",
    ),
    "col_counter_state": ("窓口の状態", "Counter state"),
    "counter_open": ("対応可", "Open"),
    "counter_paused": ("一時停止: {r}（{t}〜）", "Paused: {r} (since {t})"),
    "hours_title": (
        "時間帯別の来庁者数（本日）: 計画と実績",
        "Visits per hour today: plan and actual",
    ),
    "row_plan": ("計画", "Plan"),
    "row_actual": ("実績", "Actual"),
    "row_diff": ("差", "Difference"),
    "col_total": ("計", "Total"),
    "plan_note": (
        "計画 = その時間帯に始まる予約枠の定員 + 当日来庁の見込み {w}人/時（一律）。"
        "実績 = 発券 + 書類不備で返戻（回付は数えません）。差は始まった時間帯まで",
        "Plan = seats of the reservation slots starting in the hour + a flat {w} walk-ins "
        "an hour. Actual = tickets issued + visitors turned back (transfers not counted). "
        "The difference covers the hours begun",
    ),
    "hour_band": ("{h}時台", "{h}:00"),
    "min": ("{m}分", "{m} min"),
    "alert_amber": (
        "⚠ 注意: {lane} の最長待ちが {m}分（目標 {t}分）",
        "⚠ Warning: {lane} longest wait {m} min (target {t} min)",
    ),
    "alert_red": (
        "⚠⚠ 警告: {lane} の最長待ちが {m}分（目標 {t}分の{f}倍超）",
        "⚠⚠ Alert: {lane} longest wait {m} min (over {f} times the {t} min target)",
    ),
    "all_within": (
        "✓ 全ての列が待ち時間の目標（{t}分）以内です",
        "✓ Every lane within the {t} min target",
    ),
    "updated": ("{t} 更新", "Updated {t}"),
    # staffing
    "staffing_title": (
        "必要な窓口数の目安（待ち{t}分以内を{s}%以上）",
        "Counters needed to call {s}% within {t} min",
    ),
    "col_hour": ("時間帯", "Hour"),
    "col_arrivals": ("来庁見込み（人/時）", "Expected visits / h"),
    "col_service": ("平均対応時間", "Mean service"),
    "col_needed": ("必要窓口数", "Counters needed"),
    "col_gap": ("過不足", "Change"),
    "gap_add": ("▲ {n}窓口 追加", "▲ add {n}"),
    "gap_spare": ("▽ {n}窓口 余裕", "▽ {n} spare"),
    "gap_ok": ("適正", "right"),
    "staffing_note": (
        "当日来庁は Erlang C（M/M/c）で計算し、予約の方は予定どおり来庁するため その負荷"
        "（人数×対応時間÷60）を切り上げて加算。来庁見込み = 直近60分の当日来庁（開庁後60分未満は"
        "開庁から）+ その時間帯の予約。対応時間 = 本日終えた整理券の呼出しから完了まで（未完了なら手続の"
        "標準時間）。開いている窓口 = 本日サインインした窓口（委託は委託の列、市職員は市の列、"
        "本日呼び出した列）。一時停止中（休憩など）の窓口は数えません",
        "Walk-ins by Erlang C (M/M/c); booked visitors arrive on schedule and add their load "
        "(visits × service ÷ 60, rounded up). Expected visits = walk-ins of the last 60 minutes (since opening "
        "if sooner) + reservations of the hour. Service = call to end of today's finished "
        "tickets (the catalog's time before any). Counters open = counters signed in today "
        "(contractor clerks: contractor lanes; city staff: city lanes; plus lanes they called); "
        "a paused counter (break …) does not count",
    ),
    "closed_no_advice": ("本日は閉庁日のため目安はありません", "Closed today: no advice"),
    # closures
    "closures_title": ("臨時閉庁（登録済み）", "Ad-hoc closures"),
    "col_day": ("日付", "Day"),
    "col_reason": ("理由", "Reason"),
    "col_by": ("登録者", "By"),
    "closure_day": ("閉庁する日", "Day to close"),
    "reason": ("理由", "Reason"),
    "add_closure": ("臨時閉庁を追加", "Add closure"),
    "remove_closure": ("選んだ臨時閉庁を取り消す", "Remove selected closure"),
    "closure_added": ("{d} を臨時閉庁にしました", "{d} is now closed"),
    "closure_removed": ("{d} の臨時閉庁を取り消しました", "Closure of {d} removed"),
    "add_title": ("追加・登録", "Add"),
    "choose_row": ("一覧から選んでください", "Choose a row first"),
    "no_permission": ("この役割では変更できません（表示のみ）", "Your role may only view this"),
    # pauses
    "pauses_title": ("受付停止中の手続", "Procedures paused"),
    "pause_target": ("停止する手続", "Procedure to pause"),
    "jlis_all": ("J-LIS 全体（J-LISを使う手続すべて）", "J-LIS (every J-LIS procedure)"),
    "col_target": ("対象", "Paused"),
    "col_paused_at": ("停止した時刻", "Since"),
    "pause": ("受付を停止", "Pause"),
    "resume": ("選んだ停止を解除", "Resume selected"),
    "paused_done": ("{p} の受付を停止しました", "{p} paused"),
    "resumed_done": ("{p} の受付を再開しました", "{p} resumed"),
    # staff
    "staff_title": ("職員一覧", "Staff"),
    "col_active": ("有効", "Active"),
    "col_signed_in": ("サインイン中", "Signed in"),
    "yes": ("有効", "yes"),
    "no": ("無効", "no"),
    "pin_again": ("暗証番号（確認）", "PIN again"),
    "add_staff": ("職員を登録", "Add staff"),
    "deactivate": ("選んだ職員を無効にする", "Deactivate selected"),
    "pin_mismatch": ("暗証番号が一致しません", "The PINs do not match"),
    "staff_added": ("職員 {s} を登録しました", "Staff {s} added"),
    "staff_deactivated": ("職員 {s} を無効にしました", "Staff {s} deactivated"),
    # reports
    "report_kind": ("報告書", "Report"),
    "report_day": ("日付", "Day"),
    "report_month": ("月", "Month"),
    "report_year": ("年度", "Fiscal year"),
    "formats": ("形式", "Formats"),
    "folder": ("保存先フォルダ", "Folder"),
    "browse": ("参照…", "Browse…"),
    "generate": ("作成する", "Generate"),
    "generating": ("作成中: {s}", "Working: {s}"),
    "step_build": ("集計しています", "Counting"),
    "step_write": ("{f} を書き出しています", "Writing {f}"),
    "report_done": ("作成しました（{n}件）", "Done ({n} files)"),
    "report_failed": ("作成できませんでした: {e}", "Failed: {e}"),
    "no_format": ("形式を1つ以上選んでください", "Choose at least one format"),
    "no_folder": ("保存先フォルダを選んでください", "Choose a folder"),
    "written": (
        "書き出したファイル（ダブルクリックで開く）",
        "Files written (double-click to open)",
    ),
    "bytes": ("{n} バイト", "{n} bytes"),
    "report_busy": ("作成中です。終わるまでお待ちください", "Still working on the last report"),
    # deliverables
    "tab_deliverables": ("提出物", "Deliverables"),
    "deliverables_title": ("成果物と提出期限", "Deliverables and due dates"),
    "col_due": ("期限", "Due"),
    "col_deliverable": ("成果物", "Deliverable"),
    "col_rule": ("期限の決まり", "Rule"),
    "col_state": ("状態", "State"),
    "col_submitted": ("提出日", "Handed in"),
    "mark_submitted": ("選んだ成果物を本日提出済みにする", "Mark selected handed in today"),
    "unmark_submitted": ("提出済みを取り消す", "Take the mark back"),
    "mark_daily_through": (
        "選んだ行の期限までの日次の成果物をすべて提出済みにする",
        "Mark every daily deliverable up to the selected one",
    ),
    "marked_daily": (
        "{d} までの日次の成果物 {n} 件を提出済みにしました",
        "{n} daily deliverables up to {d} marked handed in",
    ),
    "marked": ("{k} を提出済みにしました", "{k} marked handed in"),
    "unmarked": ("{k} を未提出に戻しました", "{k} marked not handed in"),
    "overdue_banner": ("× 期限切れの成果物が {n} 件あります", "× {n} deliverables overdue"),
    "none_overdue": ("✓ 期限切れの成果物はありません", "✓ Nothing overdue"),
    "meetings_title": (
        "定例会議（議事録は開催日後3開庁日まで）",
        "Meetings (minutes due 3 city office days after)",
    ),
    "meeting_day": ("開催日", "Held on"),
    "meeting_kind": ("会議", "Meeting"),
    "meeting_title": ("件名", "Subject"),
    "add_meeting": ("会議を記録", "Add meeting"),
    "remove_meeting": ("選んだ会議を削除", "Remove selected meeting"),
    "meeting_added": (
        "{d} の会議を記録しました（議事録の期限 {due}）",
        "Meeting of {d} recorded (minutes due {due})",
    ),
    "meeting_removed": ("会議を削除しました", "Meeting removed"),
    # report entries
    "tab_notes": ("報告事項", "Report entries"),
    "notes_title": ("報告事項（日報・月報に載ります）", "Entries (printed in the reports)"),
    "notes_scope": ("対象", "For"),
    "scope_day": ("日（作業日報）", "A day (daily report)"),
    "scope_month": ("月（月次報告書）", "A month (monthly report)"),
    "col_period": ("日・月", "Day / month"),
    "col_kind": ("種類", "Kind"),
    "col_text": ("内容", "Text"),
    "col_at": ("記録", "Recorded"),
    "note_kind": ("種類", "Kind"),
    "note_text": ("内容（個人情報は書かない）", "Text (no personal data)"),
    "add_note": ("報告事項を追加", "Add entry"),
    "replace_note": ("選んだ項目をこの内容に書き換える", "Replace selected with this text"),
    "remove_note": ("選んだ項目を削除", "Remove selected"),
    "note_added": ("{p} の報告事項を記録しました", "Entry for {p} recorded"),
    "note_replaced": ("報告事項を書き換えました", "Entry replaced"),
    "note_removed": ("報告事項を削除しました", "Entry removed"),
    "notes_hint": (
        "月を選ぶと、その月の日々の報告事項も一覧に出ます（月次報告書に日付つきで載ります）",
        "A month also lists its days' entries (the monthly report prints them with their day)",
    ),
}

REPORT_KINDS: dict[str, tuple[str, str]] = {
    "daily": ("作業日報", "Daily report"),
    "monthly": ("月次業務計画・実績報告書", "Monthly plan and results"),
    "sla": ("サービス水準検証結果報告書", "Service-level verification"),
    "annual": ("年度業務実績報告書", "Annual results"),
    "training": ("要員育成報告書", "Staff training"),
    "structure": ("業務体制表", "Staffing structure"),
}


def tr(texts: Texts, key: str, **values: object) -> str:
    """Returns an admin text in the window's language, formatted with ``values``."""
    return texts.pick(ADMIN_TEXTS[key]).format(**values)
