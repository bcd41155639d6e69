"""Every sentence a citizen sees or hears, in one place: plain, warm, short, spoken Chinese."""

from __future__ import annotations

import datetime as dt
import re

from knowledge.loader import Office
from knowledge.schema import Guide

GREETING = "您好！我是办事小助手。您想办什么事，直接说就行，比如“身份证到期了怎么换”。想找工作人员，随时按“找人工”。"

# Bad input
EMPTY = "您好像还没说话。请说说您想办什么事，比如“老年卡怎么办”。"
TOO_LONG = "您发来的字太多了，我看不过来。请用一两句话说说您想办什么事。"
GARBLED = "这段内容我看不懂，好像是乱码。请用文字说说您想办什么事。"
BUSY = "系统有点忙，请稍后再试。"
TOO_FAST = "您发得有点快，请稍等{seconds}秒再发。"
TOO_LARGE = "发来的内容太大了，请删短一些或分几次发。"

# Choices
HUMAN_LABEL = "找人工"
REPEAT_LABEL = "再听一遍"  # spoken channels: the answer again
DETAIL_LABELS = {
    "materials": "要带什么材料",
    "where": "在哪办、几点",
    "fee": "要花钱吗",
    "proxy": "能不能让家里人代办",
}
OFFER_YES = "好，找工作人员"
OFFER_RETRY = "不用，我换个说法"
CALLBACK_YES = "好，请给我回电话"
CALLBACK_NO = "不用，我等着"
SOLVED_YES = "解决了"
SOLVED_NO = "没解决"

# Not understood, not covered, a person offered
NOT_UNDERSTOOD = "抱歉，我没听明白。您能换个说法再说一遍吗？比如“养老金怎么领”。也可以按“找人工”。"
NOT_COVERED = "这件事不在我们的办事指南里，我答不好。可以打政务服务便民热线12345，问问该找哪里；也可以按“找人工”。"
# Out of the catalogue, but where to go is plain: a broken appliance is the maker's after-sales.
NOT_COVERED_APPLIANCE = ("家里电器坏了，请找厂家售后：电话一般印在说明书、保修卡或机器背面的标签上，"
                         "也可以问当初买的商店。家里停水停电、燃气的事，可以问我。")
NEED_TOPIC = "您问的是哪件事呢？请先说说您想办什么，比如“换身份证”。"
NO_SUCH_CHOICE = "没有这个选项。请按下面的数字选，或者直接说您想办什么事。"
def no_such_choice(key: str, offered: list[tuple[str, str]]) -> str:
    """A key pressed or typed that is not on offer: which one it was, and what can be chosen now."""
    if not offered:
        return f"现在没有“{key}”这个选项。请直接说您想办什么事，想找工作人员就按0。"
    listed = "，".join(f"按{k}：{label}" for k, label in offered)
    return f"没有“{key}”这个选项。现在可以{listed}。也可以直接说您想办什么事。"


OFFER_PERSON = "还是没弄明白，真对不起。我请工作人员来帮您，好吗？"
RETRY = "好的，请您换个说法再说一遍，说说想办什么事就行。"
MISSED_TWICE = "还是没听明白，真对不起。"  # the phone, after two misses: no second offer
CLARIFY_LAST = "都不是的话，按0找工作人员。"
SIMPLER_PREFIX = "简单说："
CONDOLENCE = "请您节哀，保重身体。"  # before an answer to someone who lost a family member
NOTHING_TO_REPEAT = GREETING
SILENCE = "不好意思，刚才没有听清。您可以慢慢再说一遍想办什么事，也可以按“找人工”。"

SMALLTALK = {
    "thanks": "不客气！还有别的事，随时问我。",
    "hello": "您好！您想办什么事，直接说就行。",
    "bye": "好的，再见！有事随时来问。",
    "ok": "好的。还有别的事，直接说就行。",
}

PAST_REVIEW = "提醒：这条办事说明有一段时间没核对了，去之前最好先打电话问一下。要我请工作人员帮您确认，就按“找人工”。"

# Emergencies: what to do right now, before anything else
EMERGENCY_ADVICE = {
    "gas": "闻到燃气味：别开灯，别开关电器，别点火，别在屋里打电话。马上开窗，能关就关上燃气阀门，"
           "人赶快出门。到了屋外，马上打119。",
    "lift": "被困在电梯里：别慌，别扒门，别往外爬。按电梯里的警铃或对讲按钮，"
            "马上打电梯应急电话96333，也可以打119。电梯里很安全，请等人来救。",
    "fire": "着火了：马上出门，别坐电梯，用湿毛巾捂住口鼻，弯腰往外走。到了安全的地方，马上打119。",
    "electric": "有人触电：先拉下电闸断电，千万别用手直接去拉人。断电后马上打120。",
    "medical": "马上打120叫救护车。让病人躺平或坐着，别乱动，把门打开等医生。",
    "poison": "马上打120。如果是煤炉、煤气中毒，先开窗通风，把人移到外面透气的地方。",
    "fraud": "先别转钱！这很可能是骗子。马上挂掉电话，打110报警，或者打96110反诈专线问一问。",
    "violence": "您有危险，马上打110报警。先躲到安全的地方，锁好门。",
    "missing": "马上打110报警，说清楚人在哪里走丢的、穿什么衣服。报警不用等24小时。",
    "self_harm": "谢谢您愿意说出来，您不是一个人。心里太难受，请打心理援助热线12356，有人陪您说说话。"
                 "如果已经伤到自己，或者就要出事，请马上打120或者110。",
    "drowning": "有人落水：马上大声喊人来帮忙，打110和120。别自己跳下去救，找竹竿、绳子或者救生圈递给他。",
    "general": "如果有危险，请马上打电话：急救打120，报警打110，着火打119。",
}
# The speaker is the one who is ill or hurt ("我胸口疼"): the advice speaks to them.
EMERGENCY_MEDICAL_SELF = "请您马上打120叫救护车。您先别乱动，就近躺下或坐下，能开门就先把门打开。身边有人就喊人来帮您。"
EMERGENCY_GAS_LINE = "再打燃气公司的抢修电话{phone}。"  # after the gas advice, when the office configured the line
# The one number a spoken channel says first and again, by kind.
EMERGENCY_NUMBER = {"gas": "119", "lift": "96333", "fire": "119", "electric": "120", "medical": "120",
                    "poison": "120", "fraud": "110", "violence": "110", "missing": "110", "drowning": "110",
                    "self_harm": "12356",
                    "general": "120"}
EMERGENCY_ALERTED = "我已经通知工作人员，会优先处理您的事。"

# The queue
QUEUE_STARTED = "好的，我已经请工作人员来帮您。"
HANDED_OVER_NOTE = "您说过的话工作人员都能看到，不用再说一遍。"
ALREADY_WAITING = "您已经在排队了，工作人员看得到您说的话。"
# A messenger's "start again" while a person is still on the citizen's case: the case is kept, nothing to repeat.
WELCOME_BACK = "欢迎回来！您刚才的事还在办，工作人员看得到您说过的话，有话直接说就行。"
RELAYED = "您的话已经转给工作人员了。"
LEAVE_LABEL = "不等了"  # the button that leaves the queue
LEFT = "好的，已经取消了，不用再等工作人员。还有别的事，直接跟我说就行；想找人工，随时按“找人工”。"
NOT_WAITING = "好的，不找人工。您想办什么事，直接跟我说就行。"  # "不要人工了" with no case open
# What a channel cannot pass on (a photo, a file, a voice note it cannot transcribe) sent while a person is on the
# case: the officer sees that it was sent (nothing of it is kept), the citizen is told it cannot reach them.
UNREADABLE = {"photo": "照片", "document": "文件", "voice": "语音", "location": "位置", "other": "这条消息"}
UNREADABLE_SENT = "（发来了{what}，这里收不到）"
UNREADABLE_FOR_OFFICER = "{what}传不到工作人员那里，真对不起。请打字告诉工作人员，或者等工作人员联系您。"
UNREADABLE_CAPTION_FOR_OFFICER = "您写的话已经转给工作人员了。{what}传不过去，真对不起。"
OFFICER_JOINED = "工作人员{name}来了，正在看您说过的话，请稍等。"
OFFICER_HELPING = "工作人员{name}正在帮您。"
CASE_RESOLVED = "工作人员已经处理完您的事了。"
FEEDBACK_QUESTION = "问题解决了吗？"
FEEDBACK_THANKS = "太好了！以后有事随时来问。"
REOPENED = "对不起，没帮您办好。我已经重新请工作人员来帮您。"


def queue_line(position: int, minutes: int | None, on_duty: int, *, urgent: bool = False) -> str:
    """Where the citizen is in the queue and, when recent handling times allow, how long it may take. An emergency
    is counted among earlier emergencies only, and never told to wait its turn."""
    if urgent:
        return _urgent_queue_line(position, minutes, on_duty)
    place = "您排在第一位" if position <= 1 else f"您前面还有{position - 1}位"
    if on_duty == 0:
        return f"现在没有工作人员值班，真对不起。{place}，工作人员一上班就会看到。"
    if minutes is not None and minutes <= 1:
        return f"{place}，大约1分钟内就会有人来。"
    wait = f"大约要等{minutes}分钟" if minutes else "工作人员会按顺序尽快来"
    return f"{place}，{wait}。"


EMERGENCY_NOBODY_ON_DUTY = "现在没有工作人员在线，请别等我们，马上打上面说的电话。您说的话已经记下了。"


def _urgent_queue_line(position: int, minutes: int | None, on_duty: int) -> str:
    if on_duty == 0:
        return EMERGENCY_NOBODY_ON_DUTY
    place = "您排在最前面" if position <= 1 else f"您前面还有{position - 1}位也是急事"
    if minutes is not None and minutes > 1:
        return f"{place}，大约{minutes}分钟就有人来。"
    return f"{place}，工作人员马上就来。"


# The phone's emergency step (assistant/emergency_call.py): the number said plainly, what happens next
CALL_GAS_OUTSIDE = "请挂断，到屋外拨打119{extra}。出门前别开灯，别打火。"
CALL_GAS_LINE = "，再拨燃气公司的抢修电话{phone}"
CALL_TRANSFER = "请记住，电话是{number}。我马上给您转工作人员。"
CALL_TO_DUTY_PHONE = "请记住，电话是{number}。现在给您转值班电话。"
CALL_NUMBER_NOW = "这会儿工作人员不在，请别等，马上挂断，拨打{number}。要再听一遍，请按1。"
# A person in crisis: kindly, never "hang up"; the crisis line, and 120/110 if there is danger now.
CALL_CRISIS_NOW = ("这会儿工作人员不在，可您不是一个人。请拨打心理援助热线12356，那边有人陪您说说话；"
                   "有危险就打120或110。要再听一遍，请按1。")
CALL_CRISIS_FAREWELL = "请拨打心理援助热线12356，有人陪您说话。您不是一个人，祝您平安。"
CALL_DUTY_UNANSWERED = "对不起，值班电话没有人接。"
CALL_FAREWELL = "请马上挂断，拨打{number}。祝您平安。"
WAIT_URGENT = "请不要挂机，工作人员马上就来。"
CALL_WAITING_NUMBER = "等不及的话，请挂断，直接拨打{number}。"  # said each round an emergency waits on the phone

# Callbacks
CALLBACK_OFFER = "我们可以在{when}给您回电话。要登记回电吗？"
CALLBACK_ASK_PHONE = "请输入您的电话号码，手机号或座机都行，座机请带上区号。"
CALLBACK_BAD_PHONE = "这个号码好像不对。请再输入一次，比如 13812345678。"
CALLBACK_WRONG_PHONE = "这个号码好像不对：{problem}请再输入一次，比如 {example}。"
PHONE_LINKED = "记下了，您的号码是{phone}。以后打热线电话，工作人员也知道是您，不用再说一遍。"
CHANNEL_NAMES = {"web": "网页聊天", "telegram": "Telegram", "phone": "热线电话"}
LINK_CODE_SHOWN = ("您的连接码是 {code}，{minutes}分钟内有效，只能用一次。在另一边（网页聊天或Telegram）输入这个码，"
                   "两边就连在一起，工作人员能看到您两边说过的话。这个码不要告诉别人。")
LINK_DONE = "好了，连上了。工作人员能看到您在{channel}说过的话，您不用再说一遍。"
LINK_ALREADY = "这两边已经连在一起了，不用再连。"
LINK_WRONG = "这个连接码不对，或者已经过期了。请在另一边重新取一个码，再输入一次。"
LINK_LOCKED = "连接码输错的次数太多了，请过一个小时再试，或者找人工。"
LINK_NOTICE = "您的连接码刚刚在{channel}用过，两边已经连在一起。如果不是您本人在用，请告诉工作人员。"
CALLBACK_BOOKED = "好的，已经登记了。我们会在{when}打电话给您，号码是{phone}。"
CALLBACK_WANTED = "要登记回电吗？"
CALLBACK_ASK_AGAIN = f"不好意思，没听清。{CALLBACK_WANTED}"
CALLBACK_NO_NUMBER = "没听到号码。请再输一次电话号码。"
CALLBACK_CONFIRM = "您的号码是{phone}，对吗？"
CALLBACK_CONFIRM_YES = "确认"
CALLBACK_CONFIRM_AGAIN = "重输"
CALLBACK_NOT_BOOKED = "号码没记下来，真对不起。您的事已经记下了，工作人员一上班就会看到，您也可以晚点再打来。"
NOBODY_ON_DUTY = "现在没有工作人员值班，接不了电话，真对不起。"
CALLBACK_DECLINED = "好的。您的事已经记下了，工作人员一上班就会看到。"
PERSON_UNREACHABLE = "对不起，工作人员暂时没能接听。您的事已经记下了。"

# After a spoken conversation, the essentials as text on the citizen's other chats
CHECKLIST_INTRO = "您刚才问了“{title}”。怕您记不住，要点写在这里："


def answer(guide: Guide, *, past_review: bool) -> str:
    return f"{guide.short_answer}\n{PAST_REVIEW}" if past_review else guide.short_answer


def clarify(titles: list[str]) -> str:
    options = " ".join(f"{i}. {title}" for i, title in enumerate(titles, 1))
    return f"您是想问：{options}？"


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def materials(guide: Guide) -> str:
    return f"办“{guide.title}”要带：\n{_numbered(guide.materials)}"


def where(guide: Guide, office: Office | None) -> str:
    lines = [f"在哪办：{real(guide.where)}。"]
    if office is not None:
        place = "，".join(part for part in (real(office.name), real(office.address)) if part)
        hours, phone = real(office.hours), real(office.phone)
        lines += [f"地址：{place}。"] if place else []
        lines += [f"办公时间：{hours}。"] if hours else []
        lines += [f"电话：{phone}。"] if phone else []
        if not (place and hours):
            lines.append(ASK_LOCAL)
    elif guide.phone and real(guide.phone):
        lines.append(f"电话：{real(guide.phone)}。")
    return "\n".join(lines)


SAMPLE_MARK = "示例"  # the project's sample values (an office's own file replaces them)
ASK_LOCAL = "具体地址和办公时间，请打12345问一下。"


def real(value: str) -> str:
    """A configured value without its parts marked as samples (示例): a sample is never told as fact."""
    return "；".join(part.strip() for part in re.split("[；;]", value) if part.strip() and SAMPLE_MARK not in part)


def checklist(guide: Guide, office: Office | None) -> str:
    """What to bring, where to go and when it is open: the part of an answer a caller cannot keep in their head."""
    return "\n".join([CHECKLIST_INTRO.format(title=guide.title), materials(guide), where(guide, office)])


def fee(guide: Guide) -> str:
    return f"花不花钱：{guide.fee}。"


def proxy(guide: Guide) -> str:
    if not guide.proxy.allowed:
        return f"这件事要本人去办。{guide.proxy.note}"
    text = f"可以让家里人代办。{guide.proxy.note}"
    if guide.proxy.materials:
        text += f"\n代办的人要带：\n{_numbered(guide.proxy.materials)}"
    return text


def processing_time(guide: Guide) -> str:
    return f"要多久：{guide.processing_time}。"


def steps(guide: Guide) -> str:
    return f"怎么办：\n{_numbered(guide.steps)}"


def online(guide: Guide) -> str:
    return f"网上办：{guide.online}。" if guide.online else "这件事目前要去窗口办，网上办不了。"


def elderly(guide: Guide) -> str:
    return f"给老年人的提醒：\n{_numbered(guide.elderly_notes)}"


def simpler(text: str) -> str:
    """What matters most, said once: the first sentence, or a list's first two items."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        rest = len(lines) - 3
        tail = f"\n还有{rest}条，要听全部就说“再说一遍”。" if rest > 0 else ""
        return SIMPLER_PREFIX + "\n".join(lines[:3]) + tail
    first = re.split(r"(?<=[。！？])", text.strip())[0]
    return SIMPLER_PREFIX + first


_WEEKDAYS = "一二三四五六日"


def spoken_time(when: dt.datetime, now: dt.datetime) -> str:
    """"今天下午3点半", "明天上午9点", "下周一上午9点": a time as people say it."""
    days = (when.date() - now.date()).days
    if days == 0:
        day = "今天"
    elif days == 1:
        day = "明天"
    elif days == 2:
        day = "后天"
    else:
        day = f"周{_WEEKDAYS[when.weekday()]}"
    part = "上午" if when.hour < 12 else ("中午" if when.hour == 12 else "下午")
    hour = when.hour if when.hour <= 12 else when.hour - 12
    minute = "" if when.minute == 0 else ("半" if when.minute == 30 else f"{when.minute}分")
    return f"{day}{part}{hour}点{minute}"


# POST /api/ask: one question, no conversation to hand over from
ASK_HUMAN = "这件事最好请工作人员来帮您：在网页上按“找人工”，或者打政务服务便民热线12345。"
ASK_OUT_OF_SCOPE = "这件事不在我们的办事指南里。可以打政务服务便民热线12345，请工作人员帮您看看该找哪里。"

# For staff: words a purge removed (the age limit on personal data), in a message or an officer's note.
CLEARED = "（已清除）"
