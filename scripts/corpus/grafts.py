"""Grafting new parts onto a trained deep-voice network at zero weight.

A graft leaves what the network computes unchanged, so a fine-tune starts from the trained
network and can learn to use the new part (``train_deepvoice.py --init X --group-delay``
or ``--attention``), and a plain parent can be blended with such a fine-tune
(``interpolate_deepvoice.py``).
"""

from __future__ import annotations

from dataclasses import replace

import torch

from callwarden.detectors.deep_voice.model import DeepVoiceCnn


def with_group_delay(model: DeepVoiceCnn) -> DeepVoiceCnn:
    """``model`` with a group-delay input channel whose first-layer weights are zero.

    The new network computes exactly what ``model`` did until training gives the channel
    weight, so a fine-tune starts from the trained network and can learn to use the cue.
    """
    config = replace(model.config, group_delay=True)
    wider = DeepVoiceCnn(config)
    state = dict(model.state_dict())
    first = "body.0.0.weight"
    old = state[first]
    state[first] = torch.cat([old, torch.zeros_like(old[:, :1])], dim=1)
    wider.load_state_dict(state)
    return wider


def with_attention(model: DeepVoiceCnn) -> DeepVoiceCnn:
    """``model`` with attentive time pooling whose weights are zero (``CnnConfig.attention``).

    Zero weights give every frame the same share, so the new network computes exactly what
    ``model`` did until a fine-tune teaches it which frames to trust.
    """
    attending = DeepVoiceCnn(replace(model.config, attention=True))
    missing, unexpected = attending.load_state_dict(model.state_dict(), strict=False)
    if unexpected or any(not k.startswith("attend.") for k in missing):
        raise ValueError(f"cannot graft attention: missing {missing}, unexpected {unexpected}")
    return attending


def grafted(model: DeepVoiceCnn, group_delay: bool, attention: bool) -> DeepVoiceCnn:
    """``model`` with a group-delay channel and attentive pooling where asked and missing.

    Both grafts start at zero weight (``with_group_delay``, ``with_attention``), so the
    result computes exactly what ``model`` did; a fine-tune then learns to use them.
    """
    if group_delay and not model.config.group_delay:
        model = with_group_delay(model)
    if attention and not model.config.attention:
        model = with_attention(model)
    return model
