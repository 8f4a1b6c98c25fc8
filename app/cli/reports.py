"""The ``madoguchi report`` and ``madoguchi simulate`` commands (see :mod:`app.cli.main`).

``report daily|monthly|sla|annual|inquiries|training|structure SPEC --format pdf|csv|xlsx -o
FILE`` writes a report (``report qa [DATE]``: the Q&A collection now, or at the end of a
day); ``report explain KEY`` lists the tickets and events behind a figure; ``report
incident`` and ``report plan`` record a security incident and a missed indicator's
improvement plan; ``report note|notes|note-remove`` the site manager's entries of a day or
a month.
``simulate --from D --to D`` fills a new data folder with simulated days.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import open_node, parse_day, sign_in
from app.cli.output import CliError, Output
from app.reports.figures import explain
from app.reports.files import save
from app.reports.inquiry_reports import build_report
from app.reports.kinds import ENCODINGS, FORMATS, TITLES
from app.reports.notes import NOTE_KINDS, ReportNotes, parse_period
from app.reports.sla import record_incident, record_sla_plan

_SPEC_HELP = {"daily": "日付 YYYY-MM-DD", "monthly": "月 YYYY-MM", "sla": "月 YYYY-MM",
              "annual": "年度 2026 または FY2026", "inquiries": "日付 YYYY-MM-DD または月 YYYY-MM",
              "qa": "日付 YYYY-MM-DD（その日の終わりの時点。省略: 現在）",
              "training": "月 YYYY-MM",
              "structure": "日付 YYYY-MM-DD（その日に有効な体制。省略: 今日）"}  # fmt: skip


def _formats(text: str) -> list[str]:
    formats = list(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise CliError(f"形式 {text} は使えません（{', '.join(FORMATS)} をカンマ区切りで）")
    return formats


def cmd_report(args: argparse.Namespace, out: Output) -> int:
    """``report KIND SPEC``: builds the report once and writes it in each chosen format.

    With several formats (``--format pdf,csv,xlsx``) ``-o`` names the files without their
    suffix, which each format replaces.
    """

    formats = _formats(args.format)
    if args.output is None:
        stem = f"{args.kind}_{(args.spec or 'latest').replace('/', '-')}"
        targets = [Path(f"{stem}.{fmt}") for fmt in formats]
    elif len(formats) == 1:
        targets = [Path(args.output)]
    else:
        targets = [Path(args.output).with_suffix(f".{fmt}") for fmt in formats]
    node = open_node(args)
    try:
        report = build_report(node, args.kind, args.spec)
        saved = [save(report, fmt, target, args.encoding)
                 for fmt, target in zip(formats, targets, strict=True)]  # fmt: skip
        targets = [path for path, _ in saved]  # beside a file open in a viewer, if so
        sizes = [size for _, size in saved]
    finally:
        node.close()
    files = [{"format": f, "path": str(t), "bytes": n}
             for f, t, n in zip(formats, targets, sizes, strict=True)]  # fmt: skip
    out.emit({"kind": args.kind, "period": report.period, "files": files},
             f"{report.title}（{report.period}）を書き出しました: "
             + "、".join(f"{t}（{n:,} バイト）" for t, n in zip(targets, sizes, strict=True)))  # fmt: skip
    return 0


def cmd_explain(args: argparse.Namespace, out: Output) -> int:
    """``report explain KEY``: the tickets (and events) a figure counts."""

    node = open_node(args)
    try:
        found = explain(node, args.key)
    finally:
        node.close()
    data = [{"ticket_id": e.ticket_id, "number": e.number, "events": list(e.event_ids)}
            for e in found]  # fmt: skip

    def text() -> str:
        lines = [f"{args.key}: {len(found)} 件"]
        for e in found:
            who = f"{e.number} {e.ticket_id}" if e.ticket_id else "（整理券なし）"
            lines.append(f"  {who}  {' '.join(e.event_ids)}")
        return "\n".join(lines)

    out.emit({"key": args.key, "count": len(found), "facts": data}, text)
    return 0


def cmd_incident(args: argparse.Namespace, out: Output) -> int:
    """``report incident --summary TEXT``: records a security incident."""

    node = open_node(args)
    try:
        record_incident(node, sign_in(args, node), args.summary)
    finally:
        node.close()
    out.emit({"recorded": True}, "情報セキュリティ事故を記録しました")
    return 0


def cmd_plan(args: argparse.Namespace, out: Output) -> int:
    """``report plan MONTH INDICATOR --plan TEXT``: a missed indicator's improvement plan."""

    node = open_node(args)
    try:
        record_sla_plan(node, sign_in(args, node), args.month, args.indicator, args.plan,
                        args.follow_up or "")  # fmt: skip
    finally:
        node.close()
    out.emit({"month": args.month, "indicator": args.indicator},
             f"{args.month} の {args.indicator} の改善計画を記録しました")  # fmt: skip
    return 0


def cmd_note(args: argparse.Namespace, out: Output) -> int:
    """``report note PERIOD --kind K --text T [--replace ID]``: a report entry."""
    node = open_node(args)
    try:
        note_id = ReportNotes(node).set(sign_in(args, node), args.period, args.kind, args.text,
                                        args.replace)  # fmt: skip
    finally:
        node.close()
    out.emit({"note_id": note_id, "period": args.period},
             f"{args.period} の報告事項を記録しました（{note_id}）")  # fmt: skip
    return 0


def cmd_notes(args: argparse.Namespace, out: Output) -> int:
    """``report notes PERIOD``: the entries of a day or a month (a month's with its days')."""
    node = open_node(args)
    try:
        notes = ReportNotes(node)
        rows = notes.of(args.period)
        if len(parse_period(args.period)) == 7:
            rows += notes.of_month_days(args.period)
    finally:
        node.close()

    def text() -> str:
        lines = [f"{args.period}: {len(rows)} 件"]
        lines += [f"  {r['note_id']}  {r['period']}  {NOTE_KINDS[r['kind']].text_in('ja')}: {r['text']}"
                  for r in rows]  # fmt: skip
        return "\n".join(lines)

    out.emit({"period": args.period, "notes": rows}, text)
    return 0


def cmd_note_remove(args: argparse.Namespace, out: Output) -> int:
    """``report note-remove ID``: removes a report entry."""
    node = open_node(args)
    try:
        ReportNotes(node).remove(sign_in(args, node), args.note_id)
    finally:
        node.close()
    out.emit({"removed": args.note_id}, f"報告事項 {args.note_id} を削除しました")
    return 0


def cmd_simulate(args: argparse.Namespace, out: Output) -> int:
    """``simulate --from D --to D [--estimates]``: fills a simulated site through the real
    services (and measures the wait estimate's error on it)."""
    from app.sim.config import SimNode
    from app.sim.simulate import simulate

    first, last = parse_day(args.first), parse_day(args.last)
    if first > last:
        raise CliError(f"--from {first} が --to {last} より後です")
    node = SimNode(Path(args.data_dir), start=first)
    tty = sys.stderr is not None and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and sys.stderr is not None:
            sys.stderr.write(f"\r{done}/{total} 日")
            sys.stderr.flush()

    if args.estimates:
        from app.sim.estimates import measure

        try:
            errors = measure(node, first, last, seed=args.seed)
        finally:
            node.close()
        e = errors.to_json()
        out.emit(e, f"待ち時間の目安の誤差（当日受付 {e['tickets']} 枚、平均待ち {e['mean_wait']} 分）: "
                 f"平均絶対誤差 {e['mean_abs']} 分、偏り {e['bias']:+} 分、中央値 {e['p50_abs']} 分、"
                 f"90% {e['p90_abs']} 分、±10分以内 {e['within_10']:.0%}、"
                 f"15分以上短く {e['under_by_15']:.0%}、15分以上長く {e['over_by_15']:.0%}")  # fmt: skip
        return 0
    try:
        summary = simulate(node, first, last, seed=args.seed, progress=progress)
    finally:
        node.close()
        if tty and sys.stderr is not None:
            sys.stderr.write("\n")
    out.emit(summary.to_json(),
             f"{summary.first}〜{summary.last} の開所日 {summary.open_days} 日を作りました: "
             f"予約 {summary.reservations:,} 件、整理券 {summary.tickets:,} 枚、"
             f"返戻 {summary.turned_back} 人、回付 {summary.transfers} 件、"
             f"優先 {summary.priority} 人、複数手続 {summary.several} 人、"
             f"受付できなかった当日来庁 {summary.refused} 人、"
             f"イベント {summary.events:,} 件（{summary.seconds:.1f} 秒）")  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Adds ``report`` and ``simulate`` to the ``madoguchi`` parser (naming them loads none
    of the reports: a wrong measure or indicator is refused by the command itself)."""
    report = sub.add_parser(
        "report", help="報告書（日報・月報・サービス水準・年度・問い合わせ・質疑応答集）"
    )
    kinds = report.add_subparsers(dest="sub", required=True)
    for kind, title in TITLES.items():
        p = kinds.add_parser(kind, help=title)
        optional = {"nargs": "?", "default": ""} if kind in ("qa", "structure") else {}
        p.add_argument("spec", help=_SPEC_HELP[kind], **optional)
        p.add_argument("--format", default="pdf",
                       help="pdf、csv、xlsx（カンマ区切りで複数: pdf,csv,xlsx）")  # fmt: skip
        p.add_argument("-o", "--output", help="出力ファイル（既定: 種類_期間.形式）")
        p.add_argument("--encoding", default="utf-8-sig", choices=sorted(ENCODINGS),
                       help="CSVの文字コード（既定: utf-8-sig、Excel向けは cp932 も可）")  # fmt: skip
        p.set_defaults(handler=cmd_report, kind=kind)
    p = kinds.add_parser("explain", help="数値の根拠（整理券とイベント）を表示する")
    p.add_argument("key", help="期間/項目[/次元=値…]（例: 2026-11/visits/hour=10。項目と次元は"
                               "誤った指定の表示に一覧があります）")  # fmt: skip
    p.set_defaults(handler=cmd_explain)
    p = kinds.add_parser("incident", help="情報セキュリティ事故を記録する（現地管理者）")
    p.add_argument("--summary", required=True, help="概要（個人情報は書かない）")
    p.set_defaults(handler=cmd_incident)
    p = kinds.add_parser("plan", help="未達成の指標の改善計画・報告を記録する（現地管理者）")
    p.add_argument("month", help="YYYY-MM")
    p.add_argument("indicator", help="指標のキー（誤った指定の表示に一覧があります）")
    p.add_argument("--plan", required=True)
    p.add_argument("--follow-up", help="実施状況・報告")
    p.set_defaults(handler=cmd_plan)
    p = kinds.add_parser("note", help="報告事項（問題点・改善内容・市との調整事項）を記録する")
    p.add_argument("period", help="日 YYYY-MM-DD（作業日報）または月 YYYY-MM（月次報告書）")
    p.add_argument("--kind", required=True,
                   help="problem（問題点）、improvement（改善内容）、city（市との調整事項）")  # fmt: skip
    p.add_argument("--text", required=True, help="内容（個人情報は書かない）")
    p.add_argument("--replace", help="この報告事項IDの内容を書き換える")
    p.set_defaults(handler=cmd_note)
    p = kinds.add_parser("notes", help="ある日・月の報告事項を表示する")
    p.add_argument("period", help="日 YYYY-MM-DD または月 YYYY-MM（月はその日々の分も）")
    p.set_defaults(handler=cmd_notes)
    p = kinds.add_parser("note-remove", help="報告事項を削除する")
    p.add_argument("note_id")
    p.set_defaults(handler=cmd_note_remove)

    p = sub.add_parser("simulate", help="模擬データで拠点を埋める（新しいデータフォルダに）")
    p.add_argument("--from", dest="first", required=True, help="最初の日 YYYY-MM-DD")
    p.add_argument("--to", dest="last", required=True, help="最後の日 YYYY-MM-DD")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--estimates", action="store_true",
                   help="待ち時間の目安と実際の待ち時間の差を測る（当日受付の整理券）")  # fmt: skip
    p.set_defaults(handler=cmd_simulate)
