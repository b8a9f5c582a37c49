"""Corpus -> train -> evaluate, end to end on the --small corpus (a handful of clips)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus.gcloud import QABCS_DIR  # noqa: E402
from corpus.voices import DEV_SPEAKERS, FILLETS_DIR, TUXPAINT_DIR  # noqa: E402

PY = sys.executable
NEEDS = ("espeak-ng", "flite", "text2wave", "sox")


@pytest.mark.skipif(
    any(shutil.which(t) is None for t in NEEDS)
    or not Path("/usr/share/asterisk/sounds/en_US_f_Allison").is_dir()
    or not (TUXPAINT_DIR.is_dir() and FILLETS_DIR.is_dir() and QABCS_DIR.is_dir()),
    reason="corpus tools, Asterisk, Tux Paint, Fish Fillets or qABCs voices not installed",
)
def test_small_corpus_train_and_evaluate(tmp_path: Path) -> None:
    corpus, cache, model, report = (tmp_path / n for n in ("corpus", "cache", "m.pt", "report"))

    def run(*args: str) -> str:
        done = subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    build = ["scripts/corpus/build.py", "--small", "--out", str(corpus), "--renderings", "2"]
    out = run(*build, "--wide-eval", "--twins")
    assert "utterances" in out
    protocols = sorted(p.name for p in (corpus / "protocols").iterdir())
    assert protocols == ["cm.dev.trl.txt", "cm.eval.trl.txt", "cm.train.trn.txt"]
    eval_lines = (corpus / "protocols" / "cm.eval.trl.txt").read_text().split("\n")
    assert any(" piper spoof" in line for line in eval_lines)  # the held-out family
    assert any(" gcloud spoof" in line for line in eval_lines)  # the wide eval's second
    train_text = (corpus / "protocols" / "cm.train.trn.txt").read_text()
    assert "piper" not in train_text and "gcloud" not in train_text
    assert " hibari spoof" in train_text  # the neural TTS that trains
    assert not any(f"{s} " in train_text for s in ("june", "menardi", "armelle"))
    # every train utterance twice (its own channel and one more), dev and eval once; every
    # train resynthesis has one bona fide twin (--twins), which pairs with its first rendering
    lines = [line.split() for line in train_text.split("\n") if line]
    twins = sorted(u.removeprefix("twin_") for _, u, _, _, label in lines if u.startswith("twin_"))
    assert {label for _, u, _, _, label in lines if u.startswith("twin_")} == {"bonafide"}
    assert twins == sorted(
        u for _, u, _, system, _ in lines
        if system in ("world", "griffinlim", "melgl") and not u.endswith("_r1")
    )  # fmt: skip
    train_ids = [u for _, u, *_ in lines if not u.startswith("twin_")]
    assert sorted(i for i in train_ids if not i.endswith("_r1")) == sorted(
        i.removesuffix("_r1") for i in train_ids if i.endswith("_r1")
    )
    dev_text = (corpus / "protocols" / "cm.dev.trl.txt").read_text()
    assert "_r1 " not in " ".join(eval_lines) and "_r1 " not in dev_text
    assert "gcloud" not in dev_text
    dev_speakers = {line.split()[0] for line in dev_text.split("\n") if line}
    unseen = dev_speakers & DEV_SPEAKERS  # KDE voices kept out of training for the threshold
    assert not any(f"{s} " in train_text for s in unseen)
    common = ["--data", str(corpus), "--cache-dir", str(cache)]
    out = run(
        "scripts/train_deepvoice.py",
        *common,
        "--out",
        str(model),
        "--epochs",
        "3",
        "--stop-epoch",
        "1",
        "--steps",
        "2",
        "--batch",
        "8",
    )
    assert model.exists() and "dev EER" in out
    assert "epoch  1 " in out and "epoch  2 " not in out  # stopped, as --stop-epoch says
    # caches to carry to a GPU machine, the train split in two parts; training reads both
    pack = tmp_path / "pack"
    out = run("scripts/train_deepvoice.py", *common, "--pack", str(pack), "--pack-parts", "2")
    assert sorted(f.name for f in (pack / "p0").iterdir()) == ["corpus.txt", "dev.npz", "train.npz"]
    assert [f.name for f in (pack / "p1").iterdir()] == ["train.npz"]
    assert (pack / "music.npz").stat().st_size > 0  # hold music for --noise, carried along
    parts = [str(pack / "p0"), str(pack / "p1")]
    fine = ["--init", str(model), "--epochs", "1", "--steps", "1", "--batch", "4"]
    fine += ["--noise", "0.5", "--music", str(pack / "music.npz"), "--anchor", "0.5"]
    fine += ["--teachers", str(model), str(model)]  # an ensemble distilled (two alike here)
    fine += ["--rawboost", "0.5", "--adversary", "0.3", "--adversary-on", "real"]
    fine += ["--long-window", "512"]  # a second analysis window grafted on at zero weight
    fine += ["--pairs", "2"]  # resyntheses beside their real twins, ranked
    moved = sorted(unseen)[:1]  # a never-trained dev voice trains (round 32's cross-fitting)
    fine += ["--dev-voices-train", *moved] if moved else []
    out = run(
        "scripts/train_deepvoice.py", "--packed", *parts, *fine, "--out", str(tmp_path / "f.pt")
    )
    n_train = len((corpus / "protocols" / "cm.train.trn.txt").read_text().split()) // 5
    # the weights say which corpus the packed folders were cut from
    assert torch.load(tmp_path / "f.pt", weights_only=False)["meta"]["data"] == corpus.name
    n_moved = sum(1 for line in dev_text.split("\n") if line and line.split()[0] in moved)
    assert f"train {n_train + n_moved} clips, dev {len(dev_text.split()) // 5 - n_moved}" in out
    assert f"{len(twins)} resynthesis/twin pairs" in out  # pairs across the two parts
    # a blend of parent and fine-tune, then the dev rule over candidates
    blend = str(tmp_path / "blend.pt")
    run("scripts/interpolate_deepvoice.py", str(model), str(tmp_path / "f.pt"), "0.25", blend)
    for tuned in (tmp_path / "f.pt", Path(blend)):  # the plain parent was grafted to blend
        assert torch.load(tuned, weights_only=False)["config"]["long_window"] == 512
    select = ["scripts/select_deepvoice.py", *common, "--baseline", str(model), "--breakdown"]
    table = tmp_path / "trade" / "select.json"  # a folder that does not exist yet
    out = run(*select, blend, blend, "--json", str(table))
    assert "unseen TTS 4 s" in out and "pick: " in out
    # the same table as JSON, and the plot of candidates on dev's two never-trained proxies
    written = json.loads(table.read_text())
    assert [r["name"] for r in written["candidates"]] == [blend, blend]
    chosen = written["pick"]
    assert (f"pick: {chosen}" if chosen else "pick: none qualifies") in out
    row = written["candidates"][0]
    assert f"{100 * row['eer_2s']:8.2f} {100 * row['eer_4s']:8.2f}" in out
    png = tmp_path / "trade.png"
    run("scripts/plot_dev_trade.py", str(table), str(table), "--out", str(png))
    assert png.read_bytes()[:4] == b"\x89PNG"
    # how far apart dev can tell them: one paired row per candidate
    paired = out.split("paired with the baseline")[1].split("dev EER % at 4 s")[0]
    assert paired.count("blend.pt") == 2 and paired.count("..") >= 2
    # ensembles of the baseline with each listed network (mean logit), one row each
    ensembles = run(*select, blend, str(tmp_path / "f.pt"), "--ensembles", "1")
    assert (
        f"{model}+{blend}"[-44:] in ensembles and f"{model}+{tmp_path / 'f.pt'}"[-44:] in ensembles
    )
    # the dev breakdown: one more row per model, with the noise groups from the metadata
    # (two rows each in the table, the paired rows and the breakdown)
    assert out.count("blend.pt") == 6 and "noise none" in out and "dev EER % at 4 s" in out
    out = run(
        "scripts/eval_deepvoice.py",
        *common,
        "--model",
        str(model),
        "--report",
        str(report),
        "--rtf-s",
        "2",
        "--against",
        str(model),
    )
    assert "held-out family (piper)" in out and "held-out speakers x voices" in out
    assert "held-out family (gcloud)" in out  # its own condition, kept out of the speakers'
    counts_all = {r["condition"]: r["n_spoof"] for r in rows_of(report) if r["speech_s"] == 4.0}
    families = counts_all["held-out family (piper)"] + counts_all["held-out family (gcloud)"]
    assert families + counts_all["held-out speakers x voices"] == counts_all["all"]
    # the corpus's metadata splits held-out speakers by the noise the channel added
    by_noise = {r["condition"] for r in rows_of(report)}
    assert {c for c in by_noise if c.startswith("held-out speakers, ")}
    # the wide eval's voices and eval's first nine, each against its own real clips
    counts = {r["condition"]: r["n_bona"] for r in rows_of(report) if r["speech_s"] == 4.0}
    first, wide = counts["held-out speakers, first nine"], counts["held-out speakers, wide eval"]
    assert first > 0 and wide > 0 and first + wide == counts["held-out speakers x voices"]
    assert "RTF on one core" in out and "command: python scripts/eval_deepvoice.py" in out
    who = "unseen dev speakers'" if unseen else "dev bona fide"
    assert "operating threshold" in out and f"{who} false alarms <= 2 %" in out
    for name in ("det.png", "histograms.png", "results.json"):
        assert (report / name).stat().st_size > 0
    rows = json.loads((report / "results.json").read_text())["rows"]
    assert {r["speech_s"] for r in rows} == {0.5, 1.0, 2.0, 4.0}
    assert all(0.0 <= r["eer"] <= 1.0 for r in rows)
    assert all(0.0 <= r["eer_interval_95"][0] <= r["eer_interval_95"][1] <= 1.0 for r in rows)
    # a model paired with itself differs by nothing, in every resample
    paired = out.split("paired with")[1].split("per system")[0].splitlines()[2:]
    assert paired and all(line.split()[-2:] == ["+0.00", "+0.00..+0.00"] for line in paired)
    operating = json.loads((report / "results.json").read_text())["operating"]
    assert 0.0 < operating["threshold"] < 1.0 and "real, all" in operating["eval"]
    # dev's TTS voices that never train are scored on their own (the unseen-voice proxy)
    assert "dev EER, TTS voices only in dev (never trained)" in out
    assert set(operating["dev_eer_unseen_tts"]) == set(operating["dev_eer"])
    # the data check: how often the model calls each real voice of train synthetic
    out = run("scripts/flag_voice_sets.py", *common, "--model", str(model))
    assert "clean flagged" in out and "allison" in out
    dd_models = tmp_path / "dd"
    out = run(
        "scripts/train_deepdetection.py",
        *common,
        "--out-dir",
        str(dd_models),
        "--ae-steps",
        "2",
        "--cls-steps",
        "2",
        "--windows",
        "2",
    )
    assert "'deep_voice'" in out
    enc, cls = dd_models / "deepdetection_encoder.pt", dd_models / "deepdetection_classifier.pt"
    assert enc.exists() and cls.exists()
    out = run("scripts/eval_deepdetection.py", *common, "--models-dir", str(dd_models))
    assert "F1 deep" in out and "paper" in out and "operating threshold" in out


def rows_of(report: Path) -> list[dict[str, object]]:
    """The EER rows of an eval report's ``results.json``."""
    return list(json.loads((report / "results.json").read_text())["rows"])
