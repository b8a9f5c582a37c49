"""Speaker-verification EER of the GE2E speaker detector on the Asterisk prompt voices.

``python scripts/eval_speaker.py [--clips-per-speaker 200] [--seed 0] [--draws 5] [--plot PNG]``

Seven speakers in eight voice sets (en_US and es_MX Allison are one voice actor: that pair
is never an impostor pair, nor each other's cohort); two pairs share a language (June and
Armelle speak French, Allison's es_MX set and July's es_CO set Spanish). Clips go to dev or
test by a hash of their file name (the same prompt lands in the same split for every voice),
and only clips with at least 1 s of VAD speech are used. Each clip takes the live path (8
kHz, VAD, 16 kHz, 1.6 s windows every 0.8 s) through the library's own code; its window
embeddings are cached.

Per draw and voice: enrol on N clips (the library's centroid and calibrated threshold), then
score "calls" of that voice (genuine) and of the other speakers (impostor) built from
disjoint clips, each call gathering clips until it holds T s of speech, scored as the
stream scores a call (speech-weighted mean of window embeddings vs the centroid). Methods:

- ``plain``: the detector as shipped (cosine with the centroid);
- ``cohort``: an experiment, not in the detector: both embeddings centred on the mean of
  the OTHER enrolled voiceprints (never the impostor's, who is not enrolled).

One global threshold (for every enrolment size and call length) is picked on dev; the
per-subscriber calibration (``callwarden.enrol.calibrate``) is centred on it, as it is on
the configured threshold in a deployment. Every number printed is on test.
"""

from __future__ import annotations

import argparse
import hashlib
import shlex
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))

from callwarden.detectors.speaker.encoder import SpeakerEncoder  # noqa: E402
from callwarden.detectors.speaker.vectors import centroid, normalise  # noqa: E402
from callwarden.enrol.calibrate import calibrate_threshold, leave_one_out  # noqa: E402
from callwarden.enrol.speech import file_windows  # noqa: E402
from callwarden.errors import AudioError  # noqa: E402
from callwarden.settings import Settings  # noqa: E402
from callwarden.weights import default_models_dir  # noqa: E402

SOUNDS = Path("/usr/share/asterisk/sounds")
SPEAKERS = {  # voice set -> speaker
    "en_US_f_Allison": "allison",
    "es_MX_f_Allison": "allison",
    "fr_CA_f_June": "june",
    "it_IT_f_Menardi": "menardi",
    "it_IT_m_Carlo": "carlo",
    "ru_RU_f_IvrvoiceRU": "ivrvoice",
    "es": "july",  # asterisk-prompt-es-co (Colombian Spanish, July E. Jimenez), raw GSM
    "fr": "armelle",  # asterisk-prompt-fr-armelle (French, Armelle Desjardins), raw GSM
}
MIN_CLIP_SPEECH_S = 1.0
METHODS = ("plain", "cohort")


@dataclass(frozen=True)
class Clip:
    """One prompt's cached evidence: window embeddings and their durations."""

    voice: str
    name: str
    split: str
    windows: np.ndarray  # (n_windows, 256)
    durations_s: np.ndarray  # (n_windows,)
    speech_s: float

    @property
    def embedding(self) -> np.ndarray:
        """The clip's embedding as the stream would see it (speech-weighted mean)."""
        return normalise(self.durations_s @ self.windows)


def split_of(name: str) -> str:
    """``dev`` or ``test`` by the sha256 of the file name relative to its voice folder."""
    return "dev" if hashlib.sha256(name.encode()).digest()[0] < 128 else "test"


def list_files(root: Path, per_voice: int, seed: int) -> list[tuple[str, str]]:
    """Up to ``per_voice`` random (voice, relative name) pairs per voice set."""
    rng = np.random.default_rng(seed)
    out = []
    for voice in SPEAKERS:
        paths = [p for p in (root / voice).rglob("*") if p.suffix in (".wav", ".gsm")]
        names = sorted(str(p.relative_to(root / voice)) for p in paths)
        picked = rng.permutation(len(names))[:per_voice]
        out += [(voice, names[i]) for i in sorted(picked)]
    return out


def embed_clips(root: Path, files: list[tuple[str, str]], settings: Settings) -> list[Clip]:
    """Run every file through the live path and the encoder (cached in memory)."""
    encoder = SpeakerEncoder.load(default_models_dir())
    speaker = settings.detectors.speaker
    clips = []
    for voice, name in tqdm(files, desc="embedding clips", unit="clip"):
        try:
            speech = file_windows(root / voice / name, speaker, settings.vad, 16000)
        except AudioError:
            continue  # silent or empty prompts (the silence/ folder)
        if speech.speech_s < MIN_CLIP_SPEECH_S or not speech.windows:
            continue
        windows = encoder.embed(list(speech.windows))
        durations = np.array([len(w) / 16000 for w in speech.windows])
        clips.append(Clip(voice, name, split_of(name), windows, durations, speech.speech_s))
    return clips


@dataclass
class Trials:
    """Scores of one condition, with the target's leave-one-out genuine scores per trial."""

    genuine: list[float]
    impostor: list[float]
    genuine_loo: list[np.ndarray]
    impostor_loo: list[np.ndarray]


def draw(
    rng: np.random.Generator, by_voice: dict[str, list[Clip]], n_enrol: int, speech_s: float
) -> tuple[dict[str, list[Clip]], dict[str, list[list[Clip]]]]:
    """Enrolment clips per voice, and the rest grouped into calls of ``speech_s``."""
    enrol, calls = {}, {}
    for voice, clips in by_voice.items():
        order = [clips[i] for i in rng.permutation(len(clips))]
        enrol[voice], calls[voice] = order[:n_enrol], []
        call: list[Clip] = []
        for clip in order[n_enrol:]:
            call.append(clip)
            if sum(c.speech_s for c in call) >= speech_s:
                calls[voice].append(call)
                call = []
    return enrol, calls


def call_embedding(call: list[Clip]) -> np.ndarray:
    """The stream's running mean at the end of the call."""
    return normalise(sum(c.durations_s @ c.windows for c in call))


def cohort_mean(
    target: str, claimant: str, centroids: dict[str, np.ndarray], rng: np.random.Generator
) -> np.ndarray:
    """Mean of the enrolled centroids of speakers other than the target and the claimant.

    A genuine trial drops one other speaker at random, so its cohort is as large as an
    impostor trial's (whose claimant is not enrolled).
    """
    others = {SPEAKERS[v] for v in centroids} - {SPEAKERS[target], SPEAKERS[claimant]}
    if claimant == target:
        others -= {sorted(others)[rng.integers(len(others))]}
    return np.mean([c for v, c in centroids.items() if SPEAKERS[v] in others], axis=0)


def score_condition(
    by_voice: dict[str, list[Clip]], n_enrol: int, speech_s: float, args: argparse.Namespace
) -> dict[str, Trials]:
    """Every trial of one (enrolment clips, call speech) condition, for each method."""
    rng = np.random.default_rng(args.seed)
    out = {m: Trials([], [], [], []) for m in METHODS}
    for _ in range(args.draws):
        enrol, calls = draw(rng, by_voice, n_enrol, speech_s)
        prints = {v: np.stack([c.embedding for c in clips]) for v, clips in enrol.items()}
        cents = {v: centroid(e) for v, e in prints.items()}
        loo = {v: leave_one_out(e) for v, e in prints.items()}
        for target in by_voice:
            for claimant in by_voice:
                if claimant != target and SPEAKERS[claimant] == SPEAKERS[target]:
                    continue
                mu = cohort_mean(target, claimant, cents, rng)
                for call in calls[claimant]:
                    x = call_embedding(call)
                    scores = {
                        "plain": min(1.0, max(0.0, float(x @ cents[target]))),
                        "cohort": float(normalise(x - mu) @ normalise(cents[target] - mu)),
                    }
                    for method, score in scores.items():
                        _add(out[method], claimant == target, score, loo[target])
    return out


def _add(trials: Trials, genuine: bool, score: float, loo: np.ndarray) -> None:
    if genuine:
        trials.genuine.append(score)
        trials.genuine_loo.append(loo)
    else:
        trials.impostor.append(score)
        trials.impostor_loo.append(loo)


def eer(genuine: Sequence[float], impostor: Sequence[float]) -> tuple[float, float]:
    """Equal error rate and its threshold (accept when score >= threshold)."""
    g, i = np.sort(genuine), np.sort(impostor)
    thresholds = np.concatenate([g, i])
    frr = np.searchsorted(g, thresholds, side="left") / len(g)
    far = 1 - np.searchsorted(i, thresholds, side="left") / len(i)
    k = int(np.argmin(np.abs(far - frr)))
    return float((far[k] + frr[k]) / 2), float(thresholds[k])


def far_frr(trials: Trials, threshold: float, calibrated: bool = False) -> tuple[float, float]:
    """FAR and FRR at ``threshold``, or at each target's threshold calibrated around it."""

    def thresholds(loos: list[np.ndarray]) -> np.ndarray:
        if not calibrated:
            return np.full(len(loos), threshold)
        return np.array([calibrate_threshold(loo, threshold) for loo in loos])

    far = float(np.mean(np.asarray(trials.impostor) >= thresholds(trials.impostor_loo)))
    frr = float(np.mean(np.asarray(trials.genuine) < thresholds(trials.genuine_loo)))
    return far, frr


def pick_global(dev: dict[tuple[int, float], dict[str, Trials]], method: str) -> float:
    """The one threshold with the least mean half total error over dev's conditions (N >= 2)."""
    grid = np.arange(0.30, 0.95, 0.005)
    conditions = [by_method[method] for (n, _), by_method in dev.items() if n >= 2]
    cost = [np.mean([sum(far_frr(t, float(g))) / 2 for t in conditions]) for g in grid]
    return float(grid[int(np.argmin(cost))])


def report(
    dev: dict[tuple[int, float], dict[str, Trials]],
    test: dict[tuple[int, float], dict[str, Trials]],
    configured: float | None,
) -> None:
    """Print test EER, FAR/FRR at the dev-chosen global threshold and calibrated around it."""
    print(
        f"{'method':<7} {'N':>2} {'T s':>4} {'genuine':>7} {'impost.':>7} {'EER %':>6} "
        f"{'at thr':>6} | {'global':>6} {'FAR/FRR %':>11} | {'calibrated FAR/FRR %':>20}"
    )
    hter: dict[str, list[float]] = defaultdict(list)
    for method in METHODS:
        centre = pick_global(dev, method) if configured is None or method != "plain" else configured
        for (n, t), by_method in test.items():
            trials = by_method[method]
            rate, thr = eer(trials.genuine, trials.impostor)
            fixed = far_frr(trials, centre)
            calibrated = far_frr(trials, centre, calibrated=True)
            if n >= 2:
                hter[f"{method} global"].append(sum(fixed) / 2)
                hter[f"{method} calibrated"].append(sum(calibrated) / 2)
            shown = _pair(calibrated) if method == "plain" else "n/a"
            print(
                f"{method:<7} {n:>2} {t:>4.0f} {len(trials.genuine):>7} {len(trials.impostor):>7}"
                f" {100 * rate:>6.2f} {thr:>6.3f} | {centre:>6.3f} {_pair(fixed):>11} |"
                f" {shown:>20}"
            )
    print("mean half total error rate over the N >= 2 rows (test):")
    for name, values in hter.items():
        if not name.startswith("cohort calibrated"):
            print(f"  {name:<18} {100 * np.mean(values):.2f} %")


def _pair(rates: tuple[float, float]) -> str:
    return f"{100 * rates[0]:.2f}/{100 * rates[1]:.2f}"


def plot_det(test: dict[tuple[int, float], dict[str, Trials]], path: Path) -> None:
    """DET curves (probit axes) of the plain detector: one panel per call length."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy.stats import norm

    lengths = sorted({t for _, t in test})
    fig, axes = plt.subplots(1, len(lengths), figsize=(5 * len(lengths), 4.5), squeeze=False)
    ticks = np.array([0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4])
    for ax, t in zip(axes[0], lengths, strict=True):
        for (n, tt), by_method in sorted(test.items()):
            if tt != t:
                continue
            g, i = np.asarray(by_method["plain"].genuine), np.asarray(by_method["plain"].impostor)
            thr = np.unique(np.concatenate([g, i]))
            frr = np.clip([np.mean(g < x) for x in thr], 1e-4, 1 - 1e-4)
            far = np.clip([np.mean(i >= x) for x in thr], 1e-4, 1 - 1e-4)
            ax.plot(norm.ppf(far), norm.ppf(frr), label=f"{n} enrolment clip(s)")
        ax.set_xticks(norm.ppf(ticks), [f"{100 * x:g}" for x in ticks])
        ax.set_yticks(norm.ppf(ticks), [f"{100 * x:g}" for x in ticks])
        ax.set_xlim(norm.ppf([0.002, 0.5]))
        ax.set_ylim(norm.ppf([0.002, 0.5]))
        ax.set(xlabel="false acceptance %", ylabel="false rejection %", title=f"calls of {t:g} s")
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.suptitle("GE2E speaker detector, Asterisk voices at 8 kHz (test split)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--clips-per-speaker", type=int, default=200, help="files per voice set")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--draws", type=int, default=5, help="random enrolment draws")
    ap.add_argument("--enrol-clips", type=int, nargs="+", default=[1, 3, 5])
    ap.add_argument("--call-speech-s", type=float, nargs="+", default=[2.0, 4.0, 8.0])
    ap.add_argument("--sounds", type=Path, default=SOUNDS)
    ap.add_argument("--threads", type=int, default=1, help="torch threads")
    ap.add_argument("--plot", type=Path, metavar="PNG", help="write DET curves here")
    ap.add_argument(
        "--threshold",
        type=float,
        help="the configured speaker threshold (default: the one dev picks for all conditions)",
    )
    args = ap.parse_args(argv)
    print("command: python " + shlex.join(["scripts/eval_speaker.py", *sys.argv[1:]]))
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    files = list_files(args.sounds, args.clips_per_speaker, args.seed)
    clips = embed_clips(args.sounds, files, Settings())
    by_split: dict[str, dict[str, list[Clip]]] = defaultdict(lambda: defaultdict(list))
    for clip in clips:
        by_split[clip.split][clip.voice].append(clip)
    for split, voices in sorted(by_split.items()):
        counts = ", ".join(f"{v} {len(c)}" for v, c in voices.items())
        print(f"{split}: {counts} clips with >= {MIN_CLIP_SPEECH_S:g} s of speech")
    results = {}
    for split in ("dev", "test"):
        results[split] = {
            (n, t): score_condition(by_split[split], n, t, args)
            for n in args.enrol_clips
            for t in args.call_speech_s
        }
    report(results["dev"], results["test"], args.threshold)
    if args.plot:
        plot_det(results["test"], args.plot)
        print(f"DET curves: {args.plot}")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
