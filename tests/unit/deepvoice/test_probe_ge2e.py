"""``probe_ge2e.candidates``: round 26's candidates in the order its rule was written."""

import numpy as np

from probe_ge2e import candidates


def test_candidates_are_fused_in_the_declared_order_then_alone() -> None:
    rng = np.random.default_rng(0)

    def scores(scale: float) -> dict[float, np.ndarray]:
        return {d: scale * rng.standard_normal(50) + 3.0 for d in (2.0, 4.0)}

    cnn = (scores(2.0), scores(2.0))
    train = {"dvec": scores(5.0), "lstm": scores(1.0)}
    scored = {"dvec": scores(5.0), "lstm": scores(1.0)}
    backs = {v: (train[v], scored[v]) for v in train}
    out = candidates(cnn, (train, scored))
    assert list(out) == [
        "stage + 0.5 x dvec",
        "stage + 1 x dvec",
        "stage + 2 x dvec",
        "stage + 0.5 x lstm",
        "stage + 1 x lstm",
        "stage + 2 x lstm",
        "dvec alone",
        "lstm alone",
    ]
    (cnn_train, cnn_dev), (be_train, be_dev) = cnn, backs["lstm"]
    z_cnn = (cnn_dev[4.0] - cnn_train[4.0].mean()) / cnn_train[4.0].std()
    z_be = (be_dev[4.0] - be_train[4.0].mean()) / be_train[4.0].std()
    np.testing.assert_allclose(out["stage + 2 x lstm"][4.0], z_cnn + 2 * z_be)
    assert out["dvec alone"][2.0] is backs["dvec"][1][2.0]
