"""SIP: the only place pjsua2 is imported (endpoint, account, calls, audio tap, hook)."""
