"""Retrying calls that fail with UNAVAILABLE, like google-api-core's ``Retry``.

Every RPC of :class:`~accord_client.AccordClient` and
:class:`~accord_client.AsyncAccordClient` takes ``retry=`` and
``timeout=``:

* ``timeout`` (seconds) is the deadline of the whole call, retries included:
  each attempt gets what is left of it.
* ``retry`` is a :class:`Retry`: attempts that fail with a retryable code
  (UNAVAILABLE: the server is restarting, the connection was refused or
  reset) are repeated after an exponential backoff with jitter (``initial``,
  times ``multiplier`` after each attempt, at most ``maximum``), until the
  attempt succeeds, fails otherwise, or ``deadline`` seconds have passed
  since the first attempt. ``retry=None`` makes one attempt.

A retry attempt waits for the channel to be ready (``wait_for_ready``),
within what is left of the deadline: the channel keeps reconnecting while the
call is pending, and the attempt starts as soon as the server is back. If the
deadline passes while waiting, the error raised is the UNAVAILABLE that
started the retries (not DEADLINE_EXCEEDED).

Every Accord RPC reads and changes nothing, so retrying is always safe. The
default, :data:`DEFAULT_RETRY`, rides out a server restart of several
seconds::

    client.get_agreement("x", retry=Retry(deadline=60), timeout=60)
    client.get_agreement("x", retry=None)          # fail fast
"""

from __future__ import annotations

import dataclasses
import random
import time
from typing import Callable, FrozenSet, Iterator, Optional

import grpc

__all__ = ["DEFAULT_RETRY", "Retry", "RETRYABLE_CODES"]

#: The codes retried by default.
RETRYABLE_CODES: FrozenSet[grpc.StatusCode] = frozenset({grpc.StatusCode.UNAVAILABLE})


@dataclasses.dataclass(frozen=True)
class Retry:
    """An exponential-backoff retry policy with a total deadline.

    Attributes:
        initial: The first delay, in seconds.
        maximum: The longest delay, in seconds.
        multiplier: The factor by which the delay grows after each attempt.
        deadline: Seconds after the first attempt when no further attempt
            starts. The call's ``timeout`` caps it as well.
        codes: The status codes that are retried.
        jitter: Each delay is drawn uniformly from ``[delay * (1 - jitter),
            delay]``, so that many clients do not retry in step.
    """

    initial: float = 0.05
    maximum: float = 1.0
    multiplier: float = 2.0
    deadline: float = 30.0
    codes: FrozenSet[grpc.StatusCode] = RETRYABLE_CODES
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.maximum < self.initial:
            raise ValueError("Retry needs 0 < initial <= maximum")
        if self.multiplier < 1:
            raise ValueError("Retry.multiplier must be at least 1")
        if self.deadline <= 0:
            raise ValueError("Retry.deadline must be positive")
        if not 0 <= self.jitter < 1:
            raise ValueError("Retry.jitter must be in [0, 1)")

    def with_deadline(self, deadline: float) -> "Retry":
        """A copy with another total deadline."""
        return dataclasses.replace(self, deadline=deadline)

    def retryable(self, code: grpc.StatusCode) -> bool:
        """Whether an attempt that failed with ``code`` is retried."""
        return code in self.codes

    def delays(self) -> Iterator[float]:
        """The successive delays, without end."""
        delay = self.initial
        while True:
            yield delay * (1 - self.jitter * random.random())
            delay = min(self.maximum, delay * self.multiplier)


#: The retry every call uses unless given ``retry=``: UNAVAILABLE is retried
#: from 50 ms, doubling to at most 1 s between attempts, for up to 30 s (and
#: never past the call's ``timeout``).
DEFAULT_RETRY = Retry()


class Deadline:
    """The time left of a call that started now and must end by ``timeout``
    (None: no deadline) and stop retrying after ``retry.deadline``."""

    def __init__(self, timeout: Optional[float], retry: Optional[Retry],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        now = clock()
        self.end: Optional[float] = None if timeout is None else now + timeout
        self.retry_end: Optional[float] = None if retry is None else now + retry.deadline

    def remaining(self, retrying: bool = False) -> Optional[float]:
        """Seconds left for the next attempt (None: unbounded). A retry
        attempt is also bounded by the retry deadline."""
        ends = [e for e in (self.end, self.retry_end if retrying else None) if e is not None]
        if not ends:
            return None
        return max(0.0, min(ends) - self._clock())

    def next_sleep(self, delay: Optional[float]) -> Optional[float]:
        """How long to sleep before the next attempt: ``delay``, cut short so
        that one last attempt starts at the deadline; None when no time is
        left for another attempt (or ``delay`` is None: no retry)."""
        if delay is None:
            return None
        now = self._clock()
        ends = [e for e in (self.retry_end, self.end) if e is not None]
        left = min(ends) - now if ends else delay + 1
        if left <= 0.01:
            return None
        return min(delay, left - 0.005) if left < delay else delay
