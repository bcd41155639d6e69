"""The hotline's fixed prompts: short, calm, and always naming the way to a person.

Menus ("按1，…") and everything else the caller hears come from the engine's replies (voice/hotline/phrases.py).
"""

from __future__ import annotations

# Every sound is short (measured with the neural voice by bench/hotline.py): the greeting under 6 s with the way to a
# person in it, a menu under 8 s, an answer under 20 s before its menu.
GREETING = "您好！请说要办的事，找人工按0。"
BARGE_IN = "您随时可以打断我。"  # said once, after the greeting: callers need not wait for the end
CANTONESE = "讲广东话，请按9。"  # after the greeting, when the operator offers Cantonese recognition
CANTONESE_ON = "好的，请讲广东话，我用普通话回答您。请说要办的事。"
REPROMPT = "不好意思，没听清。请再说一遍要办的事，找人工按0。"
NOT_HEARD = "不好意思，没听清。"  # before a menu read again
CLARIFY = "您问的是下面哪一件事？"
ENTER_NUMBER = "用按键输入，输完按井号键；也可以直接说号码。"
TRANSFER = "请不要挂机，正在给您转接。"
WAIT_MORE = "请不要挂机，工作人员会按顺序来接您的电话。"
LEAVE_QUEUE = "不想等了，按1退出排队。"  # the one key while waiting (voice/hotline/calls.py LEAVE_KEY)
LEAVE_WORDS = "不要人工了"  # what pressing it says to the engine: the words a caller would use
THANKS = "不客气！还有别的事，请直接说；没有的话，再见。"
GOODBYE = "感谢您的来电，祝您生活顺心，再见。"

PROMPTS: dict[str, str] = {
    "greeting": GREETING,
    "barge_in": BARGE_IN,
    "cantonese": CANTONESE,
    "cantonese_on": CANTONESE_ON,
    "reprompt": REPROMPT,
    "not_heard": NOT_HEARD,
    "clarify": CLARIFY,
    "enter_number": ENTER_NUMBER,
    "transfer": TRANSFER,
    "wait_more": WAIT_MORE,
    "leave_queue": LEAVE_QUEUE,
    "thanks": THANKS,
    "goodbye": GOODBYE,
}
