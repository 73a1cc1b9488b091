"""Load per shard and Lorenz curves of the candidates, side by side, as a PNG (matplotlib, Agg)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["plot_results"]


def plot_results(results: Sequence, path: str | Path) -> Path:
    """Write one row of panels per candidate (rows per shard, ops per shard) and a shared Lorenz plot."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the CLI runs in terminals and CI
    import matplotlib.pyplot as plt

    from simulator.metrics import lorenz

    n = len(results)
    fig, axes = plt.subplots(n + 1, 2, figsize=(11, 2.8 * (n + 1)), squeeze=False)
    for i, r in enumerate(results):
        x = range(len(r.labels))
        axes[i][0].bar(x, r.per_shard_rows, color="#4c72b0")
        axes[i][0].set_title(f"{r.key}: rows per {r.unit} (max/mean {r.metrics.max_over_mean:.2f})", fontsize=9)
        axes[i][1].bar(x, r.per_shard_ops, color="#dd8452")
        axes[i][1].set_title(
            f"{r.key}: requests/s per {r.unit} (max/mean {r.ops_metrics.max_over_mean:.2f})", fontsize=9
        )
    for r in results:
        px, py = lorenz(r.per_shard_rows)
        axes[n][0].plot(px, py, label=f"{r.key} (Gini {r.metrics.gini:.2f})")
    axes[n][0].plot([0, 1], [0, 1], "k--", linewidth=0.8, label="even")
    axes[n][0].set_title("Lorenz curve of rows over shards", fontsize=9)
    axes[n][0].legend(fontsize=7)
    axes[n][1].axis("off")
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out
