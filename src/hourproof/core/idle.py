"""Time away from the computer, worked out from samples of the OS's idle counter (pure).

The app samples "seconds since the last input" every few seconds while a timer
runs. ``AwayDetector`` turns those samples into one ``Away`` interval per absence:
away began at the last input (sample time minus idle seconds) and ended at the
first input after it, once the idle time went past the threshold. A gap between
samples far longer than the polling interval (the machine slept) counts as away
from the last sample on, even though the idle counter may have been reset by the
wake-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_THRESHOLD = timedelta(minutes=5)


@dataclass(frozen=True)
class Away:
    """An absence: from the last input before it to the first input after it."""

    start: datetime
    end: datetime
    #: "idle" (the OS counter said so) or "suspend" (no samples: the machine slept).
    cause: str = "idle"

    @property
    def seconds(self) -> int:
        return max(0, int((self.end - self.start).total_seconds()))


class AwayDetector:
    """Feed it ``sample(now, idle_seconds)``; it returns an Away when the user is back."""

    def __init__(self, threshold: timedelta = DEFAULT_THRESHOLD,
                 poll: timedelta = timedelta(seconds=10)) -> None:  # fmt: skip
        if threshold <= timedelta(0):
            raise ValueError("the idle threshold must be positive")
        self.threshold = threshold
        self.poll = poll
        self._away_since: datetime | None = None
        self._cause = "idle"
        self._last: datetime | None = None

    @property
    def away_since(self) -> datetime | None:
        """When the current absence began (None while the user is active)."""
        return self._away_since

    def reset(self) -> None:
        """Forget any absence in progress (e.g. the timer stopped)."""
        self._away_since = None
        self._last = None

    def sample(self, now: datetime, idle_seconds: float) -> Away | None:
        idle = timedelta(seconds=max(0.0, idle_seconds))
        last_input = now - idle
        slept = self._last is not None and now - self._last > self.poll * 3 + self.threshold
        if slept and self._away_since is None:
            self._away_since = self._last
            self._cause = "suspend"
        self._last = now
        if self._away_since is None:
            if idle >= self.threshold:
                self._away_since = last_input
                self._cause = "idle"
            return None
        if idle >= self.threshold and last_input <= self._away_since + timedelta(seconds=1):
            return None  # still away
        back_at = max(last_input, self._away_since)
        away = Away(self._away_since, back_at, self._cause)
        self._away_since = None
        if idle >= self.threshold:  # back briefly and away again already
            self._away_since = last_input
            self._cause = "idle"
        return away if away.end - away.start >= self.threshold else None
