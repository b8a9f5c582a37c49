"""Fusion over time: per-detector hysteresis tracks folded into one Verdict.

Each detector's score is turned into a "badness" (a match score below threshold is as bad
as a spoof probability above it). An alarm starts after ``confirm_windows`` consecutive
windows past the threshold and ends after as many windows back below it by
``hysteresis``. Failed, late or missing scores follow the detector's ``on_failure``.
"""

from __future__ import annotations

from dataclasses import dataclass

from callwarden.detectors.base import DetectorSpec
from callwarden.frames import DetectorScore, ScoreStatus, Verdict, VerdictKind
from callwarden.settings import FailurePolicy, PolicySettings

# When several alarms hold at once the most serious wins.
PRIORITY = (VerdictKind.DURESS, VerdictKind.SPOOF, VerdictKind.MISMATCH)


@dataclass(frozen=True, slots=True)
class TrackConfig:
    """How one detector's scores are judged for this call."""

    spec: DetectorSpec
    threshold: float
    on_failure: FailurePolicy


@dataclass(slots=True)
class _Track:
    config: TrackConfig
    alarm: bool = False
    streak: int = 0
    decided: bool = False
    last: DetectorScore | None = None
    calm: int = 0
    failing: bool = False

    def badness(self, score: float) -> tuple[float, float]:
        if self.config.spec.alarm_below:
            return 1.0 - score, 1.0 - self.config.threshold
        return score, self.config.threshold


class Fusion:
    """Folds a call's detector scores into the current verdict."""

    def __init__(self, settings: PolicySettings, tracks: list[TrackConfig]) -> None:
        self._settings = settings
        self._tracks = {t.spec.name: _Track(t) for t in tracks}
        self.verdict = Verdict(VerdictKind.UNCERTAIN, "listening: no speech yet", 0.0)

    def update(self, score: DetectorScore) -> Verdict:
        """Take one score and return the (possibly unchanged) verdict."""
        track = self._tracks[score.detector]
        track.last = score
        track.failing = score.status is not ScoreStatus.OK
        if not track.failing:
            self._step(track, score)
        self.verdict = self._judge(score.end_s, final=False)
        return self.verdict

    def finish(self, at_s: float) -> Verdict:
        """The verdict at the end of the call: decide on the evidence accumulated so far."""
        for track in self._tracks.values():
            last = track.last
            enough = last is not None and last.speech_s >= track.config.spec.min_speech_s
            if last is not None and not track.failing and enough and not track.decided:
                bad, limit = track.badness(last.score)
                track.alarm = bad > limit
                track.decided = True
        self.verdict = self._judge(at_s, final=True)
        return self.verdict

    def _step(self, track: _Track, score: DetectorScore) -> None:
        bad, limit = track.badness(score.score)
        confirm = self._settings.confirm_windows
        if track.alarm:
            # Leaving an alarm needs the score back past the threshold by the hysteresis.
            calm = bad <= limit - self._settings.hysteresis
            track.streak = track.streak + 1 if calm else 0
            if track.streak >= confirm:
                track.alarm, track.streak, track.calm = False, 0, confirm
            return
        track.streak = track.streak + 1 if bad > limit else 0
        track.calm = track.calm + 1 if bad <= limit else 0
        if score.speech_s < track.config.spec.min_speech_s:
            return
        if track.streak >= confirm:
            track.alarm, track.streak, track.decided = True, 0, True
        elif track.calm >= confirm:
            track.decided = True

    def _judge(self, at_s: float, *, final: bool) -> Verdict:
        evidence = self._evidence()
        if not self._tracks:
            return Verdict(VerdictKind.UNCERTAIN, "no detector is enabled", at_s, evidence)
        alarms = {t.config.spec.alarm: t for t in self._tracks.values() if self._alarmed(t)}
        for kind in PRIORITY:
            if kind in alarms:
                return Verdict(kind, _alarm_reason(alarms[kind]), at_s, evidence)
        for track in self._tracks.values():
            if track.failing and track.config.on_failure is FailurePolicy.UNCERTAIN:
                status = track.last.status if track.last else ScoreStatus.MISSING
                name = track.config.spec.name
                return Verdict(VerdictKind.UNCERTAIN, f"{name} detector {status}", at_s, evidence)
        waiting = [t for t in self._tracks.values() if not t.decided and not _ignored(t)]
        if waiting:
            return Verdict(VerdictKind.UNCERTAIN, _waiting_reason(waiting, final), at_s, evidence)
        return Verdict(VerdictKind.CLEAR, "every detector is within its threshold", at_s, evidence)

    def _alarmed(self, track: _Track) -> bool:
        if track.failing:
            return track.config.on_failure is FailurePolicy.FAIL_SAFE
        return track.alarm

    def _evidence(self) -> dict[str, float]:
        evidence: dict[str, float] = {}
        for name, track in self._tracks.items():
            if track.last is not None and track.last.status is ScoreStatus.OK:
                evidence[name] = round(track.last.score, 4)
            evidence[f"{name}_threshold"] = track.config.threshold
        return evidence


def _ignored(track: _Track) -> bool:
    return track.failing and track.config.on_failure is FailurePolicy.FAIL_OPEN


def _alarm_reason(track: _Track) -> str:
    spec, last = track.config.spec, track.last
    if last is None or last.status is not ScoreStatus.OK:
        status = last.status if last else ScoreStatus.MISSING
        return f"{spec.name} detector {status} and its failure policy is fail_safe"
    side = "below" if spec.alarm_below else "above"
    return (
        f"{spec.name} score {last.score:.3f} {side} threshold {track.config.threshold:.3f}"
        f" after {last.speech_s:.1f} s of speech"
    )


def _waiting_reason(waiting: list[_Track], final: bool) -> str:
    parts = []
    for track in waiting:
        heard = track.last.speech_s if track.last else 0.0
        spec = track.config.spec
        parts.append(f"{spec.name} heard {heard:.1f} s of {spec.min_speech_s:.1f} s")
    prefix = "not enough speech" if final else "listening"
    return f"{prefix}: " + ", ".join(parts)
