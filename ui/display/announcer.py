"""Spoken calls of the display board: a chime, then the call in Japanese (and English).

Announcements wait in a queue and are played one at a time: the next one starts only
when the last step of the one before has finished (FQM #138: a second call must never
cut off the first). A step finishes when its backend says so (a callback) or, should a
backend never say so, after ``step_timeout_ms``; the Qt voice queues text rather than
replacing it, so even then nothing is cut off. A call already queued or spoken is not
queued again; a recall (a higher call count) is a new announcement.

The backends are small: a :class:`ChimePlayer` plays the bundled chime and a
:class:`Voice` speaks a sentence; :class:`QtChime` and :class:`QtVoice` use QtMultimedia
and QtTextToSpeech (PySide6-Addons), imported only when first needed. Without the
modules, an audio device or a voice, the board still works: chime only, or silent.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl
from PySide6.QtGui import QGuiApplication

from app.core.paths import resources_dir
from app.queue.calls import Call, sentence

log = logging.getLogger(__name__)

Done = Callable[[], None]


def chime_path() -> Path:
    """Returns the bundled chime (resources/sounds/chime.wav)."""
    return resources_dir() / "sounds" / "chime.wav"


class ChimePlayer(Protocol):
    """Plays the chime and calls ``done`` once it has finished (or could not play)."""

    def play(self, done: Done) -> None: ...


class Voice(Protocol):
    """Speaks a sentence and calls ``done`` once it has finished (or could not speak)."""

    def speaks(self, lang: str) -> bool: ...

    def say(self, text: str, lang: str, done: Done) -> None: ...


class Hook:
    """A signal in plain Python, for news sent often over a long run.

    PySide6 6.12.0 on Python 3.11 drops a reference to ``True`` on every ``Signal.emit()``
    made from Python; a board announcing for days would end in "bool_dealloc" and a crash.
    """

    def __init__(self) -> None:
        self._slots: list[Callable[[Call], object]] = []

    def connect(self, slot: Callable[[Call], object]) -> None:
        """Calls ``slot`` with the call at each emit."""
        self._slots.append(slot)

    def emit(self, call: Call) -> None:
        """Calls every connected slot."""
        for slot in list(self._slots):
            slot(call)


class SilentChime:
    """No chime at all (no audio device, screenshots, offscreen tests)."""

    def play(self, done: Done) -> None:
        """Finishes at once."""
        done()


class Announcer(QObject):
    """The announcement queue: one announcement at a time, each one whole.

    Args:
        chime: plays the chime before every announcement.
        voice: speaks the sentences; None: chime only.
        english: also say the call in English (when the voice has English).
        step_timeout_ms: a step whose backend never reports its end is over after this.
        parent: the Qt parent.

    Attributes:
        started: a :class:`Hook` told when an announcement begins (its chime starts).
        finished: a :class:`Hook` told when an announcement has ended.
    """

    def __init__(
        self, chime: ChimePlayer, voice: Voice | None, *, english: bool = True,
        step_timeout_ms: int = 30_000, parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.chime, self.voice, self.english = chime, voice, english
        self.started, self.finished = Hook(), Hook()
        self.current: Call | None = None
        self._queue: deque[Call] = deque()
        self._steps: deque[Callable[[Done], None]] = deque()
        self._seen: OrderedDict[tuple[str, str, int, int], None] = OrderedDict()
        self._token = 0
        self._starting = self._finished_early = self._in_next = False
        self._watchdog = QTimer(self, singleShot=True, interval=step_timeout_ms)
        self._watchdog.timeout.connect(self._timed_out)

    @property
    def pending(self) -> list[Call]:
        """Returns the announcements waiting their turn (not the current one)."""
        return list(self._queue)

    def announce(self, call: Call) -> bool:
        """Queues an announcement; returns False for one already queued or made."""
        if call.key in self._seen:
            return False
        self._seen[call.key] = None
        while len(self._seen) > 5000:  # a board runs for weeks; keep the last days
            self._seen.popitem(last=False)
        self._queue.append(call)
        if self.current is None and not self._in_next:
            self._next()
        return True

    def steps(self, call: Call) -> list[tuple[str, str]]:
        """Returns what an announcement says: (language, sentence) pairs, after the chime."""
        voice = self.voice
        if voice is None:
            return []
        langs = ("ja", "en") if self.english else ("ja",)
        return [(lang, sentence(call, lang)) for lang in langs if voice.speaks(lang)]

    def _plan(self, call: Call) -> None:
        self._steps.append(self.chime.play)
        for lang, text in self.steps(call):
            voice = self.voice
            assert voice is not None
            self._steps.append(partial(voice.say, text, lang))

    def _next(self) -> None:
        """Starts the next step (of this announcement or of the next one)."""
        self._in_next = True  # a signal handler that announces only queues
        try:
            self._run()
        finally:
            self._in_next = False

    def _run(self) -> None:
        while True:  # loops over steps whose backend finished at once
            if not self._steps:
                if self.current is not None:
                    done, self.current = self.current, None
                    self.finished.emit(done)
                if not self._queue:
                    return
                self.current = self._queue.popleft()
                self._plan(self.current)
                self.started.emit(self.current)
            step = self._steps.popleft()
            self._token += 1
            token = self._token
            self._starting, self._finished_early = True, False
            try:
                step(partial(self._step_done, token))
            except Exception:  # a broken backend must not stop the board
                log.exception("announcement step failed")
                self._finished_early = True
            self._starting = False
            if not self._finished_early:
                self._watchdog.start()
                return

    def _step_done(self, token: int) -> None:
        if token != self._token:
            return  # a late report of a step that timed out
        self._token += 1
        if self._starting:
            self._finished_early = True
            return
        self._watchdog.stop()
        self._next()

    def _timed_out(self) -> None:
        log.warning("announcement step of %s did not finish in time", self.current)
        self._step_done(self._token)


class QtChime:
    """The chime through QtMultimedia (QSoundEffect); silent when that cannot play.

    Args:
        path: the WAV file (default: the bundled chime).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or chime_path()
        self._effect: Any = None
        self._done: Done | None = None
        self._broken = self._playing = self._told = False

    def prepare(self) -> bool:
        """Loads the sound (once); returns False when it cannot be played here."""
        if self._effect is not None or self._broken:
            return not self._broken
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # PySide6-Addons missing, or its system libraries
            log.warning("no chime: QtMultimedia cannot be loaded (%s)", exc)
            self._broken = True
            return False
        if not QMediaDevices.audioOutputs():  # asked again at each call: speakers come later
            if not self._told:
                log.warning("no chime: no audio output device")
            self._told = True
            return False
        effect = QSoundEffect()
        effect.setSource(QUrl.fromLocalFile(str(self.path)))
        effect.playingChanged.connect(self._changed)
        effect.statusChanged.connect(self._changed)
        self._effect = effect
        return True

    def play(self, done: Done) -> None:
        """Plays the chime; ``done`` is called when it has stopped."""
        if not self.prepare() or self._effect.status() == self._effect.Status.Error:
            done()
            return
        self._done, self._playing = done, False
        self._effect.play()

    def _changed(self) -> None:
        effect = self._effect
        if effect.isPlaying():
            self._playing = True
        elif self._done is not None and (self._playing or effect.status() == effect.Status.Error):
            done, self._done = self._done, None
            done()


class QtVoice:
    """Speech through QtTextToSpeech, with a Japanese (and an English) voice if there is one.

    Args:
        engine: the text-to-speech engine (default: the platform's, e.g. ``sapi`` on Windows).
    """

    def __init__(self, engine: str | None = None) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech  # ImportError: see create()

        self._tts = QTextToSpeech(engine) if engine else QTextToSpeech()
        self._tts.stateChanged.connect(self._state)
        self._states = QTextToSpeech.State
        self._voices: dict[str, tuple[QLocale, Any]] = {}
        self._done: Done | None = None
        self._speaking = False

    @classmethod
    def create(cls, engine: str | None = None) -> QtVoice | None:
        """Returns a voice, or None when there is no engine with Japanese or English."""
        try:
            voice = cls(engine)
        except ImportError as exc:
            log.warning("no voice, chime only: QtTextToSpeech cannot be loaded (%s)", exc)
            return None
        if not (voice.speaks("ja") or voice.speaks("en")):
            log.warning("no Japanese or English voice (engine %r): chime only", engine)
            return None
        log.info("voice: Japanese %s, English %s", voice.speaks("ja"), voice.speaks("en"))
        return voice

    def speaks(self, lang: str) -> bool:
        """Tells whether the engine has a voice for ``ja`` or ``en``."""
        if not self._voices and self._tts.state() == self._states.Ready:
            wanted = {QLocale.Language.Japanese: "ja", QLocale.Language.English: "en"}
            for locale in self._tts.availableLocales():
                code = wanted.get(locale.language())
                if code and code not in self._voices:
                    self._tts.setLocale(locale)
                    if voices := self._tts.availableVoices():
                        self._voices[code] = (locale, voices[0])
        return lang in self._voices

    def say(self, text: str, lang: str, done: Done) -> None:
        """Speaks ``text`` after anything still being spoken; ``done`` follows its end."""
        if not self.speaks(lang):
            done()
            return
        locale, voice = self._voices[lang]
        self._tts.setLocale(locale)
        self._tts.setVoice(voice)
        self._done, self._speaking = done, False
        self._tts.enqueue(text)

    def _state(self, state: Any) -> None:
        if state == self._states.Speaking:
            self._speaking = True
        elif self._done is not None and (
            state == self._states.Error or (state == self._states.Ready and self._speaking)
        ):
            done, self._done = self._done, None
            done()


def default_announcer(parent: QObject | None = None) -> Announcer:
    """Returns the board's announcer with Qt's sound and voice (silent when offscreen)."""
    if QGuiApplication.platformName() == "offscreen":  # screenshots, tests, smoke runs
        return Announcer(SilentChime(), None, parent=parent)
    chime = QtChime()
    chime.prepare()
    return Announcer(chime, QtVoice.create(), parent=parent)
