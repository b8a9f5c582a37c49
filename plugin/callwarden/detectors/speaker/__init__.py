"""Speaker verification: GE2E d-vectors scored against the subscriber's voiceprint."""
