"""Composition root: builds the process-wide parts from one settings tree.

Models load once per process here; every call then gets its own ``CallPipeline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from callwarden.allocator import keep_freed_memory
from callwarden.audit import AuditLog
from callwarden.detectors.base import CallContext, LoadContext
from callwarden.detectors.registry import LoadedDetector, load_detectors
from callwarden.enrol.store import VoiceprintStore
from callwarden.frames import VerdictKind
from callwarden.pipeline import CallPipeline
from callwarden.policy.attempts import AttemptCount, AttemptCounter
from callwarden.settings import Settings
from callwarden.weights import default_models_dir


@dataclass(slots=True)
class App:
    """Everything one CallWarden process shares between calls."""

    settings: Settings
    store: VoiceprintStore
    detectors: list[LoadedDetector]
    audit: AuditLog
    attempts: AttemptCounter

    def pipeline(self, call: CallContext, input_rate_hz: int, start_s: float = 0.0) -> CallPipeline:
        """A fresh pipeline for one call or recording."""
        return CallPipeline(self.settings, self.detectors, call, input_rate_hz, start_s)

    def record_attempt(
        self, subscriber_id: str, call_id: str, verdict: VerdictKind
    ) -> AttemptCount:
        """Count a screened call's final verdict against its subscriber (once per call)."""
        return self.attempts.record(subscriber_id, call_id, verdict)

    def close(self) -> None:
        """Close the durable stores a process holds open (the attempts database).

        SQLite removes its write-ahead side files when the last connection closes; left to
        the garbage collector, that happened at no fixed time after a command returned.
        """
        self.attempts.close()


def build_app(settings: Settings, *, strict: bool = False, models_dir: Path | None = None) -> App:
    """Load detectors (strictly: any load failure raises) and open the durable stores.

    Also keeps freed memory in the process (``callwarden.allocator``): per-window
    inference then stops page-faulting, which made the deep-voice network about 1.7x dearer.
    """
    keep_freed_memory()
    store = VoiceprintStore(settings.subscribers.store_path)
    ctx = LoadContext(models_dir or default_models_dir(), store)
    return App(
        settings=settings,
        store=store,
        detectors=load_detectors(settings.detectors, ctx, strict=strict),
        audit=AuditLog(settings.audit.path, fsync=settings.audit.fsync),
        attempts=AttemptCounter(settings.subscribers.store_path, settings.policy),
    )
