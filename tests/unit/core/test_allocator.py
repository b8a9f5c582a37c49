"""Keeping freed memory: the deep-voice network stops page-faulting on every window."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import resource, sys, torch
from callwarden.allocator import keep_freed_memory
from callwarden.detectors.deep_voice import load_model
torch.set_num_threads(1)
if sys.argv[1] == "keep":
    assert keep_freed_memory()
if sys.argv[1] == "app":
    from callwarden.app import build_app
    from callwarden.settings import Settings
    tmp = sys.argv[3]
    build_app(Settings.model_validate({
        "subscribers": {"store_path": tmp + "/s.db"}, "audit": {"path": tmp + "/a.log"},
        "detectors": {"speaker": {"enabled": False}, "deep_voice": {"enabled": True}},
    }))
model = load_model(sys.argv[2])
x = torch.randn(1, 8000) * 0.1
with torch.inference_mode():
    for _ in range(5):
        model(x)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(20):
        model(x)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
print((after - before) / 20)
"""


def faults_per_window(mode: str, tmp: Path = ROOT) -> float:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(ROOT / "models/deepvoice_cnn.pt"), str(tmp)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return float(done.stdout.split()[-1])


def test_kept_memory_stops_the_page_faults_of_every_window() -> None:
    # glibc maps each window's megabyte tensors afresh: about 1,500 faults a window here
    assert faults_per_window("default") > 100
    assert faults_per_window("keep") < 50


def test_building_the_app_keeps_freed_memory(tmp_path: Path) -> None:
    # deep voice alone; with the speaker model loaded too, glibc happens to raise its own
    assert faults_per_window("app", tmp_path) < 50
