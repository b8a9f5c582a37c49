from pathlib import Path

from callwarden.frames import VerdictKind
from callwarden.policy.attempts import AttemptCounter
from callwarden.settings import PolicySettings


def test_block_after_three_alarmed_calls_within_the_window(tmp_path: Path) -> None:
    counter = AttemptCounter(tmp_path / "state.db", PolicySettings(attempt_window_h=1))
    now = 1_000_000.0
    assert not counter.record("alice", "c1", VerdictKind.SPOOF, now).block
    assert counter.record("alice", "c2", VerdictKind.CLEAR, now + 1).alarms == 1
    counter.record("alice", "c3", VerdictKind.MISMATCH, now + 2)
    assert counter.record("alice", "c4", VerdictKind.DURESS, now + 3).block
    assert counter.count("bob", now).alarms == 0


def test_recording_a_call_twice_counts_once_and_old_attempts_expire(tmp_path: Path) -> None:
    counter = AttemptCounter(tmp_path / "state.db", PolicySettings(attempt_window_h=1))
    counter.record("alice", "c1", VerdictKind.SPOOF, 0.0)
    counter.record("alice", "c1", VerdictKind.SPOOF, 1.0)
    assert counter.count("alice", 2.0).alarms == 1
    assert counter.count("alice", 3601.5).alarms == 0


def test_counts_survive_a_restart_and_reset_clears(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    AttemptCounter(path, PolicySettings()).record("alice", "c1", VerdictKind.SPOOF, 10.0)
    again = AttemptCounter(path, PolicySettings())
    assert again.count("alice", 20.0).alarms == 1
    again.reset("alice")
    assert again.count("alice", 20.0).alarms == 0
