import sqlite3
from pathlib import Path

import numpy as np
import pytest

from callwarden.enrol.store import ConsentRecord, Voiceprint, VoiceprintStore
from callwarden.errors import EnrolmentError, NotEnrolledError


def voiceprint(subscriber: str = "alice", seed: int = 0, **changes: object) -> Voiceprint:
    rng = np.random.default_rng(seed)
    emb = rng.random((3, 256)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    fields: dict[str, object] = {
        "subscriber_id": subscriber,
        "embeddings": emb,
        "centroid": emb[0],
        "threshold": 0.81,
        "consent": ConsentRecord("Alice Example", "2026-01-15", "ab" * 32, "consent: yes\n"),
        "model_version": "ge2e-test",
        "speech_s": 12.5,
        "baselines": {},
    }
    fields.update(changes)
    return Voiceprint(**fields)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field(store: VoiceprintStore) -> None:
    saved = voiceprint(baselines={"duress": {"pitch_hz": [180.0, 25.0]}})
    store.save(saved)
    got = store.get("alice")
    np.testing.assert_array_equal(got.embeddings, saved.embeddings)
    np.testing.assert_array_equal(got.centroid, saved.centroid)
    assert got.embeddings.dtype == np.float32 and got.n_files == 3
    assert (got.threshold, got.model_version, got.speech_s) == (0.81, "ge2e-test", 12.5)
    assert got.consent == saved.consent
    assert got.baselines == {"duress": {"pitch_hz": [180.0, 25.0]}}
    assert got.created_at is not None and got.created_at == got.updated_at


def test_store_creates_its_folder_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "v.db"
    VoiceprintStore(path)
    assert path.is_file()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT version FROM voiceprint_schema").fetchall() == [(1,)]


def test_threshold_none_means_configured(store: VoiceprintStore) -> None:
    store.save(voiceprint(threshold=None))
    assert store.get("alice").threshold is None


def test_list_and_delete(store: VoiceprintStore) -> None:
    store.save(voiceprint("bob"))
    store.save(voiceprint("alice"))
    assert store.list() == ["alice", "bob"]
    store.delete("alice")
    assert store.list() == ["bob"]
    with pytest.raises(NotEnrolledError):
        store.get("alice")
    with pytest.raises(NotEnrolledError, match="not enrolled"):
        store.delete("alice")


def test_delete_leaves_no_trace_of_the_embeddings_on_disk(store: VoiceprintStore) -> None:
    vp = voiceprint()
    store.save(vp)
    store.delete("alice")
    blob = vp.embeddings.tobytes()[:64]
    on_disk = b"".join(p.read_bytes() for p in store.path.parent.glob("voiceprints.db*"))
    assert blob not in on_disk


def test_reenrol_replaces_and_keeps_created_at(store: VoiceprintStore) -> None:
    store.save(voiceprint(seed=1))
    first = store.get("alice")
    store.save(voiceprint(seed=2, threshold=0.9))
    second = store.get("alice")
    assert second.threshold == 0.9
    assert not np.array_equal(first.embeddings, second.embeddings)
    assert second.created_at == first.created_at
    assert store.list() == ["alice"]


@pytest.mark.parametrize(
    "bad",
    [
        {"baselines": {"x": object()}},
        {"baselines": {"x": float("nan")}},
        {"centroid": np.zeros(10, dtype=np.float32)},
        {"embeddings": np.full((2, 256), np.nan, dtype=np.float32)},
    ],
)
def test_failed_save_leaves_the_old_voiceprint(store: VoiceprintStore, bad: dict) -> None:
    store.save(voiceprint(seed=1))
    before = store.get("alice")
    with pytest.raises(EnrolmentError):
        store.save(voiceprint(seed=2, **bad))
    after = store.get("alice")
    np.testing.assert_array_equal(after.embeddings, before.embeddings)
    assert after.updated_at == before.updated_at


def test_corrupt_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(EnrolmentError, match="not a SQLite database"):
        VoiceprintStore(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    VoiceprintStore(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE voiceprint_schema SET version = 99")
    with pytest.raises(EnrolmentError, match="schema version 99"):
        VoiceprintStore(path)


def test_shares_the_file_with_other_tables(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE attempts (subscriber_id TEXT)")
    store = VoiceprintStore(path)
    store.save(voiceprint())
    assert store.list() == ["alice"]


def test_set_baselines(store: VoiceprintStore) -> None:
    store.save(voiceprint())
    store.set_baselines("alice", {"duress": {"rate": 4.2}})
    assert store.get("alice").baselines == {"duress": {"rate": 4.2}}
    with pytest.raises(NotEnrolledError):
        store.set_baselines("bob", {})
