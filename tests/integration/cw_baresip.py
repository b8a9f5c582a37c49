"""baresip as a real softphone: a generated config folder, one call, what it saw.

baresip 1.0 needs ``-n 127.0.0.1`` on loopback; ``aufile`` plays a WAV as the microphone
and writes what it hears to a WAV; ``-e /dial`` places the call; ``-s`` prints the SIP
messages, so the test reads the BYE and its Reason the way baresip received them.
"""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cw_sip_support import free_port

MODULES = ("g711.so", "aufile.so")
_ENDED = re.compile(r"session closed: |terminated \(duration")
CONFIG = """poll_method epoll
sip_listen 127.0.0.1:{sip_port}
audio_source aufile,{wav}
audio_player aufile,{heard}
audio_alert aufile,{heard}.alert
rtp_ports {rtp_port}-{rtp_last}
module_path /usr/lib/baresip/modules
{modules}
module_tmp account.so
module_app menu.so
"""


@dataclass
class BaresipCall:
    """baresip's console output and exit status."""

    output: str
    rc: int

    @property
    def terminated(self) -> bool:
        """baresip reported the call over."""
        return _ENDED.search(self.output) is not None

    def received(self, method: str) -> str:
        """The first SIP request ``method`` baresip received, as its trace printed it."""
        for block in self.output.split("\n#\n"):
            lines = block.strip().splitlines()
            if len(lines) > 1 and lines[1].startswith(f"{method} sip:"):
                return block
        return ""


def write_config(folder: Path, wav: Path, caller: str) -> Path:
    """A baresip config folder: loopback only, ``wav`` as the microphone."""
    folder.mkdir(parents=True, exist_ok=True)
    sip_port, rtp_port = free_port(), free_port()
    modules = "\n".join(f"module {m}" for m in MODULES)
    text = CONFIG.format(
        sip_port=sip_port,
        wav=wav,
        heard=folder / "heard.wav",
        rtp_port=rtp_port,
        rtp_last=rtp_port + 9,
        modules=modules,
    )
    (folder / "config").write_text(text, encoding="utf-8")
    (folder / "accounts").write_text(f"<sip:{caller}@127.0.0.1:{sip_port}>;regint=0\n")
    return folder


def dial(folder: Path, uri: str, timeout_s: float = 30.0) -> BaresipCall:
    """Place one call with baresip and wait until it ends (or ``timeout_s``)."""
    # stdbuf: baresip's stdio is fully buffered into a file; the test reads it live
    cmd = ["stdbuf", "-oL", "-eL", "baresip", "-f", str(folder), "-n", "127.0.0.1", "-s"]
    cmd += ["-e", f"/dial {uri}"]
    cmd += ["-t", str(int(timeout_s))]
    log = folder / "baresip.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        if _ENDED.search(log.read_text(errors="replace")):
            time.sleep(0.2)
            proc.terminate()
            break
        time.sleep(0.1)
    rc = proc.wait(10)
    return BaresipCall(_plain(log.read_text(errors="replace")), rc)


def _plain(text: str) -> str:
    """Without baresip's colour escapes."""
    for code in ("\x1b[36;1m", "\x1b[;m", "\x1b[31m", "\x1b[0m"):
        text = text.replace(code, "")
    return text
