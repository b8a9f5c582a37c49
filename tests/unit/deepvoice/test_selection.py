"""The dev rule that picks among candidate weights."""

from typing import Any

import numpy as np

from corpus.dataset import Split
from corpus.selection import DevScore, pick, qualifies, unseen_tts_eer, unseen_voices_eer

BASE = DevScore("shipped", 0.1104, 0.1050, 0.2510)


def test_a_candidate_must_beat_dev_and_keep_the_unseen_tts() -> None:
    assert qualifies(DevScore("better", 0.1050, 0.11, 0.2510), BASE)
    assert not qualifies(DevScore("same dev", 0.1104, 0.09, 0.20), BASE)
    assert not qualifies(DevScore("loses unseen TTS", 0.09, 0.09, 0.30), BASE)


def test_a_candidate_must_keep_the_unseen_voices_where_dev_has_them() -> None:
    base = DevScore("shipped", 0.1101, 0.0942, 0.2510, 0.1156)
    assert qualifies(DevScore("keeps", 0.1058, 0.09, 0.2510, 0.1156), base)
    assert not qualifies(DevScore("loses unseen voices", 0.1058, 0.09, 0.2510, 0.1250), base)


def test_lowest_dev_wins_then_dev_at_4_s_then_the_order_given() -> None:
    a = DevScore("a", 0.1088, 0.0976, 0.2510)
    b = DevScore("b", 0.1088, 0.0976, 0.2510)
    c = DevScore("c", 0.1088, 0.1050, 0.2000)
    d = DevScore("d", 0.1050, 0.1100, 0.3000)  # best dev, but worse on unseen TTS
    assert pick([c, a, b, d], BASE) is a
    assert pick([c, b, a], BASE) is b
    assert pick([c], BASE) is c


def test_no_qualifier_keeps_the_baseline() -> None:
    assert pick([DevScore("worse", 0.12, 0.1, 0.2)], BASE) is None
    assert pick([], BASE) is None


def test_without_unseen_tts_voices_dev_eer_alone_decides() -> None:
    nan = float("nan")
    base = DevScore("asvspoof shipped", 0.05, 0.04, nan)
    better, worse = DevScore("better", 0.04, 0.04, nan), DevScore("worse", 0.06, 0.03, nan)
    assert pick([worse, better], base) is better


def test_unseen_tts_eer_scores_only_the_dev_only_voices() -> None:
    import numpy as np

    from corpus.dataset import Split

    speakers = ["allison", "allison", "espeak-m5", "espeak-m1"]
    dev = Split(
        audio=np.zeros(4, np.int16),
        offsets=np.arange(5, dtype=np.int64),
        is_spoof=np.array([False, False, True, True]),
        speakers=np.array(speakers),
        systems=np.array(["-", "-", "espeak", "espeak"]),
        utt_ids=np.array(["a", "b", "c", "d"]),
    )
    # the trained voice (m1) scores like the real clips; only the unseen one (m5) counts
    assert unseen_tts_eer(np.array([0.0, 1.0, 5.0, 0.5]), dev) == 0.0
    assert unseen_tts_eer(np.array([0.0, 1.0, -5.0, 9.0]), dev) > 0.5
    no_proxy = dev.subset(np.array([True, True, False, True]))
    assert np.isnan(unseen_tts_eer(np.array([0.0, 1.0, 0.5]), no_proxy))


def _three_kinds() -> Split:
    """A trained voice, a never-trained one (kde-pt) with its resynthesis, a dev-only TTS."""
    return Split(
        audio=np.zeros(5, np.int16),
        offsets=np.arange(6, dtype=np.int64),
        is_spoof=np.array([False, False, True, True, True]),
        speakers=np.array(["allison", "kde-pt", "kde-pt", "allison", "espeak-m5"]),
        systems=np.array(["-", "-", "griffinlim", "griffinlim", "espeak"]),
        utt_ids=np.array(list("abcde")),
    )


def test_unseen_voices_eer_scores_only_the_never_trained_voices_resyntheses() -> None:
    import numpy as np

    dev = _three_kinds()
    # kde-pt's real clip against its resynthesis; allison (trains) and espeak m5 do not count
    assert unseen_voices_eer(np.array([9.0, 0.0, 5.0, -9.0, -9.0]), dev) == 0.0
    assert unseen_voices_eer(np.array([-9.0, 5.0, 0.0, 9.0, 9.0]), dev) == 1.0
    assert np.isnan(unseen_voices_eer(np.zeros(3), dev.subset(np.array([1, 0, 0, 1, 1]) > 0)))


def test_breakdown_puts_each_spoof_clip_in_its_system_voice_and_noise_group() -> None:
    import numpy as np

    from corpus.dataset import Split
    from corpus.selection import breakdown

    dev = Split(
        audio=np.zeros(6, np.int16),
        offsets=np.arange(7, dtype=np.int64),
        is_spoof=np.array([False, False, True, True, True, True]),
        speakers=np.array(["allison", "kde-pt", "allison", "kde-pt", "espeak-m5", "allison"]),
        systems=np.array(["-", "-", "griffinlim", "griffinlim", "espeak", "world"]),
        utt_ids=np.array(list("abcdef")),
    )
    noise = np.array(["none", "moh", "moh", "none", "white", "none"])
    # Griffin-Lim under hold music hides below the real clips; everything else stands out
    scores = np.array([0.0, 1.0, -3.0, 5.0, 6.0, 7.0])
    table = breakdown(scores, dev, noise)
    assert set(table) == {
        "griffinlim",
        "world",
        "dev-only TTS",  # espeak m5 never trains, so it is not in an "espeak" group
        "dev-only TTS, first four",  # one of the four voices dev had before round 30
        "noise none",
        "noise white",
        "noise moh",
        "unseen voices",  # kde-pt never trains: its real clip against its resynthesis
        "unseen none",  # only noise groups that hold an unseen voice's spoof clip
    }
    assert table["world"] == table["noise none"] == table["dev-only TTS"] == 0.0
    assert table["dev-only TTS, first four"] == 0.0
    assert table["noise moh"] == 1.0 and 0.0 < table["griffinlim"] < 1.0
    # allison's Griffin-Lim under hold music (-3) is a trained voice: not in the unseen groups
    assert table["unseen voices"] == table["unseen none"] == 0.0
    assert "noise none" not in breakdown(scores, dev, None)  # no metadata, no noise groups


def test_proxies_are_the_rules_comparisons_and_only_those_dev_holds() -> None:
    import numpy as np

    from corpus.selection import proxies

    dev = _three_kinds()
    groups = proxies(dev)
    assert list(groups) == ["dev 4 s", "unseen TTS 4 s", "unseen voices 4 s"]
    real, fake = groups["unseen voices 4 s"]
    assert real.tolist() == [False, True, False, False, False]
    assert fake.tolist() == [False, False, True, False, False]
    assert groups["unseen TTS 4 s"][1].tolist() == [False, False, False, False, True]
    no_proxy = dev.subset(np.array([True, False, False, True, False]))
    assert list(proxies(no_proxy)) == ["dev 4 s"]  # an ASVspoof-like dev: all of dev only


def test_ensembles_are_the_baseline_with_one_then_two_of_the_pool_in_order() -> None:
    from pathlib import Path

    from select_deepvoice import ensembles

    base, a, b, c = (Path(n) for n in "sabc")
    assert ensembles(base, [a, b, c], 2) == [
        [base, a], [base, b], [base, c], [base, a, b], [base, a, c], [base, b, c]
    ]  # fmt: skip
    assert len(ensembles(base, [Path(str(i)) for i in range(9)], 2)) == 45  # round 19's


def test_an_ensemble_scores_the_mean_logit_and_each_network_once(monkeypatch: Any) -> None:
    from pathlib import Path

    import select_deepvoice

    dev = _three_kinds()
    logits = {  # a: right about kde-pt's resynthesis, b: wrong about it
        "a": np.array([-9.0, -1.0, 3.0, 9.0, 9.0]),
        "b": np.array([-9.0, 1.0, -5.0, 9.0, 9.0]),
    }
    loads: list[str] = []
    monkeypatch.setattr(select_deepvoice, "load_model", lambda p: loads.append(p.name) or p.name)
    monkeypatch.setattr(
        select_deepvoice, "score_split", lambda m, *_: {2.0: logits[m], 4.0: logits[m]}
    )
    cache: dict[Path, Any] = {}
    alone, _ = select_deepvoice.dev_score([Path("a")], dev, cache)
    both, scores = select_deepvoice.dev_score([Path("a"), Path("b")], dev, cache)
    assert loads == ["a", "b"]  # a was not scored again
    assert np.allclose(scores, (logits["a"] + logits["b"]) / 2)
    assert both.name == "a+b"
    # b drags the resynthesis (mean -1) below the real clip (mean 0): the unseen voices fail
    assert alone.unseen_voices_4s == 0.0 and both.unseen_voices_4s == 1.0


def test_breakdown_splits_the_unseen_voices_griffin_lim_by_frame_length() -> None:
    from corpus.selection import breakdown

    dev = _three_kinds()
    frames = np.array([0, 0, 512, 256, 0])  # allison trains: her 32 ms clip is not unseen
    hidden = np.array([0.0, 1.0, -2.0, 9.0, 9.0])  # the 64 ms clip scores below the real one
    assert breakdown(hidden, dev, None, frames)["unseen GL 64 ms"] == 1.0
    found = breakdown(np.array([0.0, 1.0, 5.0, -9.0, 9.0]), dev, None, frames)
    assert found["unseen GL 64 ms"] == 0.0 and "unseen GL 32 ms" not in found
    assert not any(k.startswith("unseen GL") for k in breakdown(hidden, dev, None))
