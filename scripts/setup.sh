#!/usr/bin/env bash
# Installs everything CallWarden needs on a fresh Debian 12 machine: system packages
# (real speech, SIP peers, TTS voices, sox) and a .venv with the pinned Python packages.
# Safe to re-run: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  sox libsox-fmt-all libsndfile1
  asterisk-core-sounds-en-wav asterisk-core-sounds-es-wav asterisk-core-sounds-fr-wav
  asterisk-core-sounds-it-wav asterisk-core-sounds-ru-wav asterisk-prompt-it-menardi-wav
  asterisk-prompt-es-co asterisk-prompt-fr-armelle asterisk-moh-opsound-wav
  ktuberling-data klettres-data tuxpaint-stamps-default fillets-ng-data-cs fillets-ng-data-nl
  qabcs-data codec2
  sip-tester baresip
  espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts festvox-ru
  festvox-czech-dita festvox-czech-krb festvox-czech-machac festvox-czech-ph
  festvox-ca-ona-hts festvox-suopuhe-lj festvox-suopuhe-mv festvox-italp16k festvox-itapc16k
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.callwarden-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ scripts/setup.sh -nt "$stamp" ] \
    || [ scripts/requirements-corpus.txt -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/pip install -q --upgrade pip
  # torch first and pinned: a CPU wheel; anything unpinned would pull a multi-GB CUDA build.
  .venv/bin/pip install -q torch==2.13.0
  .venv/bin/pip install -q -e ".[dev]"
  # resemblyzer's metadata pulls the broken webrtcvad sdist; webrtcvad-wheels provides it.
  .venv/bin/pip install -q --no-deps resemblyzer==0.1.4
  # The deep-voice corpus builder's generators (neural TTS voice, WORLD vocoder).
  .venv/bin/pip install -q -r scripts/requirements-corpus.txt
  touch "$stamp"
fi
echo "setup: ready"
