from callwarden.detectors.base import DetectorSpec
from callwarden.frames import DetectorScore, ScoreStatus, VerdictKind
from callwarden.policy.fusion import Fusion, TrackConfig
from callwarden.settings import FailurePolicy, PolicySettings

SPEAKER = DetectorSpec("speaker", 16000, 1.6, 0.8, 2.0, ("match",), "t", VerdictKind.MISMATCH, True)
DEEP = DetectorSpec("deep_voice", 8000, 1.0, 0.5, 1.0, ("spoof",), "t", VerdictKind.SPOOF)


def _fusion(on_failure: FailurePolicy = FailurePolicy.UNCERTAIN) -> Fusion:
    return Fusion(
        PolicySettings(confirm_windows=2, hysteresis=0.1),
        [TrackConfig(SPEAKER, 0.75, on_failure), TrackConfig(DEEP, 0.5, on_failure)],
    )


def _score(
    name: str, value: float, t: float, status: ScoreStatus = ScoreStatus.OK
) -> DetectorScore:
    return DetectorScore(name, value, t - 1, t, t, status)


def test_uncertain_until_every_detector_has_enough_calm_evidence() -> None:
    fusion = _fusion()
    assert fusion.update(_score("speaker", 0.9, 1.0)).kind is VerdictKind.UNCERTAIN
    fusion.update(_score("deep_voice", 0.1, 1.0))
    fusion.update(_score("deep_voice", 0.1, 2.0))
    # two calm windows, but the speaker has heard only 1.5 s of the 2.0 s it needs
    assert fusion.update(_score("speaker", 0.9, 1.5)).kind is VerdictKind.UNCERTAIN
    verdict = fusion.update(_score("speaker", 0.9, 2.0))
    assert verdict.kind is VerdictKind.CLEAR
    assert verdict.evidence["speaker"] == 0.9


def test_one_bad_window_does_not_raise_an_alarm_but_two_do() -> None:
    fusion = _fusion()
    assert fusion.update(_score("deep_voice", 0.9, 1.0)).kind is VerdictKind.UNCERTAIN
    assert fusion.update(_score("deep_voice", 0.2, 2.0)).kind is VerdictKind.UNCERTAIN
    fusion.update(_score("deep_voice", 0.8, 3.0))
    verdict = fusion.update(_score("deep_voice", 0.8, 4.0))
    assert verdict.kind is VerdictKind.SPOOF
    assert "deep_voice score 0.800 above threshold 0.500" in verdict.reason


def test_hysteresis_holds_the_alarm_near_the_threshold() -> None:
    fusion = _fusion()
    for t in (1.0, 2.0):
        fusion.update(_score("deep_voice", 0.9, t))
    for t in (3.0, 4.0, 5.0):  # below 0.5 but not by the 0.1 hysteresis
        assert fusion.update(_score("deep_voice", 0.45, t)).kind is VerdictKind.SPOOF
    fusion.update(_score("deep_voice", 0.3, 6.0))
    assert fusion.update(_score("deep_voice", 0.3, 7.0)).kind is not VerdictKind.SPOOF


def test_low_match_score_is_a_mismatch_and_spoof_outranks_it() -> None:
    fusion = _fusion()
    for t in (2.0, 3.0):
        verdict = fusion.update(_score("speaker", 0.4, t))
    assert verdict.kind is VerdictKind.MISMATCH
    for t in (2.0, 3.0):
        verdict = fusion.update(_score("deep_voice", 0.95, t))
    assert verdict.kind is VerdictKind.SPOOF


def test_failure_policies() -> None:
    failed = _score("deep_voice", 0.0, 2.0, ScoreStatus.FAILED)
    calm = [_score("speaker", 0.9, t) for t in (2.0, 3.0)]

    uncertain = _fusion(FailurePolicy.UNCERTAIN)
    for s in calm:
        uncertain.update(s)
    assert uncertain.update(failed).kind is VerdictKind.UNCERTAIN
    assert "deep_voice detector failed" in uncertain.verdict.reason

    fail_safe = _fusion(FailurePolicy.FAIL_SAFE)
    assert fail_safe.update(failed).kind is VerdictKind.SPOOF

    fail_open = _fusion(FailurePolicy.FAIL_OPEN)
    for s in calm:
        fail_open.update(s)
    assert fail_open.update(failed).kind is VerdictKind.CLEAR


def test_finish_decides_on_the_accumulated_score_and_reports_short_speech() -> None:
    fusion = _fusion()
    fusion.update(_score("deep_voice", 0.2, 1.5))
    fusion.update(DetectorScore("speaker", 0.5, 0.0, 2.5, 2.5))
    verdict = fusion.finish(3.0)
    assert verdict.kind is VerdictKind.MISMATCH

    short = _fusion()
    short.update(DetectorScore("speaker", 0.9, 0.0, 1.0, 1.0))
    short.update(DetectorScore("deep_voice", 0.1, 0.0, 1.0, 1.0))
    verdict = short.finish(1.0)
    assert verdict.kind is VerdictKind.UNCERTAIN
    assert verdict.reason.startswith("not enough speech: speaker heard 1.0 s of 2.0 s")
