"""The hotline's fixed prompts: short, calm, and always naming the way to a person."""

from __future__ import annotations

GREETING = "您好，这里是便民服务热线。您可以直接说想办什么事，任何时候按0或者说“人工”，就给您转工作人员。"
REPROMPT = "不好意思，刚才没有听清。您可以慢慢再说一遍想办什么事，也可以按0找工作人员。"
ANSWER_MENU = "再听一遍请按1，要带什么材料请按2，在哪办、几点办请按3，找工作人员请按0。"
TRANSFER = "好的，现在给您转工作人员，请不要挂机，稍等一下。"
CALLBACK_OFFER = "现在工作人员都在忙。要我们给您回电话，请按1，我们会打到您现在用的这个号码。"
CALLBACK_CONFIRMED = "好的，已经记下了，工作人员会尽快给您回电话。"
GOODBYE = "感谢您的来电，祝您生活顺心，再见。"

PROMPTS: dict[str, str] = {
    "greeting": GREETING,
    "reprompt": REPROMPT,
    "answer_menu": ANSWER_MENU,
    "transfer": TRANSFER,
    "callback_offer": CALLBACK_OFFER,
    "callback_confirmed": CALLBACK_CONFIRMED,
    "goodbye": GOODBYE,
}
