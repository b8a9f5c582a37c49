"""Build the deep-voice corpus: ``python scripts/corpus/build.py [--small] [--out DIR]``.

Deterministic by ``--seed`` (every utterance draws from its own generator seeded by the
corpus seed and its id), parallel over ``--workers`` processes, resumable (utterances
already on disk are kept). Writes ``flac/<utt>.flac``, ``meta/<utt>.json`` and the
ASVspoof-style protocol files ``protocols/cm.{train.trn,dev.trl,eval.trl}.txt``.
``--renderings K`` passes every train synthesis through K channels (``<utt>_r1`` ...).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from functools import partial
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import soundfile as sf
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import channel
from corpus import generators as gen
from corpus.dataset import Split
from corpus.plan import FROM_RECORDINGS, RESYNTH_FAMILIES, Job, plan
from corpus.protocol import TWIN_MARK
from corpus.voices import TEST_SPEAKERS

PROTOCOL_NAMES = {"train": "cm.train.trn.txt", "dev": "cm.dev.trl.txt", "eval": "cm.eval.trl.txt"}
MAX_S = 8.0
SEED = 20240604  # the corpus seed by default


def _piece(job: Job, item: str, rng: np.random.Generator) -> np.ndarray:
    if job.family in FROM_RECORDINGS:
        return gen._read_wav(Path(item))
    if job.family == "espeak":
        return gen.espeak(item, job.voice, job.lang, rng)
    if job.family == "flite":
        return gen.flite(item, job.voice)
    if job.family == "festival":
        return gen.festival(item, job.voice)
    if job.family == "piper":
        return gen.piper(item, rng)
    if job.family == "hibari":
        return gen.hibari(item, rng)
    raise ValueError(f"unknown family {job.family}")


def _joined(job: Job, rng: np.random.Generator, target_s: float) -> np.ndarray:
    """Pieces (prompts or sentences) with short gaps between them, until ``target_s``."""
    parts: list[np.ndarray] = []
    total = 0
    for item in job.sources or job.texts:
        piece = _piece(job, item, rng)
        gap = np.zeros(int(rng.uniform(0.1, 0.35) * gen.RATE_HZ), np.float32)
        parts += [piece, gap]
        total += len(piece) + len(gap)
        if total >= target_s * gen.RATE_HZ:
            break
    return np.concatenate(parts[:-1])[: int(MAX_S * gen.RATE_HZ)]


def synthesise(job: Job, rng: np.random.Generator, target_s: float) -> np.ndarray:
    """Concatenate pieces with short gaps until ``target_s``, then resynthesise (if asked)."""
    return _resynthesised(job, _joined(job, rng, target_s), rng)


def _resynthesised(job: Job, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if job.family == "world":
        return gen.world(x, rng)
    if job.family == "griffinlim":
        return gen.griffin_lim(x, rng)
    if job.family == "melgl":
        return gen.mel_griffin_lim(x, rng)
    if job.family == "lpc10":
        return gen.lpc10(x)
    if job.family == "codec2":
        return gen.codec2(x, rng)
    return x


def twin_jobs(jobs: list[Job]) -> list[Job]:
    """The train resyntheses that get a bona fide twin (``--twins``)."""
    resynth = set(RESYNTH_FAMILIES) - {"bonafide"}
    return [j for j in jobs if j.split == "train" and j.family in resynth]


def make_twin(job: Job, seed: int, out: Path, small: bool) -> dict[str, object]:
    """The real audio a train resynthesis was made from, through the same channel (``--twins``).

    Same recordings, gaps, level, noise (the very samples) and codec as the clip
    ``job.utt_id``, time-aligned with it: the pair differs only by the resynthesis, so a
    network trained on such pairs (``train_deepvoice.py --pairs``) cannot tell them apart
    by voice, words or channel. The resynthesis is run again only for its random draws,
    which come before the channel's noise. Written as ``twin_<id>``, bona fide.
    """
    utt = TWIN_MARK + job.utt_id
    done = _read_meta(out, utt)
    if done is not None:
        return done
    rng, target, ch = _first_draws(job, seed, small)
    real = _joined(job, rng, target)
    _resynthesised(job, real, rng)
    twin = channel.apply_channel(real, ch, rng)
    return _write(replace(job, family="bonafide"), utt, 0, twin, ch, out)


def rendering_ids(job: Job, renderings: int) -> list[str]:
    """A job's utterance ids: its own, then ``<id>_r1`` ... for extra train renderings."""
    extra = range(1, renderings) if job.split == "train" else range(0)
    return [job.utt_id, *(f"{job.utt_id}_r{k}" for k in extra)]


def make(
    job: Job, seed: int, out: Path, small: bool, renderings: int = 1
) -> list[dict[str, object]]:
    """Make one utterance and its extra renderings (or read back those already on disk).

    Rendering 0 is the clip every corpus has; renderings 1 ... (train only) pass the same
    synthesis through channels of their own, each drawn from its own seed: the same words
    and voice, clean, under noise or hold music, then a codec, as a call would give them.
    """
    ids = rendering_ids(job, renderings)
    done = [_read_meta(out, utt) for utt in ids]
    if all(m is not None for m in done):
        return [m for m in done if m is not None]
    rng, target, ch = _first_draws(job, seed, small)
    clean = synthesise(job, rng, target)
    metas = []
    for k, (utt, meta) in enumerate(zip(ids, done, strict=True)):
        if meta is None:
            draw = rng if k == 0 else np.random.default_rng([seed, job.seed_key, k])
            drawn = ch if k == 0 else channel.draw_channel(draw)
            meta = _write(job, utt, k, channel.apply_channel(clean, drawn, draw), drawn, out)
        metas.append(meta)
    return metas


def _first_draws(
    job: Job, seed: int, small: bool
) -> tuple[np.random.Generator, float, channel.Channel]:
    """The utterance's own generator after its first draws: length target, then channel."""
    rng = np.random.default_rng([seed, job.seed_key])
    target = rng.uniform(1.5, 2.5) if small else rng.uniform(4.2, 6.0)
    return rng, target, channel.draw_channel(rng)


def griffin_lim_frames(split: Split, seed: int = SEED) -> np.ndarray:
    """The STFT size (samples) each Griffin-Lim clip of ``split`` was made with; 0 for others.

    Replayed from the corpus seed (every utterance draws from its own generator), reading
    the real recordings the utterance joins but synthesising nothing, for a full or a
    ``--small`` corpus. Each replay is checked against its clip's length: a clip the replay
    does not reproduce (another seed, a cut cache, ids this code does not plan) gets 0.
    """
    out = np.zeros(len(split), np.int64)
    if not any(str(u).startswith("griffinlim_") for u in split.utt_ids):
        return out  # nothing to replay (ASVspoof, say): the voice packages are not needed
    plans: dict[bool, dict[str, Job]] = {}  # planned on first need: the small one rarely is
    lengths = np.diff(split.offsets)
    for i, utt in enumerate(split.utt_ids):
        if not str(utt).startswith("griffinlim_"):
            continue
        for small in (False, True):
            if small not in plans:
                jobs = plan(seed, 0.03 if small else 1.0, wide_eval=True)
                plans[small] = {j.utt_id: j for j in jobs}
            job = plans[small].get(str(utt))
            if job is None or job.family != "griffinlim":
                continue
            rng, target, _ = _first_draws(job, seed, small)
            if len(_joined(job, rng, target)) == lengths[i]:
                out[i] = gen.griffin_lim_draw(rng).n_fft
                break
    return out


def _read_meta(out: Path, utt: str) -> dict[str, object] | None:
    meta_path = out / "meta" / f"{utt}.json"
    if meta_path.exists() and (out / "flac" / f"{utt}.flac").exists():
        return dict(json.loads(meta_path.read_text()))
    return None


def _write(
    job: Job, utt: str, rendering: int, x: np.ndarray, ch: channel.Channel, out: Path
) -> dict[str, object]:
    sf.write(str(out / "flac" / f"{utt}.flac"), x, gen.RATE_HZ, subtype="PCM_16")
    meta = {
        "utt_id": utt,
        "speaker": job.speaker,
        "family": job.family,
        "voice": job.voice,
        "split": job.split,
        "label": job.label,
        "lang": job.lang,
        "duration_s": len(x) / 8000,
        "codec": ch.codec,
        "noise": ch.noise,
        "snr_db": round(ch.snr_db, 1),
        "rendering": rendering,
    }
    (out / "meta" / f"{utt}.json").write_text(json.dumps(meta))
    return meta


def write_protocols(metas: list[dict[str, object]], out: Path) -> None:
    """ASVspoof-style lines ``speaker utt_id - system label`` (system ``-`` for bona fide).

    Each file is written beside its place and renamed over it, so a corpus copied with
    hard links (``cp -al``) keeps its own protocols when the copy is rebuilt.
    """
    (out / "protocols").mkdir(exist_ok=True)
    for split, name in PROTOCOL_NAMES.items():
        lines = [
            f"{m['speaker']} {m['utt_id']} - "
            f"{'-' if m['label'] == 'bonafide' else m['family']} {m['label']}"
            for m in metas
            if m["split"] == split
        ]
        tmp = out / "protocols" / f".{name}.tmp"
        tmp.write_text("\n".join(lines) + "\n")
        tmp.replace(out / "protocols" / name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("data/deepvoice/corpus"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--small", action="store_true", help="a handful of short clips (tests)")
    ap.add_argument(
        "--test-speakers",
        default=",".join(sorted(TEST_SPEAKERS)),
        help="comma-separated real speakers held out for eval ('' = none: a deployment model)",
    )
    ap.add_argument(
        "--previous",
        action="store_true",
        help="only the corpus from before the KDE voices and melgl (DeepDetection's card)",
    )
    ap.add_argument(
        "--more-voices",
        action="store_true",
        help="add the Tux Paint and Fish Fillets voices to train and dev (not the shipped corpus)",
    )
    ap.add_argument(
        "--wide-eval",
        action="store_true",
        help="add to eval the Tux Paint and Fish Fillets voices the default corpus never "
        "uses (fifteen real eval speakers instead of nine; not with --more-voices)",
    )
    ap.add_argument(
        "--gcloud-train",
        action="store_true",
        help="train on three of the Google voices (round 24: stage 7's last fine-tune); "
        "the wide eval keeps the other three",
    )
    ap.add_argument(
        "--vocoders",
        action="store_true",
        help="add LPC-10 and Codec 2 copies of the train voices to train (round 25; not "
        "the shipped corpus)",
    )
    ap.add_argument(
        "--renderings",
        type=int,
        default=1,
        help="channels per train utterance: 1 = one, K = the same synthesis through K "
        "channels (ids <utt>_r1 ...; dev and eval keep one)",
    )
    ap.add_argument(
        "--twins",
        action="store_true",
        help="give every train resynthesis a bona fide twin, the real audio it was made "
        "from through the same channel (ids twin_<utt>; for train_deepvoice.py --pairs)",
    )
    args = ap.parse_args(argv)
    if args.renderings < 1:
        ap.error("--renderings must be at least 1")
    if args.wide_eval and (args.more_voices or args.previous):
        ap.error("--wide-eval holds voices --more-voices trains on; use one or the other")
    for sub in ("flac", "meta"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    held_out = frozenset(s for s in args.test_speakers.split(",") if s)
    jobs = plan(
        args.seed,
        scale=0.03 if args.small else 1.0,
        test_speakers=held_out,
        previous=args.previous,
        more_voices=args.more_voices,
        wide_eval=args.wide_eval,
        gcloud_train=args.gcloud_train,
        vocoders=args.vocoders,
    )
    work = partial(make, seed=args.seed, out=args.out, small=args.small, renderings=args.renderings)
    start = time.monotonic()
    with Pool(args.workers) as pool:
        made = list(tqdm(pool.imap(work, jobs, chunksize=2), total=len(jobs), desc="corpus"))
        if args.twins:
            twin = partial(make_twin, seed=args.seed, out=args.out, small=args.small)
            pairs = twin_jobs(jobs)
            twins = tqdm(pool.imap(twin, pairs, chunksize=2), total=len(pairs), desc="twins")
            made.append(list(twins))
    metas = [m for ms in made for m in ms]
    write_protocols(metas, args.out)
    hours = sum(float(str(m["duration_s"])) for m in metas) / 3600
    print(f"{len(metas)} utterances, {hours:.2f} h, {time.monotonic() - start:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
