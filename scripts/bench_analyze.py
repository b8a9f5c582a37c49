"""Benchmark: `callwarden analyze` cost relative to real time, on one CPU core.

Enrols the Asterisk "Allison" voice into a temporary store, then analyses a long real
recording (cut to --seconds) several times after model load and warm-up, and prints the
median wall time and real-time factor (RTF = wall / audio; target <= 0.05). The speaker
detector runs; ``--deep-voice`` adds the deep-voice detector.

    .venv/bin/python scripts/bench_analyze.py [--seconds 60] [--runs 5] [--deep-voice]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from callwarden.analysis import analyze
from callwarden.app import build_app
from callwarden.detectors.speaker import SpeakerEncoder
from callwarden.enrol.enroll import enroll
from callwarden.settings import Settings
from callwarden.weights import default_models_dir

SOUNDS = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
ENROL = ("vm-options.wav", "dir-intro.wav", "vm-msginstruct.wav")
LONG = ("demo-instruct.wav", "demo-congrats.wav", "priv-callee-options.wav")


def _recording(tmp: Path, seconds: float) -> Path:
    parts = [sf.read(SOUNDS / name, dtype="float32")[0] for name in LONG]
    audio = np.concatenate(parts)[: int(seconds * 8000)]
    path = tmp / "long.wav"
    sf.write(path, audio, 8000, subtype="PCM_16")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--deep-voice",
        action="store_true",
        help="also run the deep-voice detector (off by default)",
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        settings = Settings.model_validate(
            {
                "subscribers": {"store_path": str(tmp / "cw.db")},
                "audit": {"path": str(tmp / "a")},
                "detectors": {"deep_voice": {"enabled": args.deep_voice}},
            }
        )
        consent = tmp / "consent.yaml"
        consent.write_text("subscriber: bench\nconsent: yes\nsigned_by: bench\ndate: 2026-01-01\n")
        app = build_app(settings, strict=True)
        encoder = SpeakerEncoder.load(default_models_dir())
        enroll("bench", consent, [SOUNDS / n for n in ENROL], settings, encoder, app.store)
        recording = _recording(tmp, args.seconds)
        analyze(app, recording, "bench")  # warm-up: first calls JIT-compile librosa's kernels
        walls = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = analyze(app, recording, "bench")
            walls.append(time.perf_counter() - started)
    wall = statistics.median(walls)
    print(f"command: {' '.join(sys.argv)}")
    print(f"{'audio_s':>8} {'speech_s':>9} {'windows':>8} {'median_wall_s':>14} {'RTF':>7} target")
    print(
        f"{result.audio_s:8.1f} {result.speech_s:9.1f} {len(result.timeline):8d}"
        f" {wall:14.3f} {wall / result.audio_s:7.4f} <= 0.05"
    )
    print(f"runs: {', '.join(f'{w:.3f}' for w in walls)} s; torch threads: 1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
