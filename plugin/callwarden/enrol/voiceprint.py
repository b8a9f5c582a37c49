"""What is kept of an enrolled subscriber: embeddings, threshold, consent. Never audio."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """The subscriber's signed opt-in, as it was when they enrolled.

    Attributes:
        signed_by: who signed the consent.
        signed_on: the date written in the consent file.
        sha256: hex sha256 of the consent file's bytes.
        text: the consent file's text.
    """

    signed_by: str
    signed_on: str
    sha256: str
    text: str


@dataclass(frozen=True, slots=True, eq=False)
class Voiceprint:
    """A subscriber's enrolment.

    Attributes:
        subscriber_id: the subscriber's id.
        embeddings: ``(n_files, 256)`` float32, one L2-normalised embedding per file.
        centroid: ``(256,)`` float32, the L2-normalised mean of ``embeddings``.
        threshold: the subscriber's own speaker threshold (a lower score is a mismatch),
            or None to use the configured one.
        consent: the consent record.
        model_version: the encoder version that made the embeddings.
        speech_s: net speech across the enrolment files.
        baselines: free JSON-ready data other detectors keep per subscriber (duress).
        created_at: first enrolment (UTC); set by the store.
        updated_at: last (re-)enrolment (UTC); set by the store.
    """

    subscriber_id: str
    embeddings: npt.NDArray[np.float32]
    centroid: npt.NDArray[np.float32]
    threshold: float | None
    consent: ConsentRecord
    model_version: str
    speech_s: float
    baselines: Mapping[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def n_files(self) -> int:
        """How many enrolment files the embeddings come from."""
        return int(self.embeddings.shape[0])
