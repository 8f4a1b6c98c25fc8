"""``python -m tests.desktop``: the demo windows on a real X server, one screenshot a role.

Starts its own Xvfb, creates a demo site in a temporary folder and opens its windows the
way ``make run`` does (``madoguchi demo --windows``: reception, two counters, the display
board), plus the site manager's window. It waits until each window is mapped on the X
server, moves it to a place of its own on a screen wide enough for all of them side by side
(without a window manager, a window raised over another may not have repainted when it is
grabbed, and the grab would show the other), waits until two grabs agree, keeps it
(``xwd``, turned into PNG with netpbm), and fails when a window never appears, its picture
is blank (one colour, or nearly), or it is the picture of another window. A missing system
library (Qt's xcb plugin aborts) therefore fails here. The board is then opened as a kiosk
on a screen of its own size and must fill it.

Needs the Debian packages xvfb, xdotool, x11-apps and netpbm (``.ci/run`` installs them).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

#: role shown, and the demo PC (node folder) whose window shows it
WINDOWS = (
    ("reception", "reception"),
    ("counter", "counter-1"),
    ("counter (city)", "counter-2"),
    ("display", "display"),
    ("admin", "admin"),
)
SCREEN = "1920x1080x24"
#: The screen of the staff windows: 1280×800 places for all of them, side by side.
WIDE = "3840x1600x24"
PLACES = ((0, 0), (1280, 0), (2560, 0), (0, 800), (1280, 800))
TOOLS = ("Xvfb", "xdotool", "xwd", "xwdtopnm", "pnmtopng")


def blank(png: bytes) -> str | None:
    """Returns why a screenshot looks blank, or None when it shows something."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = image.width * image.height
    colours = image.getcolors(maxcolors=pixels) or []
    if len(colours) < 3:
        return f"{len(colours)} colour(s) only"
    top = max(count for count, _ in colours)
    if top > 0.995 * pixels:
        return f"{top / pixels:.1%} of it is one colour"
    return None


@contextlib.contextmanager
def xvfb(screen: str = SCREEN) -> Iterator[str]:
    """Starts an Xvfb with a screen of that size; yields its DISPLAY.

    Xvfb chooses a free display itself and writes its number to ``-displayfd`` once it
    accepts clients: the wait is for that line, not a poll of its socket.
    """
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as ready:  # "N\n" when ready; EOF if it died
            waited, _, _ = select.select([ready], [], [], 20)
            number = ready.readline().strip() if waited else b""
        if not number.isdigit():
            raise SystemExit("desktop: Xvfb did not start")
        yield f":{number.decode()}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def find_window(env: dict[str, str], node: str) -> str | None:
    """Returns the X id of the visible madoguchi window of a demo PC, if it is mapped."""
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^madoguchi .* {node}$"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    ids = found.stdout.split()
    return ids[0] if ids else None


def grab(env: dict[str, str], window: str) -> bytes:
    """Raises a window and returns its picture as the X server has it, as PNG."""
    subprocess.run(["xdotool", "windowraise", window], env=env, check=True)
    xwd = subprocess.run(["xwd", "-silent", "-id", window], env=env, capture_output=True,
                         check=True).stdout  # fmt: skip
    pnm = subprocess.run(["xwdtopnm"], input=xwd, capture_output=True, check=True).stdout
    return subprocess.run(["pnmtopng"], input=pnm, capture_output=True, check=True).stdout


def settled(env: dict[str, str], window: str, place: tuple[int, int], deadline: float) -> bytes:
    """Moves a window to its place and returns its picture once two grabs in a row agree
    (it has repainted there)."""
    x, y = place
    subprocess.run(["xdotool", "windowmove", window, str(x), str(y)], env=env, check=True)
    previous = b""
    while time.monotonic() < deadline:
        time.sleep(0.3)
        png = grab(env, window)
        if png == previous:
            return png
        previous = png
    return previous


def kiosk_board(env: dict[str, str], program: list[str], folder: Path,
                args: argparse.Namespace) -> list[str]:  # fmt: skip
    """Opens the board full screen and checks that it fills the screen; returns failures."""
    board = subprocess.Popen([*program, "--data-dir", str(folder), "run"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    width, height = (int(x) for x in SCREEN.split("x")[:2])
    why = "never appeared"
    try:
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline and board.poll() is None:
            window = find_window(env, "display")
            if window is not None:
                png = grab(env, window)
                size = Image.open(io.BytesIO(png)).size
                why = blank(png) or ("" if size == (width, height) else f"{size} is not full")
                if not why:
                    (args.out / "display-kiosk.png").write_bytes(png)
                    print(f"desktop: display as a kiosk, {size[0]}x{size[1]} (the whole screen)")
                    return []
            time.sleep(0.25)
        return [f"display kiosk: {why}"]
    finally:
        board.terminate()
        try:
            board.wait(timeout=15)
        except subprocess.TimeoutExpired:
            board.kill()


def staff_windows(env: dict[str, str], program: list[str], demo: Path, logs: Path,
                  args: argparse.Namespace) -> list[str]:  # fmt: skip
    """Opens the demo's windows and the site manager's, keeps a picture of each; returns
    failures."""
    subprocess.run([*program, "demo", "--data-dir", str(demo)], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    started = [
        subprocess.Popen([*program, "demo", "--data-dir", str(demo), "--keep", "--windows"],
                         env=env, stdout=subprocess.DEVNULL,
                         stderr=(logs / "demo.txt").open("w")),
        subprocess.Popen([*program, "--data-dir", str(demo / "admin"), "run"],
                         env={**env, "MADOGUCHI_STAFF": "sm01", "MADOGUCHI_PIN": "4444"},
                         stdout=subprocess.DEVNULL, stderr=(logs / "admin.txt").open("w")),
    ]  # fmt: skip
    failures: list[str] = []
    try:
        deadline = time.monotonic() + args.timeout
        kept: dict[bytes, str] = {}
        for (role, node), place in zip(WINDOWS, PLACES, strict=True):
            why = "never appeared"
            while time.monotonic() < deadline:
                window = find_window(env, node)
                if window is not None:
                    png = settled(env, window, place, deadline)
                    why = blank(png) or (f"shows the window of {kept[png]}"
                                         if png in kept else "")  # fmt: skip
                    if not why:
                        kept[png] = node
                        (args.out / f"{node}.png").write_bytes(png)
                        size = Image.open(io.BytesIO(png)).size
                        print(f"desktop: {role} ({node}) shown, {size[0]}x{size[1]}")
                        break
                if any(p.poll() is not None for p in started):
                    why = "its program ended"
                    break
                time.sleep(0.25)
            if why:
                failures.append(f"{role} ({node}): {why}")
    finally:
        for proc in started:
            proc.terminate()
        for proc in started:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.desktop")
    parser.add_argument("--out", type=Path, default=Path("out/windows"))
    parser.add_argument("--timeout", type=float, default=90.0)
    args = parser.parse_args()
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        print(f"desktop: missing tools {' '.join(missing)} (Debian: xvfb xdotool x11-apps "
              "netpbm)", file=sys.stderr)  # fmt: skip
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    program = [sys.executable, "-m", "ui.shell.launcher"]
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="madoguchi-desktop-") as tmp:
        demo = Path(tmp) / "demo"
        logs = Path(tmp) / "logs"
        logs.mkdir()
        with xvfb(WIDE) as display:
            env = {**os.environ, "DISPLAY": display}
            env.pop("QT_QPA_PLATFORM", None)
            failures += staff_windows(env, program, demo, logs, args)
        # The display board as a waiting-room PC opens it: a kiosk filling a screen of its own.
        if not failures:
            with xvfb() as display:
                failures += kiosk_board({**env, "DISPLAY": display}, program, demo / "display",
                                        args)  # fmt: skip
        for log in sorted(logs.iterdir()):
            text = log.read_text(errors="replace").strip()
            if failures and text:
                print(f"--- {log.name}\n{text}", file=sys.stderr)
    for failure in failures:
        print(f"desktop: FAILED {failure}", file=sys.stderr)
    print(f"desktop: {len(WINDOWS) + 1 - len(failures)} windows shown, {len(failures)} missing, "
          f"blank or not full screen; screenshots in {args.out}")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
