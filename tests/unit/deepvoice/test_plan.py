"""The corpus plan and its voices: which real voices train, calibrate the threshold and test."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from corpus.gcloud import GCLOUD_TRAIN, GCLOUD_VOICES, QABCS_DIR, gcloud_files
from corpus.plan import (
    DEV_TTS_ADDED,
    DEV_TTS_MORE,
    DEV_TTS_SPEAKERS,
    DEV_TTS_VOICES,
    GCLOUD_TRAIN_COUNT,
    HELD_OUT_FAMILIES,
    TTS_VOICES,
    WIDE_GCLOUD_COUNT,
    Job,
    is_wide,
    plan,
)
from corpus.voices import (
    DEV_SPEAKERS,
    FILLETS_DIR,
    KDE_DEV,
    KDE_DIRS,
    KDE_TEST,
    SOUNDS_DIR,
    TEST_SPEAKERS,
    TUXPAINT_DIR,
    VOICE_SETS,
    WIDE_TUX,
    fillets_leads,
    fillets_sets,
    kde_sets,
    prompt_files,
    tuxpaint_sets,
    wide_sets,
)

GSM_SETS = {"es_CO_f_Colombia": "es_co", "fr_FR_f_Armelle": "armelle"}
needs_kde = pytest.mark.skipif(
    not all(d.is_dir() for d in KDE_DIRS.values()),
    reason="ktuberling-data / klettres-data not installed",
)
needs_more = pytest.mark.skipif(
    not (TUXPAINT_DIR.is_dir() and FILLETS_DIR.is_dir()),
    reason="tuxpaint-stamps-default / fillets-ng-data-cs / fillets-ng-data-nl not installed",
)


def test_test_speakers_keep_two_unseen_voices_besides_the_new_ones() -> None:
    assert {"june", "menardi", "armelle"} <= TEST_SPEAKERS
    assert "es_co" not in TEST_SPEAKERS
    assert {VOICE_SETS[k][1] for k in GSM_SETS} == set(GSM_SETS.values())
    assert not TEST_SPEAKERS & DEV_SPEAKERS
    assert "kde-fr" in TEST_SPEAKERS  # French bona fide is test-only, like French espeak


@pytest.mark.skipif(
    not (SOUNDS_DIR / "es").is_dir() or not (SOUNDS_DIR / "fr").is_dir(),
    reason="asterisk-prompt-es-co / asterisk-prompt-fr-armelle not installed",
)
def test_gsm_prompts_are_planned_in_their_splits() -> None:
    files = prompt_files("fr")
    assert files and all(p.suffix == ".gsm" for p in files)
    assert not any("beep" in str(p) for p in files)
    jobs = plan(seed=1, scale=0.03)
    splits = {
        speaker: {j.split for j in jobs if j.speaker == speaker} for speaker in GSM_SETS.values()
    }
    assert splits == {"es_co": {"train", "dev"}, "armelle": {"eval"}}
    sources = [Path(s) for j in jobs if j.speaker == "armelle" for s in j.sources]
    assert sources and all(s.parent.parts[:6] == (SOUNDS_DIR / "fr").parts for s in sources)


@needs_kde
def test_kde_sets_group_one_language_as_one_speaker_and_skip_copies() -> None:
    sets = kde_sets()
    assert not any("@" in k for k in sets)  # sr@latin ... are copies of sr
    assert sets["kde_klettres_en_GB"][1] == sets["kde_ktuberling_en"][1] == "kde-en"
    assert "kde_ktuberling_sv" not in sets  # 14 s of words: too little
    for folder, _, _ in sets.values():
        assert sum(1 for _ in prompt_files(folder)) >= 20


@needs_more
def test_tux_paint_sets_are_one_speaker_per_language_without_copies_or_test_languages() -> None:
    sets = tuxpaint_sets()
    assert {"tux_ca", "tux_be", "tux_ru", "tux_es", "tux_ro"} <= sets.keys()
    assert not {"tux_fr", "tux_nl"} & sets.keys()  # KDE fr and nl test: maybe the same people
    assert "tux_bg" not in sets  # flagged as synthetic by the shipped model: left out
    for vs in sets.values():
        assert vs.words and vs.speaker == f"tux-{vs.lang}"
        suffix = "_desc.ogg" if vs.lang == "en" else f"_desc_{vs.lang}.ogg"
        assert all(f.name.endswith(suffix) for f in vs.files)
        digests = {hashlib.sha1(f.read_bytes()).digest() for f in vs.files}
        assert len(digests) == len(vs.files)  # the same recording under two stamps: once
        if vs.lang in KDE_DEV:  # its KDE voice calibrates the threshold: it may be the same
            assert vs.speaker in DEV_SPEAKERS


@needs_more
def test_fillets_sets_are_the_acted_dialogue_without_sound_effects() -> None:
    sets = fillets_sets()
    assert set(sets) == {"fillets_nl"}  # the Czech leads are dev voices: no Czech trains
    leads = fillets_leads("cs")
    assert set(leads) == {"fillets_cs_m", "fillets_cs_v"}
    assert set(leads["fillets_cs_m"].files).isdisjoint(leads["fillets_cs_v"].files)
    for vs in [*sets.values(), *leads.values()]:
        assert len(vs.files) > 500 and not vs.words
        assert all(f.parent.name == vs.lang and "-x-" not in f.name for f in vs.files)


@needs_kde
@needs_more
def test_every_real_speaker_lives_in_one_role_and_dev_speakers_never_train() -> None:
    jobs = plan(seed=1, more_voices=True)
    roles: dict[str, set[str]] = {}
    for job in jobs:
        roles.setdefault(job.speaker, set()).add(job.split)
    for speaker in DEV_SPEAKERS:
        assert roles[speaker] == {"dev"}, speaker
    for speaker in TEST_SPEAKERS:
        assert roles[speaker] == {"eval"}, speaker
    trainers = {s for s, r in roles.items() if "train" in r}
    assert len([s for s in trainers if s.startswith("kde-")]) >= 6
    assert {"fillets-nl", "tux-ru", "tux-es"} <= trainers
    assert {"fillets-cs-m", "fillets-cs-v"} <= DEV_SPEAKERS
    assert trainers.isdisjoint(DEV_SPEAKERS | TEST_SPEAKERS)
    # no recording is used (as itself or resynthesised) in two splits
    splits_of: dict[str, set[str]] = {}
    for job in jobs:
        for source in job.sources:
            splits_of.setdefault(source, set()).add(job.split)
    assert splits_of and all(len(s) == 1 for s in splits_of.values())


@needs_kde
def test_the_small_plan_keeps_one_kde_set_per_role() -> None:
    jobs = plan(seed=1, scale=0.03)
    kde = {(j.speaker, j.split) for j in jobs if j.speaker.startswith("kde-")}
    speakers = {s for s, _ in kde}
    assert len(speakers) == 3
    assert {s for s, split in kde if split == "eval"} <= TEST_SPEAKERS
    assert {s for s in speakers if s in DEV_SPEAKERS}


def test_the_previous_corpus_is_the_same_jobs_without_kde_voices_melgl_or_hibari() -> None:
    full = {j.utt_id: j for j in plan(seed=1, scale=0.03)}
    previous = plan(seed=1, scale=0.03, previous=True)
    assert previous and all(full[j.utt_id] == j for j in previous)
    assert not any(j.family in ("melgl", "hibari") for j in previous)
    assert not any(j.speaker.startswith("kde-") for j in previous)
    assert len(previous) < len(full)


def test_piper_only_tests_and_hibari_only_trains_and_tunes() -> None:
    splits: dict[str, set[str]] = {}
    for job in plan(seed=1):
        splits.setdefault(job.family, set()).add(job.split)
    assert splits["piper"] == {"eval"}  # the held-out family: never trained, never tuned on
    assert splits["hibari"] == {"train", "dev"}  # the neural TTS that trains


@pytest.mark.skipif(not SOUNDS_DIR.is_dir(), reason="Asterisk voices not installed")
def test_the_previous_corpus_keeps_its_size() -> None:
    # the 1,839 clips DeepDetection's card was measured on; later counts must not leak in
    assert len(plan(seed=20240604, previous=True)) == 1839


@needs_kde
@needs_more
def test_the_shipped_models_corpus_keeps_its_size_and_more_voices_leave_eval_alone() -> None:
    default = plan(seed=20240604)

    # the corpus the shipped weights and threshold came from; dev has since gained only TTS
    # voices that never train (DEV_TTS_VOICES) and more resyntheses of its unseen voices
    # (each of those had 2 per family), whose first two are the clips it had
    # and Fish Fillets' Czech leads (acted speech) with their resyntheses
    def before(j: Job) -> bool:
        later = j.speaker in DEV_SPEAKERS and j.family != "bonafide" and int(j.utt_id[-4:]) >= 2
        actor = j.speaker.startswith("fillets-")
        return j.speaker not in DEV_TTS_SPEAKERS and not later and not actor

    assert len([j for j in default if before(j)]) == 4086
    added = [j for j in default if not before(j) and j.speaker not in DEV_TTS_SPEAKERS]
    assert {j.split for j in added} == {"dev"}
    assert len(added) == 6 * (10 + 10 + 6) + 2 * (20 + 12 + 12 + 8)
    volunteers = {j.speaker for j in default if j.speaker.startswith(("tux-", "fillets-"))}
    assert volunteers == {"fillets-cs-m", "fillets-cs-v"}
    more = plan(seed=20240604, more_voices=True)
    assert {j.utt_id for j in default} < {j.utt_id for j in more}
    assert [j for j in more if j.split == "eval"] == [j for j in default if j.split == "eval"]


def test_dev_only_tts_voices_never_train_or_test() -> None:
    jobs = plan(seed=1)
    splits: dict[str, set[str]] = {}
    for job in jobs:
        splits.setdefault(job.speaker, set()).add(job.split)
    assert all(splits[speaker] == {"dev"} for speaker in DEV_TTS_SPEAKERS)
    for family, voices in [*DEV_TTS_VOICES.items(), *DEV_TTS_MORE.items()]:
        train, test = TTS_VOICES[family]
        assert not set(voices) & {*train, *test}
    russian = [j for j in jobs if j.voice == "msu_ru"]
    assert russian and all(j.lang == "ru" for j in russian)  # it speaks Russian only
    added = [j for j in jobs if j.speaker in DEV_TTS_ADDED]
    assert len(added) == 9 * 12 and len({j.speaker for j in added}) == 9
    assert {j.lang for j in added if j.voice.startswith(("it_", "fi_"))} == {"it"}
    assert not any(j.speaker in DEV_TTS_SPEAKERS for j in plan(seed=1, previous=True))


@needs_kde
@needs_more
def test_the_wide_eval_adds_only_eval_clips_of_voices_nothing_else_uses() -> None:
    default = plan(seed=20240604)
    wide = plan(seed=20240604, wide_eval=True)
    assert wide[: len(default)] == default  # the default corpus, clip for clip
    added = wide[len(default) :]
    assert {j.split for j in added} == {"eval"}
    assert is_wide(np.array([j.utt_id for j in wide])).tolist() == [False] * len(default) + [
        True
    ] * len(added)
    real = {j.speaker for j in added if j.family == "bonafide"}
    assert len(real) == 6  # eval's nine real speakers become fifteen
    assert {"fillets-nl-m", "fillets-nl-v"} <= real
    assert real.isdisjoint(j.speaker for j in default)
    # no Tux Paint language whose KDE volunteer trains or tunes (maybe the same person)
    kde_groups = {speaker.removeprefix("kde-") for _, speaker, _ in kde_sets().values()}
    trains_or_tunes = kde_groups - KDE_TEST
    assert WIDE_TUX.isdisjoint(trains_or_tunes) and "bg" not in WIDE_TUX
    # every recording belongs to one wide voice, and the two fish are different files
    owner: dict[str, str] = {}
    for job in added:
        for source in job.sources:
            assert owner.setdefault(source, job.speaker) == job.speaker
    fish = wide_sets()
    assert set(fish["wide_fillets_nl_m"].files).isdisjoint(fish["wide_fillets_nl_v"].files)
    # the TTS clips are eval's unseen voices with new texts, never a training voice
    tts = [j for j in added if j.texts]
    assert tts and all(j.voice in TTS_VOICES[j.family][1] for j in tts)


def test_the_wide_eval_refuses_the_corpus_that_trains_on_its_voices() -> None:
    with pytest.raises(ValueError, match="more-voices"):
        plan(seed=1, scale=0.03, more_voices=True, wide_eval=True)


def test_gcloud_files_are_a_languages_rendered_words_and_letters(tmp_path: Path) -> None:
    for sub, name in (("words", "apple.ogg"), ("alpha", "a.ogg"), ("words", "notes.txt")):
        (tmp_path / "en" / "sounds" / sub).mkdir(parents=True, exist_ok=True)
        (tmp_path / "en" / "sounds" / sub / name).write_bytes(b"")
    found = gcloud_files("en", tmp_path)
    assert [p.name for p in found] == ["a.ogg", "apple.ogg"]  # sorted, Ogg only
    assert gcloud_files("de", tmp_path) == ()  # not installed: nothing, no error


@pytest.mark.skipif(not QABCS_DIR.is_dir(), reason="qabcs-data not installed")
def test_gcloud_is_a_held_out_family_of_the_wide_eval_only() -> None:
    assert "gcloud" in HELD_OUT_FAMILIES
    assert not any(j.family == "gcloud" for j in plan(seed=20240604))  # the default corpus
    jobs = [j for j in plan(seed=20240604, wide_eval=True) if j.family == "gcloud"]
    assert {j.split for j in jobs} == {"eval"} and {j.label for j in jobs} == {"spoof"}
    assert is_wide(np.array([j.utt_id for j in jobs])).all()
    by_voice: dict[str, list[Job]] = {}
    for job in jobs:
        by_voice.setdefault(job.speaker, []).append(job)
    assert sorted(by_voice) == sorted(f"gcloud-{lang}" for lang in GCLOUD_VOICES)
    assert all(len(v) == WIDE_GCLOUD_COUNT for v in by_voice.values())
    for job in jobs:  # each clip joins its own language's renderings, never another's
        own = {str(p) for p in gcloud_files(job.lang)}
        assert job.sources and set(job.sources) <= own and job.speaker == f"gcloud-{job.lang}"


@pytest.mark.skipif(not QABCS_DIR.is_dir(), reason="qabcs-data not installed")
def test_round_24s_corpus_trains_three_google_voices_and_tests_the_other_three() -> None:
    wide = plan(seed=20240604, wide_eval=True)
    trained = plan(seed=20240604, wide_eval=True, gcloud_train=True)
    google = [j for j in trained if j.family == "gcloud"]
    splits: dict[str, set[str]] = {}
    for job in google:
        splits.setdefault(job.lang, set()).add(job.split)
    assert {g for g, s in splits.items() if s == {"train"}} == set(GCLOUD_TRAIN)
    assert {g for g, s in splits.items() if s == {"eval"}} == set(GCLOUD_VOICES) - {*GCLOUD_TRAIN}
    assert sum(j.split == "train" for j in google) == len(GCLOUD_TRAIN) * GCLOUD_TRAIN_COUNT
    # everything else is the wide eval's corpus, clip for clip: dev above all
    others = [j for j in trained if j.family != "gcloud"]
    assert others == [j for j in wide if j.family != "gcloud"]
    held = {j.utt_id for j in google if j.split == "eval"}
    assert held == {j.utt_id for j in wide if j.family == "gcloud" and j.lang not in GCLOUD_TRAIN}
