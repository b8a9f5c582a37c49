"""Grafting new parts onto a trained deep-voice network at zero weight.

A graft leaves what the network computes unchanged, so a fine-tune starts from the trained
network and can learn to use the new part (``train_deepvoice.py --init X --group-delay``,
``--long-window N`` or ``--attention``), and a plain parent can be blended with such a
fine-tune (``interpolate_deepvoice.py``).
"""

from __future__ import annotations

from dataclasses import replace

import torch

from callwarden.detectors.deep_voice.model import CnnConfig, DeepVoiceCnn


def with_group_delay(model: DeepVoiceCnn) -> DeepVoiceCnn:
    """``model`` with a group-delay input channel whose first-layer weights are zero.

    The new network computes exactly what ``model`` did until training gives the channel
    weight, so a fine-tune starts from the trained network and can learn to use the cue.

    Raises:
        ValueError: ``model`` has a long window, whose channels come after group delay's.
    """
    if model.config.long_window:
        raise ValueError("graft group delay before the long window, not after")
    return _with_new_channels(model, replace(model.config, group_delay=True))


def with_long_window(model: DeepVoiceCnn, samples: int) -> DeepVoiceCnn:
    """``model`` with a second, ``samples``-long analysis window whose input weights are zero.

    Its channels (``CnnConfig.long_window``) come last, so the new network computes exactly
    what ``model`` did until a fine-tune gives them weight.
    """
    return _with_new_channels(model, replace(model.config, long_window=samples))


def _with_new_channels(model: DeepVoiceCnn, config: CnnConfig) -> DeepVoiceCnn:
    """A network of ``config`` holding ``model``'s weights, the added last inputs at zero."""
    wider = DeepVoiceCnn(config)
    state = dict(model.state_dict())
    first = "body.0.0.weight"
    old = state[first]
    added = config.channels - model.config.channels
    state[first] = torch.cat([old, old.new_zeros(old.shape[0], added, *old.shape[2:])], dim=1)
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


def grafted(
    model: DeepVoiceCnn, group_delay: bool, attention: bool, long_window: int = 0
) -> DeepVoiceCnn:
    """``model`` with group delay, a long window and attentive pooling where asked and missing.

    Every graft starts at zero weight (``with_group_delay``, ``with_long_window``,
    ``with_attention``), so the result computes exactly what ``model`` did; a fine-tune then
    learns to use them.

    Raises:
        ValueError: ``model`` already has a long window of another length.
    """
    if group_delay and not model.config.group_delay:
        model = with_group_delay(model)
    if long_window and model.config.long_window != long_window:
        if model.config.long_window:
            raise ValueError(f"the network's long window is {model.config.long_window}")
        model = with_long_window(model, long_window)
    if attention and not model.config.attention:
        model = with_attention(model)
    return model
