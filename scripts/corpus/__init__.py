"""Deep-voice corpus: real Asterisk voices vs TTS and vocoder spoofs, through phone channels."""
