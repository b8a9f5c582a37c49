"""The benchmark scripts run and print their tables (what they measure is not asserted)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_script(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout.splitlines()


def analysed_windows(*flags: str) -> int:
    lines = run_script("bench_analyze.py", "--seconds", "12", "--runs", "1", *flags)
    header = lines.index(next(line for line in lines if line.split()[:1] == ["audio_s"]))
    audio_s, _, windows, wall_s, rtf = lines[header + 1].split()[:5]
    assert float(audio_s) == 12.0 and float(wall_s) > 0 and float(rtf) > 0
    return int(windows)


def test_bench_analyze_adds_the_deep_voice_windows_when_asked() -> None:
    speaker_only = analysed_windows()
    assert speaker_only > 0
    assert analysed_windows("--deep-voice") > speaker_only


def test_bench_deepvoice_prints_one_row_per_model() -> None:
    lines = run_script("bench_deepvoice.py", "--seconds", "4", "--runs", "1")
    row = next(line for line in lines if line.startswith("deepvoice_cnn.pt"))
    assert row.split()[1] == "58049" and 0 < float(row.split()[3]) < 1
