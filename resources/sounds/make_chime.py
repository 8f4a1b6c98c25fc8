"""Makes ``chime.wav``, the display board's call chime: a soft two-tone "pin-pon".

Run it from anywhere (``python resources/sounds/make_chime.py``); it rewrites ``chime.wav``
beside itself. Only the standard library is used, so the sound is reproducible and its
source is this file: two bell-like tones, A5 (880 Hz) then F5 (698 Hz), a major third
down, each a sine with a little of its 2nd and 3rd harmonics, a 10 ms attack and an
exponential decay, 0.8 s in all, 44.1 kHz mono 16-bit PCM (about 70 KB).
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100
SECONDS = 0.8
#: (start s, frequency Hz, length s) of each tone.
TONES = ((0.0, 880.0, 0.45), (0.32, 698.46, 0.48))
#: Relative strength of the fundamental and its 2nd and 3rd harmonics (a soft bell).
HARMONICS = (1.0, 0.25, 0.08)
PEAK = 0.6  # of full scale: loud enough over a PA, far from clipping
ATTACK = 0.01
DECAY = 6.0  # 1/s: the tone falls to ~6 % by its end


def sample(t: float) -> float:
    """Returns the chime's value at ``t`` seconds, about -1..1 before scaling."""
    value = 0.0
    for start, freq, length in TONES:
        local = t - start
        if not 0.0 <= local < length:
            continue
        envelope = min(1.0, local / ATTACK) * math.exp(-DECAY * local)
        fade = min(1.0, (length - local) / 0.03)  # no click at the end of a tone
        for n, weight in enumerate(HARMONICS, start=1):
            value += weight * envelope * fade * math.sin(2 * math.pi * freq * n * local)
    return value / sum(HARMONICS)


def main(path: Path | None = None) -> Path:
    """Writes the chime to ``path`` (default: ``chime.wav`` beside this file), returns it."""
    path = path or Path(__file__).with_name("chime.wav")
    frames = bytearray()
    for i in range(int(RATE * SECONDS)):
        frames += struct.pack("<h", round(PEAK * 32767 * sample(i / RATE)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


if __name__ == "__main__":
    print(main())
