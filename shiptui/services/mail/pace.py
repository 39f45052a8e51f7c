"""How fast reminders go out: a rate for every sender on the database together.

A relay's limit (e.g. 30 messages a minute for one mailbox) holds for all senders that
use it, so the pace is kept through the database (`delivery.take_send_slot`): each message
takes the next free slot, one interval after the one before, whoever sent that. When the
relay answers that we send too fast, every sender pauses and this one halves its pace for
the rest of its run.

Wall-clock time (not `shiptui.clock`, which tests freeze): slots are shared by processes.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable

from shiptui.services.mail import delivery

# A 421/451 answer that means "slow down" (e.g. "421 4.7.0 Too many messages", "451 4.7.1
# rate limited"), not a passing fault of the relay.
_THROTTLED = re.compile(r"\brate|too many", re.IGNORECASE)
FIRST_SLOWED_INTERVAL = 1.0  # seconds: the pace after the first "too many" of an unpaced run
SLOWEST_INTERVAL = 60.0  # halving the pace stops here (a slower --rate stays as given)
DEFAULT_PAUSE = 60.0  # seconds no sender sends after the relay said "too many"


def is_throttled(code: int, answer: str) -> bool:
    return code in (421, 451) and bool(_THROTTLED.search(answer))


@dataclass
class Pace:
    interval: float = 0.0  # seconds between messages of all senders; 0: as fast as the relay answers
    pause: float = DEFAULT_PAUSE
    wall: Callable[[], float] = field(default=time.time)

    def next_slot(self) -> float | None:
        """When this sender may send its next message (Unix time); None: at once, unpaced."""
        if not self.interval:
            return None
        return delivery.take_send_slot(self.interval, self.wall())

    def slow_down(self) -> None:
        """The relay said we send too fast: every sender pauses, and this one goes at half its pace."""
        self.interval = min(max(self.interval * 2, FIRST_SLOWED_INTERVAL), max(SLOWEST_INTERVAL, self.interval))
        delivery.hold_sending_until(self.wall() + self.pause)
