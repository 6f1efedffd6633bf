"""The generation progress bar: samples done, tokens/s, and an ETA from tokens rather than samples.

A sample-rate ETA swings from hours to minutes when completions arrive in bursts (a batch's short
answers first, its long ones last). Here the ETA is the tokens still expected (the samples left times
the mean length of the finished ones, less what is already generated in flight) over the measured
token rate; it is shown only once a sample has finished, so it never extrapolates from nothing.
"""
from __future__ import annotations

import sys
import time
from typing import Any

from tqdm import tqdm

REFRESH_SECONDS = 1.0  # how often in-flight token counts redraw the bar


class Progress:
    def __init__(self, total: int, desc: str) -> None:
        self.total, self.start = total, time.monotonic()
        self.finished = 0
        self.finished_tokens = 0  # tokens of finished samples that reported a count
        self.counted = 0  # finished samples that reported a count
        self.live_tokens = 0  # running total from the engine (in-flight included), when it counts
        self.extra: dict[str, Any] = {}
        self._drawn = 0.0
        self.bar = tqdm(total=total, desc=desc, unit="sample", file=sys.stderr, dynamic_ncols=True,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]")

    def tokens(self, generated: int) -> None:
        """The engine's running token count (called from its thread, once per decoding step)."""
        self.live_tokens = generated
        if time.monotonic() - self._drawn >= REFRESH_SECONDS:  # nothing else redraws between completions
            self._draw(refresh=True)

    def done(self, completion: Any) -> None:
        self.finished += 1
        tokens = getattr(completion, "completion_tokens", None)  # None: an engine (or item) that does not count
        if tokens is not None:
            self.finished_tokens += tokens
            self.counted += 1
        self._draw(refresh=False)
        self.bar.update(1)  # tqdm redraws at its own pace (a replay yields thousands a second)

    def generated(self) -> int:
        return max(self.live_tokens, self.finished_tokens)

    def eta(self) -> float | None:
        """Seconds left, from tokens; None before any finished sample says how long samples are."""
        elapsed, generated = time.monotonic() - self.start, self.generated()
        if not self.counted or generated <= 0 or elapsed <= 0:
            return None
        expected = (self.total - self.finished) * self.finished_tokens / self.counted
        in_flight = max(0, self.live_tokens - self.finished_tokens)
        if expected <= in_flight and self.finished < self.total:
            return None  # the samples still running outgrew the finished ones' mean (short ones finish first): unknown
        return (expected - in_flight) / (generated / elapsed)

    def _draw(self, refresh: bool) -> None:
        if refresh:
            self._drawn = time.monotonic()
        elapsed = time.monotonic() - self.start
        parts = []
        eta = self.eta()
        if eta is not None:
            parts.append(f"<{tqdm.format_interval(eta)} left")
        if self.generated() and elapsed > 0:
            rate = self.generated() / elapsed
            parts.append(f"{rate:.1f} tok/s" if rate < 10 else f"{rate:.0f} tok/s")
        parts += [f"{k}={v}" for k, v in self.extra.items()]
        self.bar.set_postfix_str(", ".join(parts), refresh=refresh)

    def close(self) -> None:
        self.bar.close()
