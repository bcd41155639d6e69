"""What each channel can do, declared in one place: the engine and the desk ask here instead of naming channels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.store.types import ChannelName


class Reach(StrEnum):
    """How words written later (an officer's reply) reach the citizen."""

    PUSHED = "pushed"  # they arrive in the citizen's chat by themselves (Telegram)
    ON_RETURN = "on_return"  # shown live while the page is open, and when it is opened again (web chat)
    NONE = "none"  # they cannot: a phone call only hears what is said during it


@dataclass(frozen=True)
class Channel:
    name: str
    reach: Reach  # how a reply written later reaches the citizen, if at all
    speaks: bool = False  # every reply is read aloud: menus stay short
    buttons: bool = True  # choices are drawn as buttons; otherwise read out and answered by keypad digit
    voice: bool = True  # a reply can be heard: read aloud on request (web, Telegram) or always (phone)
    max_text: int | None = None  # characters one message may hold; longer replies are split (None: no limit)

    @property
    def reaches_later(self) -> bool:
        """Words written outside the citizen's own turn (an officer's reply) can reach them."""
        return self.reach is not Reach.NONE


CHANNELS = {c.name: c for c in (
    Channel(ChannelName.WEB, Reach.ON_RETURN),
    Channel(ChannelName.TELEGRAM, Reach.PUSHED, max_text=4096),
    Channel(ChannelName.PHONE, Reach.NONE, speaks=True, buttons=False),
)}


def channel(name: str) -> Channel:
    """A channel's capabilities; one not declared (a test's) is like the web page."""
    return CHANNELS.get(name) or Channel(name, Reach.ON_RETURN)
