"""Helpers for SIP integration tests: free ports, configs, the UA subprocess, SIPp, audio."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from callwarden.audio.pcm import ulaw_encode

HERE = Path(__file__).resolve().parent
SIPP_DIR = HERE.parent / "fixtures" / "sipp"
SOUNDS = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
PYTHON = sys.executable
CALLERS = ("+15551230001", "+15551230002")


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (random, to dodge parallel runs)."""
    for _ in range(200):
        port = random.randrange(20000, 60000, 2)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, socket.socket() as t:
                u.bind(("127.0.0.1", port))
                t.bind(("127.0.0.1", port))
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u2:
                    u2.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def write_config(tmp: Path, port: int, **sections: dict[str, Any]) -> Path:
    """A settings YAML for a UA on ``port`` with its state under ``tmp``."""
    data: dict[str, Any] = {
        "sip": {"udp_port": port, "tcp_port": port, "rtp_port_start": free_port()},
        "audit": {"path": str(tmp / "audit.jsonl"), "fsync": False},
        "subscribers": {"store_path": str(tmp / "store.db")},
    }
    for key, value in sections.items():
        data.setdefault(key, {}).update(value)
    path = tmp / "callwarden.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def audit_records(path: Path) -> list[dict[str, Any]]:
    """The audit log's records so far (none before the file exists)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


@dataclass
class UaProcess:
    """A CallWarden UA running in a subprocess."""

    proc: subprocess.Popen[bytes]
    port: int
    tmp: Path
    report: Path
    stderr: Path
    audit_path: Path

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        if not self.report.exists():
            return []
        rows = [json.loads(line) for line in self.report.read_text().splitlines() if line]
        return [r for r in rows if name is None or r["event"] == name]

    def audit(self) -> list[dict[str, Any]]:
        return audit_records(self.audit_path)

    def wait_for(self, name: str, count: int = 1, timeout_s: float = 15.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            rows = self.events(name)
            if len(rows) >= count:
                return rows
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {count} {name!r} events: {self.events()}")

    def log(self) -> str:
        return self.stderr.read_text(errors="replace")

    def stop(self, timeout_s: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise


def start_ua(tmp: Path, args: list[str], **sections: dict[str, Any]) -> UaProcess:
    """Start ``cw_fake_ua.py`` (or, with ``args[0] == "--real"``, ``callwarden run``)."""
    port = free_port()
    config = write_config(tmp, port, **sections)
    report = tmp / "report.jsonl"
    if args[:1] == ["--real"]:
        cmd = [PYTHON, "-m", "callwarden.commands.run", "--config", str(config), *args[1:]]
    else:
        cmd = [PYTHON, str(HERE / "cw_fake_ua.py"), "--config", str(config)]
        cmd += ["--report", str(report), *args]
    return launch_ua(cmd, port, tmp, cwd=tmp)


def launch_ua(
    cmd: list[str], port: int, tmp: Path, cwd: Path, audit: Path | None = None
) -> UaProcess:
    """Run ``cmd`` (a UA listening on ``port``) and wait until it is ready."""
    stderr = tmp / "ua.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1"}
    with stderr.open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=err, stderr=err, cwd=cwd, env=env)
    ua = UaProcess(proc, port, tmp, tmp / "report.jsonl", stderr, audit or tmp / "audit.jsonl")
    deadline = time.monotonic() + 60
    while "screening user agent ready" not in ua.log():
        if proc.poll() is not None or time.monotonic() > deadline:
            ua.stop()
            raise AssertionError(f"UA did not start:\n{ua.log()[-3000:]}")
        time.sleep(0.1)
    return ua


@dataclass
class SippResult:
    """What SIPp saw: exit code, its screen, its logs and the messages on the wire."""

    rc: int
    screen: str
    logs: str
    messages: str
    errors: str


def sipp_command(
    tmp: Path,
    scenario: str,
    port: int,
    subs: dict[str, str] | None = None,
    calls: int = 1,
    extra: list[str] | None = None,
    callers: tuple[str, ...] = CALLERS,
) -> tuple[list[str], Path]:
    """The SIPp command line for ``tests/fixtures/sipp/<scenario>.xml`` against ``port``."""
    text = (SIPP_DIR / f"{scenario}.xml").read_text()
    for key, value in (subs or {}).items():
        text = text.replace(f"@{key}@", value)
    work = tmp / f"sipp-{scenario}-{random.randrange(1 << 30)}"
    work.mkdir()
    (work / "scenario.xml").write_text(text)
    (work / "callers.csv").write_text("SEQUENTIAL\n" + "".join(f"{c};\n" for c in callers))
    cmd = ["sipp", f"127.0.0.1:{port}", "-sf", "scenario.xml", "-inf", "callers.csv"]
    cmd += ["-s", "screen", "-m", str(calls), "-i", "127.0.0.1", "-p", str(free_port())]
    cmd += ["-mi", "127.0.0.1", "-mp", str(free_port()), "-timeout", "40s", "-timeout_error"]
    cmd += ["-trace_err", "-trace_logs", "-trace_msg", "-nostdin", *(extra or [])]
    return cmd, work


def run_sipp(tmp: Path, scenario: str, port: int, **kwargs: Any) -> SippResult:
    """Run SIPp to completion and collect what it saw."""
    cmd, work = sipp_command(tmp, scenario, port, **kwargs)
    proc = subprocess.run(cmd, cwd=work, capture_output=True, timeout=60, check=False)
    return collect_sipp(work, proc.returncode, proc.stdout.decode(errors="replace"))


def collect_sipp(work: Path, rc: int, screen: str) -> SippResult:
    def read(suffix: str) -> str:
        return "".join(p.read_text(errors="replace") for p in work.glob(f"*{suffix}"))

    return SippResult(rc, screen, read("_logs.log"), read("_messages.log"), read("_errors.log"))


def ulaw_file(tmp: Path, name: str = "vm-intro", seconds: float | None = None) -> Path:
    """A headerless u-law file of a real Asterisk recording (sox), optionally trimmed."""
    out = tmp / f"{name}.ulaw"
    cmd = ["sox", str(SOUNDS / f"{name}.wav"), "-r", "8000", "-c", "1", "-e", "u-law", "-t", "ul"]
    cmd += [str(out)]
    if seconds is not None:
        cmd += ["trim", "0", str(seconds)]
    subprocess.run(cmd, check=True, capture_output=True)
    return out


def tone_ulaw(tmp: Path, freq_hz: float, seconds: float, level: float = 0.3) -> Path:
    """A headerless u-law file of a pure tone."""
    t = np.arange(int(seconds * 8000)) / 8000
    samples = (level * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)
    out = tmp / f"tone{int(freq_hz)}.ulaw"
    out.write_bytes(ulaw_encode(samples))
    return out


def sdp(media: str, rtpmap: str = "") -> str:
    """An SDP offer from SIPp's media address with the given m= line(s)."""
    lines = ["v=0", "o=sipp 1 1 IN IP4 [local_ip]", "s=-", "c=IN IP4 [media_ip]", "t=0 0", media]
    return "\n".join(lines + ([rtpmap] if rtpmap else []))


REINVITE = """  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Caller" <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: @CSEQ@ INVITE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

v=0
o=sipp 1 @CSEQ@ IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
a=@DIR@
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="200"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Caller" <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: @CSEQ@ ACK
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
"""


def reinvite_storm(count: int) -> str:
    """``count`` back-to-back re-INVITEs (alternating hold and resume) for uac_storm.xml."""
    blocks = []
    for i in range(count):
        direction = "sendonly" if i % 2 == 0 else "sendrecv"
        blocks.append(REINVITE.replace("@CSEQ@", str(i + 2)).replace("@DIR@", direction))
    return "".join(blocks)
