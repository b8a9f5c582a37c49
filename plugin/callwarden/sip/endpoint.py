"""The process's one pjsua2 ``Endpoint``: null audio device, transports on 127.0.0.1.

``libDestroy`` aborts the process if a ``Call`` or port is still referenced; callers clear
their references and this module runs ``gc.collect()`` first.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

import pjsua2 as pj

from callwarden.errors import ConfigError
from callwarden.settings import SipSettings, TlsSettings

log = logging.getLogger(__name__)
pj_log = logging.getLogger("callwarden.sip.pjsip")

_LEVELS = {0: logging.CRITICAL, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO}
BUSY_MARK = "too many calls"


class PjLogWriter(pj.LogWriter):  # type: ignore[misc]
    """Sends PJSIP's log lines to Python logging (the text is PJSIP's, not ours)."""

    def write(self, entry: Any) -> None:
        """Forward one PJSIP log entry; never raises into PJSIP."""
        try:
            message = str(entry.msg).rstrip()
            if BUSY_MARK in message:
                log.warning("call refused with 486 Busy Here: the process call limit is reached")
            pj_log.log(_LEVELS.get(int(entry.level), logging.DEBUG), "%s", message)
        except Exception:
            return


def check_tls_files(tls: TlsSettings) -> None:
    """Refuse, naming the file, a TLS certificate, key or CA list that cannot be used.

    PJSIP reads these files only at the first TLS handshake: without this check a missing
    file leaves a listener that starts cleanly and then fails every TLS call.

    Raises:
        ConfigError: a file is missing, unreadable or not PEM.
    """
    files = [("cert_file", tls.cert_file), ("key_file", tls.key_file), ("ca_file", tls.ca_file)]
    for name, path in files:
        if path is None:
            continue
        try:
            with open(path, "rb") as fh:
                head = fh.read(1 << 16)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ConfigError(str(path), [f"sip.tls.{name}: cannot read ({reason})"]) from exc
        if b"-----BEGIN " not in head:
            raise ConfigError(str(path), [f"sip.tls.{name}: not a PEM file"])


class SipStack:
    """Creates, starts and destroys the endpoint and its transports.

    Args:
        settings: the ``sip`` section.
        log_level: PJSIP's own verbosity (0-6) sent to Python logging.
    """

    def __init__(self, settings: SipSettings, log_level: int = 3) -> None:
        self.settings = settings
        self.endpoint: Any = None
        self.transports: dict[str, int] = {}
        self._writer = PjLogWriter()
        self._log_level = log_level

    def start(self) -> Any:
        """Create and start the endpoint; returns it.

        Raises:
            ConfigError: ``sip.tls`` names a certificate, key or CA file that is unusable.
        """
        if self.settings.tls is not None:
            check_tls_files(self.settings.tls)
        ep = pj.Endpoint()
        ep.libCreate()
        self.endpoint = ep
        ep.libInit(self._config())
        ep.audDevManager().setNullDev()
        self._transport("udp", pj.PJSIP_TRANSPORT_UDP, self.settings.udp_port)
        self._transport("tcp", pj.PJSIP_TRANSPORT_TCP, self.settings.tcp_port)
        if self.settings.tls is not None:
            self._tls()
        ep.libStart()
        log.info("SIP endpoint started", extra={"transports": self.transports})
        return ep

    def handle_events(self, timeout_ms: int) -> None:
        """Poll PJSIP's events (callbacks run on this thread)."""
        self.endpoint.libHandleEvents(timeout_ms)

    def local_port(self, kind: str = "udp") -> int:
        """The port a transport is bound to (useful with port 0)."""
        info = self.endpoint.transportGetInfo(self.transports[kind])
        return int(str(info.localName).rsplit(":", 1)[1])

    def destroy(self) -> None:
        """Destroy the endpoint; every Call, Account and port must be released already."""
        if self.endpoint is None:
            return
        gc.collect()
        self.endpoint.libDestroy()
        self.endpoint = None
        gc.collect()
        log.info("SIP endpoint destroyed")

    def _config(self) -> Any:
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = self.settings.max_calls
        cfg.uaConfig.userAgent = "CallWarden"
        cfg.logConfig.writer = self._writer
        cfg.logConfig.level = self._log_level
        cfg.logConfig.consoleLevel = self._log_level
        cfg.logConfig.decor = 0
        cfg.medConfig.noVad = True
        return cfg

    def _transport(self, name: str, kind: int, port: int) -> None:
        tc = pj.TransportConfig()
        tc.port = port
        tc.boundAddress = self.settings.bind_address
        tc.publicAddress = self.settings.public_address or self.settings.bind_address
        self.transports[name] = self.endpoint.transportCreate(kind, tc)

    def _tls(self) -> None:
        tls = self.settings.tls
        assert tls is not None
        tc = pj.TransportConfig()
        tc.port = tls.port
        tc.boundAddress = self.settings.bind_address
        tc.publicAddress = self.settings.public_address or self.settings.bind_address
        tc.tlsConfig.certFile = str(tls.cert_file)
        tc.tlsConfig.privKeyFile = str(tls.key_file)
        if tls.ca_file is not None:
            tc.tlsConfig.CaListFile = str(tls.ca_file)
        self.transports["tls"] = self.endpoint.transportCreate(pj.PJSIP_TRANSPORT_TLS, tc)
