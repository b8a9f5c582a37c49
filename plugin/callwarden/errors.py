"""The small exception hierarchy every layer raises; the CLI turns each into one line."""


class CallWardenError(Exception):
    """Base of every error CallWarden reports to a user (one readable line, no traceback)."""


class ConfigError(CallWardenError):
    """A settings file is unreadable, malformed or invalid."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class AudioError(CallWardenError):
    """Audio is empty, corrupt, of an unsupported format or rate."""


class WeightsError(CallWardenError):
    """A model weights file is missing, corrupt or does not match the manifest."""


class EnrolmentError(CallWardenError):
    """Enrolment refused: no consent, infeasible audio, or a store problem."""


class NotEnrolledError(CallWardenError):
    """A subscriber has no voiceprint."""


class AuditError(CallWardenError):
    """The audit log cannot be written or read."""


class DetectorError(CallWardenError):
    """A detector failed; the failure policy decides what it means."""


class DetectorMissing(DetectorError):
    """A detector could not be loaded (missing weights, unknown name)."""


class DetectorLate(DetectorError):
    """A detector exceeded its time budget."""
