"""Calls that react to CallWarden (``uac_screened.xml``) and G.711 files of real voices."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cw_sip_support import CALLERS, SippResult, collect_sipp, sipp_command

VOICES = Path("/usr/share/asterisk/sounds")
# law -> (sox encoding, sox type, RTP payload type, rtpmap name)
LAWS = {"u": ("u-law", "ul", "0", "PCMU"), "a": ("a-law", "al", "8", "PCMA")}
_OUTCOME = re.compile(r"^(DROPPED|REFERRED|STAYED_UP)\b(.*)$", re.MULTILINE)


def g711(tmp: Path, voice: str, clip: str, law: str = "u", seconds: float | None = None) -> Path:
    """A headerless G.711 file (sox) of an Asterisk recording, e.g. ``it_IT_m_Carlo``."""
    encoding, kind, _, _ = LAWS[law]
    out = tmp / f"{voice}-{clip}.{kind}"
    cmd = ["sox", str(VOICES / voice / f"{clip}.wav"), "-r", "8000", "-c", "1"]
    cmd += ["-e", encoding, "-t", kind, str(out)]
    if seconds is not None:
        cmd += ["trim", "0", str(seconds)]
    subprocess.run(cmd, check=True, capture_output=True)
    return out


@dataclass
class Outcome:
    """What the caller saw: DROPPED, REFERRED or STAYED_UP, and the detail logged."""

    kind: str
    detail: str
    sipp: SippResult

    @property
    def cause(self) -> str:
        """The Reason's cause of a drop ("" otherwise)."""
        match = re.search(r"cause=(\d*)", self.detail)
        return match.group(1) if match else ""


def screened_subs(
    audio: Path, timeout_ms: int = 15000, loops: int = 3, before: str = ""
) -> dict[str, str]:
    """Substitutions for ``uac_screened.xml`` (``audio`` ends in .ul or .al)."""
    _, _, pt, codec = LAWS["a" if audio.suffix == ".al" else "u"]
    return {
        "AUDIO": str(audio),
        "LOOPS": str(loops),
        "PT": pt,
        "CODEC": codec,
        "TIMEOUT_MS": str(timeout_ms),
        "BEFORE": before,
    }


def screened_command(
    tmp: Path, port: int, audio: Path, caller: str = CALLERS[0], **kwargs: Any
) -> tuple[list[str], Path]:
    """The SIPp command of one screened call (kwargs: ``screened_subs``, ``extra``)."""
    extra = kwargs.pop("extra", None)
    subs = screened_subs(audio, **kwargs)
    return sipp_command(tmp, "uac_screened", port, subs=subs, extra=extra, callers=(caller,))


def outcome_of(sipp: SippResult) -> Outcome:
    """Parse the outcome line SIPp logged."""
    match = _OUTCOME.search(sipp.logs)
    if match is None:
        return Outcome("NONE", sipp.errors[-1500:] + sipp.screen[-1500:], sipp)
    return Outcome(match.group(1), match.group(2).strip(), sipp)


def screened_call(
    tmp: Path, port: int, audio: Path, caller: str = CALLERS[0], **kwargs: Any
) -> Outcome:
    """Place one call that streams ``audio`` and report how CallWarden treated it."""
    cmd, work = screened_command(tmp, port, audio, caller, **kwargs)
    proc = subprocess.run(cmd, cwd=work, capture_output=True, timeout=90, check=False)
    return outcome_of(collect_sipp(work, proc.returncode, proc.stdout.decode(errors="replace")))


def screened_calls_at_once(
    tmp: Path, port: int, calls: list[tuple[Path, str, int]]
) -> list[Outcome]:
    """Place every ``(audio, caller, timeout_ms)`` call at the same time; their outcomes."""
    runs = []
    for audio, caller, timeout_ms in calls:
        cmd, work = screened_command(tmp, port, audio, caller, timeout_ms=timeout_ms)
        runs.append((subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE), work))
    outcomes = []
    for proc, work in runs:
        screen = proc.communicate(timeout=60)[0].decode(errors="replace")
        outcomes.append(outcome_of(collect_sipp(work, proc.returncode, screen)))
    return outcomes


PCAPS = Path("/usr/share/sip-tester")
_INFO = """  <send retrans="500">
    <![CDATA[
      INFO sip:[service]@[remote_ip]:[remote_port];transport=[transport] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Caller" <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: @CSEQ@ INFO
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/dtmf-relay
      Content-Length: [len]

Signal=@DIGIT@
Duration=160
    ]]>
  </send>
  <recv response="200"/>
"""


def info_digits(digits: str) -> str:
    """SIP INFO (application/dtmf-relay) requests, one per digit, for ``@BEFORE@``."""
    blocks = [
        _INFO.replace("@CSEQ@", str(10 + i)).replace("@DIGIT@", d) for i, d in enumerate(digits)
    ]
    return "".join(blocks)


def rfc2833_digits(digits: str) -> str:
    """RFC 2833 events replayed from SIPp's own captures (``dtmf_2833_<digit>.pcap``).

    The captures come from one session: keyed in the order 1-9, ``*``, ``#``, 0 their RTP
    sequence numbers rise, which is what a receiver expects of one stream.
    """
    names = {"*": "star", "#": "pound"}
    blocks = []
    for digit in digits:
        pcap = PCAPS / f"dtmf_2833_{names.get(digit, digit)}.pcap"
        blocks.append(f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>\n')
        blocks.append('  <pause milliseconds="300"/>\n')
    return "".join(blocks)
