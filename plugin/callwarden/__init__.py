"""CallWarden: screens inbound SIP calls for synthetic voices, speaker mismatch and duress."""

__version__ = "0.1.0"
