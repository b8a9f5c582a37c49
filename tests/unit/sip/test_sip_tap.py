"""The tap port's media-thread callback when the port is being destroyed."""

from __future__ import annotations

import pytest

pj = pytest.importorskip("pjsua2")

from callwarden.sip.tap import TapPort  # noqa: E402


def test_a_frame_reaching_a_port_whose_attributes_are_gone_is_dropped_quietly() -> None:
    # what Python leaves while it destroys a released tap: the C++ port not yet off the
    # bridge, the Python attributes already cleared (a host's media clock still running)
    port = TapPort.__new__(TapPort)
    assert not hasattr(port, "_read")
    assert port.onFrameReceived(pj.MediaFrame()) is None  # no exception into the media thread
