"""After a spoken conversation: the answer's checklist (materials, address, hours) as text on the citizen's other
chats, so a caller need not remember what they heard. Delivered like an officer's reply: the chat's channel picks it
up from the event bus."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant import texts
from assistant.dialogue import Dialogue, DialogueState
from assistant.messages import Reply
from assistant.outbox import send_to_citizen
from assistant.store import conversations as conversation_store
from assistant.store import history as history_store
from assistant.store.models import Conversation, Message


def share_checklist(session: Session, *, conversation: Conversation, dialogue: Dialogue) -> list[Message]:
    """Once per conversation, and only when a service was answered; the caller commits. Returns what was sent."""
    state = DialogueState.from_dict(conversation.state)
    guide = dialogue.guides.get(state.guide or "")
    if guide is None or state.checklist_sent:
        return []
    reply = Reply(texts.checklist(guide, dialogue.offices.get(guide.office)), "checklist")
    meta = {k: v for k, v in reply.to_dict().items() if k != "text"}
    sent = []
    for chat in history_store.latest_per_channel(session, citizen_id=conversation.citizen_id,
                                                 exclude_channel=conversation.channel):
        message = conversation_store.add_message(session, conversation=chat, role="assistant", text=reply.text,
                                                 meta=meta)
        send_to_citizen(session, chat, message)
        sent.append(message)
    state.checklist_sent = True
    conversation_store.save_state(session, conversation=conversation, state=state.to_dict())
    return sent
