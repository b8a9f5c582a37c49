#!/usr/bin/env bash
# `make demo`: enrol a subscriber from real recordings (Asterisk's Allison voice), then
# screen a recording of the same voice, one of another speaker and a synthetic voice,
# verify the audit log, and screen real SIP calls on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
CW=.venv/bin/callwarden
SOUNDS=/usr/share/asterisk/sounds
ALLISON=$SOUNDS/en_US_f_Allison
CONFIG=config/examples/demo.yaml
DEMO=var/demo

rm -rf "$DEMO" && mkdir -p "$DEMO"
cat > "$DEMO/consent.yaml" <<YAML
subscriber: allison
consent: yes
signed_by: Allison (demo subscriber)
date: 2026-11-29
statement: I agree that CallWarden stores a voiceprint of my voice to protect my calls.
YAML

echo "== 1. enrol subscriber 'allison' from three real recordings"
$CW enroll --config "$CONFIG" --subscriber allison --consent "$DEMO/consent.yaml" \
  "$ALLISON/vm-options.wav" "$ALLISON/dir-intro.wav" "$ALLISON/vm-msginstruct.wav"

echo
echo "== 2. a call that claims to be allison, and is (a recording not used to enrol)"
$CW analyze --config "$CONFIG" --subscriber allison "$ALLISON/demo-congrats.wav" \
  --plot "$DEMO/matching.png" | tail -n 3

echo
echo "== 3. a call that claims to be allison, but is another speaker"
$CW analyze --config "$CONFIG" --subscriber allison "$SOUNDS/it_IT_m_Carlo/demo-congrats.wav" \
  --plot "$DEMO/impostor.png" | tail -n 3

echo
echo "== 4. a synthetic voice (espeak-ng text-to-speech) that claims to be allison"
espeak-ng -v en-us -w "$DEMO/tts.wav" \
  "Hi, it's me. I am in trouble and I need you to send money to this account right now."
$CW analyze --config "$CONFIG" --subscriber allison "$DEMO/tts.wav" \
  --plot "$DEMO/synthetic.png" | tail -n 3

echo
echo "== 5. the audit log of these decisions"
$CW audit verify "$DEMO/audit.jsonl"
echo "plots: $DEMO/matching.png $DEMO/impostor.png $DEMO/synthetic.png"

if [ -f scripts/demo_live.py ]; then
  echo
  echo "== 6. live: real SIP calls into CallWarden on 127.0.0.1"
  .venv/bin/python scripts/demo_live.py
fi
