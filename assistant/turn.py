"""What one engine call returns to a channel: the replies, the case as the citizen sees it, and what the channel
should do next. Channels render a Turn; none of them decides anything the Turn already says."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.messages import Reply
from assistant.store.models import Conversation, Message
from assistant.waiting import QueueStatus


class Next(StrEnum):
    """What the channel does after showing the replies. Chats degrade: they always listen, the queue being their
    hand-over; the phone dials or queues the caller, or hangs up."""

    LISTEN = "listen"  # for words or one key (a choice)
    LISTEN_FOR_NUMBER = "listen_for_number"  # for several digits: a callback number is being asked for
    HAND_OVER = "hand_over"  # put the citizen through to a person now: their case waits and someone is on duty
    HANG_UP = "hang_up"  # nothing more can happen here: they said goodbye, or their case waits for a callback


@dataclass(frozen=True)
class Turn:
    conversation: Conversation
    messages: list[Message]  # as stored: the citizen's message (if any) first, then the replies
    replies: list[Reply]
    case: QueueStatus | None = None  # the conversation's open case after this turn, as the citizen sees it
    next: Next = Next.LISTEN
    replayed: bool = False  # an earlier turn, returned again for a request sent again (Once)
