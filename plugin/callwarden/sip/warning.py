"""The recorded warning (``actions.warning_wav``) played to a caller before an action.

The clip is checked once at start (a readable 16-bit PCM WAV, PJSIP's player needs that);
each warned call gets its own ``AudioMediaPlayer`` connected to the call's audio, on the
SIP thread. The action follows once the clip has played (its length is read here, so no
end-of-file callback from PJSIP's media thread is needed).
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pjsua2 as pj

from callwarden.actions.base import ActionFailed
from callwarden.errors import ConfigError

SETTING = "actions.warning_wav"


@dataclass(frozen=True, slots=True)
class WarningClip:
    """A checked warning recording and how long it plays."""

    path: Path
    duration_s: float

    @classmethod
    def load(cls, path: Path) -> WarningClip:
        """Check the WAV and read its length.

        Raises:
            ConfigError: unreadable, not a WAV, not 16-bit PCM, or empty.
        """
        try:
            with wave.open(str(path), "rb") as wav:
                width, frames, rate = wav.getsampwidth(), wav.getnframes(), wav.getframerate()
        except (OSError, EOFError, wave.Error) as exc:
            raise ConfigError(str(path), [f"{SETTING}: not a readable WAV file ({exc})"]) from exc
        if width != 2 or frames == 0 or rate <= 0:
            raise ConfigError(str(path), [f"{SETTING}: needs non-empty 16-bit PCM audio"])
        return cls(Path(path), frames / rate)


def play_to_call(call: Any, clip: WarningClip) -> Any:
    """Start playing ``clip`` once into the call's active audio; returns the player.

    The caller keeps the player alive until the clip has played and releases it on the
    SIP thread.

    Raises:
        ActionFailed: the call has no active audio or PJSIP refused to play.
    """
    info = call.getInfo()
    audio = [
        m.index
        for m in info.media
        if m.type == pj.PJMEDIA_TYPE_AUDIO and m.status == pj.PJSUA_CALL_MEDIA_ACTIVE
    ]
    if not audio:
        raise ActionFailed("no active audio to play the warning into")
    player = pj.AudioMediaPlayer()
    try:
        player.createPlayer(str(clip.path), pj.PJMEDIA_FILE_NO_LOOP)
        player.startTransmit(call.getAudioMedia(audio[0]))
    except pj.Error as exc:
        raise ActionFailed(f"cannot play the warning: {exc.info()}") from exc
    return player
