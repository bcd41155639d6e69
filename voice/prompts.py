"""The hotline's fixed prompts: short, calm, and always naming the way to a person.

Menus ("按1，…") and everything else the caller hears come from the engine's replies (voice/hotline/phrases.py).
"""

from __future__ import annotations

GREETING = "您好，这里是便民服务热线。您可以直接说想办什么事，任何时候按0或者说“人工”，就给您转工作人员。"
REPROMPT = "不好意思，刚才没有听清。您可以慢慢再说一遍想办什么事，也可以按0找工作人员。"
NOT_HEARD = "不好意思，刚才没有听清。"  # before a menu read again
CLARIFY = "您问的是下面哪一件事？"
ENTER_NUMBER = "输完号码，请按井号键。"
TRANSFER = "请不要挂机，正在给您转接。"
WAIT_MORE = "请不要挂机，工作人员会按顺序来接您的电话。"
GOODBYE = "感谢您的来电，祝您生活顺心，再见。"

PROMPTS: dict[str, str] = {
    "greeting": GREETING,
    "reprompt": REPROMPT,
    "not_heard": NOT_HEARD,
    "clarify": CLARIFY,
    "enter_number": ENTER_NUMBER,
    "transfer": TRANSFER,
    "wait_more": WAIT_MORE,
    "goodbye": GOODBYE,
}
