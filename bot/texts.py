"""What only the Telegram channel says: its buttons, its help, and kind answers to things it cannot read.
Everything about services, cases and queues comes from the engine (assistant/texts.py)."""

from __future__ import annotations

# The four big buttons under the typing field.
ASK = "问个事"
HUMAN = "找人工"
READ_ALOUD = "读给我听"
HOW_TO = "怎么用"
PLACEHOLDER = "打字说您想办什么事"  # shown in the empty typing field

ASK_PROMPT = "好的，请直接打字说您想办什么事，比如“老年卡怎么办”。"
ASK_PROMPT_VOICE = "好的，请直接说您想办什么事：打字，或者按住话筒说话都行。"

HOW_TO_TEXT = (
    "下面有四个大按钮：\n"
    "“问个事”：直接说您想办的事，我来回答。\n"
    "“找人工”：请工作人员来帮您。\n"
    "“读给我听”：把刚才的回答念给您听。\n"
    "“怎么用”：就是这段说明。\n"
    "字太小的话，可以在 Telegram 的“设置”里，找“聊天设置”，把字号调大。"
)

# Settings
SETTINGS = "想改设置，按下面的按钮。"
VOICE_ON_LABEL = "总用语音回答：开着"
VOICE_OFF_LABEL = "总用语音回答：关着"
VOICE_NOW_ON = "好的，以后我的回答都会再念一遍给您听。"
VOICE_NOW_OFF = "好的，以后只发文字。想听的时候，按“读给我听”。"
SHARE_PHONE_LABEL = "告诉你们我的手机号"
SHARE_PHONE_PROMPT = "按下面的“发送我的手机号”就行。这样您打热线电话时，工作人员也知道是您，不用再说一遍。"
SHARE_PHONE_BUTTON = "发送我的手机号"
SHARE_PHONE_CANCEL = "不用了"
SHARE_PHONE_CANCELLED = "好的，不用发。有事随时问我。"
NOT_YOUR_CONTACT = "请按“发送我的手机号”发您自己的号码。别人的号码我不能登记。"
LINK_CODE_LABEL = "连接网页聊天：取一个连接码"
LINK_HOW = "在网页聊天里取了连接码的话，在这里发“/link”加上那个码，比如“/link 123456”。"

# Pushed to the chat
OFFICER_SAYS = "工作人员{name}：{text}"

# Read aloud
NOTHING_TO_READ = "现在还没有可以念的内容。先问我一件事吧，比如“身份证过期了怎么换”。"
CANNOT_SPEAK = "对不起，现在念不了，请先看文字。要帮忙就按“找人工”。"

# What the bot cannot read
CANNOT_LISTEN = "对不起，我现在还听不了语音。请打字告诉我，或者按下面的“找人工”，请工作人员帮您。"
NOT_HEARD = "对不起，这段语音我没听清。请再说一遍，或者打字告诉我。"
HEARD = "我听到的是：“{text}”"
STICKER = "收到您的表情了！有什么事要办，直接告诉我就行。"
PHOTO = "照片我这里看不了，真对不起。请用文字说说您想办什么事，或者按“找人工”。"
LOCATION = "收到您的位置了，谢谢。请说说您想办什么事，我告诉您去哪里办。"
DOCUMENT = "文件我这里打不开，真对不起。请用文字说说您想办什么事，或者按“找人工”。"
OTHER = "这个我这里看不了，真对不起。请打字告诉我您想办什么事，或者按“找人工”。"
# Sent with words (a photo's caption): the words are answered.
WITH_WORDS = "{what}我这里打不开，真对不起。您写的字，我来回答："
