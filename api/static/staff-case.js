// One case in the staff console: summary, the citizen's words on every channel, earlier cases, and the actions
// (claim, reply, note, hand over, resolve, reveal a masked number). Every action is recorded by the server.
"use strict";

(function () {
  const S = window.Staff;
  const { el, clear, call } = S;
  const $ = (id) => document.getElementById(id);
  let caseId = null;
  let loaded = null;

  const EVENTS = {
    opened: "市民找人工", claimed: "接了案子", officer_reply: "回复了市民", note: "写了备注", handed_over: "转交",
    resolved: "办结", feedback: "市民回答", reopened: "重新排队", citizen_message: "市民发来消息",
    callback_booked: "约了回电", callback_done: "回电打通了", callback_missed: "回电没人接", revealed: "查看了完整号码",
    priority_raised: "升为紧急", link_undone: "撤销了渠道关联",
    redacted: "到期清除了备注的文字", callback_expired: "回电过期作废，号码已清除",
  };
  const PROOFS = { carrier_caller_id: "运营商核实的来电号码", telegram_contact: "Telegram发来的本人号码",
    link_code: "一次性连接码" };
  // How a reply reaches the citizen on the case's channel (assistant/channels.py Reach).
  const REACH = {
    pushed: "Telegram：回复会直接发到市民的Telegram，对方不在线也会收到。",
    on_return: "网页：市民开着网页就马上能看到；对方已离开，回复会在下次打开时看到。",
    none: "电话那头收不到文字回复：请接听转接的电话，或者给市民回电。",
  };
  const HERE = "网页：市民开着网页就马上能看到。";
  const LEFT = "网页：对方已离开，回复会在下次打开时看到。";
  const ROLES = { citizen: "市民", assistant: "小助手", officer: "工作人员", purge: "系统" };

  let names = new Map(); // username -> name, for the trail

  function actorName(actor) {
    if (!actor.startsWith("officer:")) return ROLES[actor] || actor;
    const username = actor.slice("officer:".length);
    return names.get(username) || username;
  }

  function eventText(e) {
    const d = e.detail || {};
    let text = EVENTS[e.kind] || e.kind;
    if (e.kind === "note" && d.text) text += "：" + d.text;
    if (e.kind === "handed_over") text += d.to ? "给 " + d.to : "，退回排队";
    if (e.kind === "handed_over" && d.note) text += "（" + d.note + "）";
    if (e.kind === "resolved" && d.note) text += "：" + d.note;
    if (e.kind === "feedback") text += d.solved ? "：解决了" : "：没解决";
    if (e.kind === "revealed") text += d.what === "callback_phone" ? "（回电号码）" : "（本案）";
    if (e.kind === "link_undone") text += "：" + (S.CHANNELS[d.channel] || d.channel);
    return text;
  }

  function mayAct(c) {
    const me = S.state.officer;
    return c.status === "claimed" && (c.claimed_by === me.id || S.isSupervisor());
  }

  function row(term, value) {
    return [el("dt", { text: term }), el("dd", {}, value)];
  }

  function renderSummary(c) {
    const summary = c.summary || {};
    const dl = $("summary");
    clear(dl);
    const said = (summary.said || []).map((text) => el("li", { text: text }));
    dl.append(...row("事项", summary.service_title || "没说清"),
      ...row("为什么转人工", S.REASONS[c.reason] || c.reason),
      ...row("渠道", S.CHANNELS[c.channel] || c.channel),
      ...row("电话", summary.phone || "没留"),
      ...row("找人工的时间", S.dateTime(c.created_at)),
      ...row("市民说过", said.length ? el("ul", { className: "plain said" }, said) : "（没有）"));
    if (c.callbacks.length) {
      dl.append(...row("回电", c.callbacks.map((cb) => S.dateTime(cb.due_at) + " " + cb.phone).join("；")));
    }
  }

  function renderTranscript(c) {
    const list = $("transcript");
    clear(list);
    c.transcript.forEach((m) => {
      const who = m.role === "officer" && m.sender ? "工作人员" + m.sender : ROLES[m.role];
      list.append(el("li", { className: "line line-" + m.role + (m.this_case ? "" : " other"), dataset: { id: m.id } },
        el("p", { className: "line-who" }, who + " · " + S.dateTime(m.created_at) + " · ",
          el("span", { className: "tag", text: S.CHANNELS[m.channel] || m.channel }),
          m.this_case ? null : el("span", { className: "tag", text: "以前的对话" }),
          m.undelivered ? el("span", { className: "tag undelivered", text: "还没送到市民那里，正在重发" }) : null),
        el("p", { className: "line-text", text: m.text })));
    });
    list.scrollTop = list.scrollHeight; // the newest words in view
  }

  function renderEarlier(c) {
    const list = $("earlier");
    clear(list);
    c.earlier_cases.forEach((e) => list.append(el("li", {},
      el("a", { href: "#/case/" + e.id, text: "#" + e.id + " " + S.caseTitle(e) }),
      " · " + (S.STATUSES[e.status] || e.status) + " · " + S.dateTime(e.created_at))));
    if (!c.earlier_cases.length) list.append(el("li", { text: "没有" }));
  }

  function renderLinks(c) {
    const list = $("links");
    clear(list);
    c.links.forEach((link) => {
      const what = (S.CHANNELS[link.channel] || link.channel) + "（" + (PROOFS[link.proof] || link.proof) + "，" +
        S.dateTime(link.created_at) + "）";
      const item = el("li", {}, what + (link.undone_at ? " · 已撤销" : ""));
      if (!link.undone_at && S.isSupervisor()) {
        item.append(" ", el("button", { type: "button", className: "quiet", text: "撤销这个关联",
          "aria-label": "撤销关联：" + what, onclick: () => undoLink(link) }));
      }
      list.append(item);
    });
    if (!c.links.length) list.append(el("li", { text: "没有：只有这一个渠道" }));
  }

  async function undoLink(link) {
    const channel = S.CHANNELS[link.channel] || link.channel;
    if (!window.confirm("撤销后，" + channel + "那边的对话和案子不再算这位市民的。确定撤销吗？")) return;
    const error = $("links-error");
    S.showError(error, null);
    try {
      await call("POST", "/api/staff/cases/" + caseId + "/links/" + link.id + "/undo");
      S.announce("已撤销关联");
      await load();
    } catch (e) { S.showError(error, e); }
  }

  function renderEvents(c) {
    const list = $("events");
    clear(list);
    c.events.slice().reverse().forEach((e) => list.append(el("li", {},
      el("span", { className: "when", text: S.dateTime(e.created_at) }),
      " " + actorName(e.actor) + " " + eventText(e))));
  }

  async function loadColleagues() {
    try {
      const colleagues = await call("GET", "/api/staff/colleagues");
      names = new Map(colleagues.map((o) => [o.username, o.name]));
      names.set(S.state.officer.username, S.state.officer.name);
      return colleagues;
    } catch (e) {
      return []; // hand-over goes back to the queue only, the trail shows user names
    }
  }

  function renderHandover(colleagues) {
    const select = $("handover-to");
    clear(select);
    select.append(el("option", { value: "", text: "退回排队（谁都能接）" }));
    colleagues.forEach((o) => select.append(el("option", { value: String(o.id),
      text: o.name + (o.on_duty ? "（在岗）" : "（不在岗）") })));
  }

  function render(c, colleagues) {
    const title = S.caseTitle(c);
    $("case-title").textContent = "#" + c.id + " " + title;
    const who = c.status === "claimed" ? "：" + (c.officer_name || "") + "在处理" : "";
    $("case-state").textContent = (c.priority > 0 ? "紧急 · " : "") + (S.STATUSES[c.status] || c.status) + who;
    $("case-state").className = "case-state" + (c.priority > 0 ? " urgent" : "");
    $("claim").hidden = c.status !== "waiting";
    const acting = mayAct(c);
    ["insert-box", "reply-form", "resolve-form", "handover-form"].forEach((id) => { $(id).hidden = !acting; });
    renderSummary(c);
    renderTranscript(c);
    renderEarlier(c);
    renderLinks(c);
    renderEvents(c);
    $("reach").textContent = c.here === true ? HERE : c.here === false ? LEFT : (REACH[c.reach] || "");
    renderHandover(colleagues);
    $("revealed").hidden = true;
  }

  async function load() {
    if (caseId === null) return;
    try {
      const [c, colleagues] = await Promise.all([call("GET", "/api/staff/cases/" + caseId), loadColleagues()]);
      loaded = c;
      render(c, colleagues);
    } catch (e) {
      loaded = null;
      $("case-title").textContent = e.status === 404 ? "没有这个案子" : "打不开这个案子";
      $("case-state").textContent = e.message;
      ["claim", "insert-box", "reply-form", "resolve-form", "handover-form"].forEach((id) => { $(id).hidden = true; });
    }
  }

  // --- actions ---

  function counter(input, output) {
    const update = () => {
      const over = input.value.length - S.state.textLimit;
      output.textContent = over > 0 ? "超出" + over + "字（最多" + S.state.textLimit + "字）"
        : input.value.length + " / " + S.state.textLimit + "字";
      output.classList.toggle("over", over > 0);
    };
    input.addEventListener("input", update);
    update();
    return update;
  }

  // Sends a text box's words; they stay in the box until the server has them.
  function textAction(formId, inputId, errorId, path, done) {
    const input = $(inputId);
    const error = $(errorId);
    const update = counter(input, $(inputId.replace("-text", "-count")));
    $(formId).addEventListener("submit", async (event) => {
      event.preventDefault();
      S.showError(error, null);
      const text = input.value.trim();
      if (!text) return S.showError(error, new Error("还没有写内容。"));
      if (text.length > S.state.textLimit) {
        return S.showError(error, new Error("太长了：最多" + S.state.textLimit + "字，现在" + text.length +
          "字。请删短一些，或者分成几条发。写的内容还在框里。"));
      }
      try {
        await call("POST", "/api/officer/cases/" + caseId + "/" + path, { text: text });
        input.value = "";
        update();
        if (inputId === "reply-text" && S.reply) S.reply.keep(); // sent: the kept draft goes
        S.announce(done);
        await load();
      } catch (e) { S.showError(error, e); }
    });
  }

  async function act(errorId, path, body, done) {
    const error = $(errorId);
    S.showError(error, null);
    try {
      await call("POST", "/api/officer/cases/" + caseId + "/" + path, body);
      S.announce(done);
      await load();
      return true;
    } catch (e) {
      S.showError(error, e);
      return false;
    }
  }

  async function claim() {
    if (await act("claim-error", "claim", undefined, "您接了这个案子")) $("reply-text").focus();
  }

  async function reveal() {
    try {
      const full = await call("POST", "/api/staff/cases/" + caseId + "/reveal");
      await load(); // the trail now shows this reveal
      full.messages.forEach((m) => {
        const text = document.querySelector('#transcript li[data-id="' + m.id + '"] .line-text');
        if (text) text.textContent = m.text;
      });
      $("revealed").hidden = false;
      $("revealed").textContent = "完整电话：" + (full.phone || "没留") + "。这次查看已记入操作记录。";
    } catch (e) { S.announce(e.message); }
  }

  // 办结 asks once, with an optional note; teaching the assistant from the case stays one click away.
  function askToResolve() {
    if (!loaded || !mayAct(loaded)) return;
    $("resolve-dialog-case").textContent = "#" + loaded.id + " " + S.caseTitle(loaded) + "：办结后会问市民一次“问题解决了吗？”";
    $("resolve-teach").hidden = !S.isSupervisor();
    $("resolve-dialog").returnValue = "";
    $("resolve-dialog").showModal();
    $("resolve-note").focus();
  }

  function wire() {
    textAction("reply-form", "reply-text", "reply-error", "reply", "回复已发给市民");
    textAction("note-form", "note-text", "note-error", "notes", "备注已保存");
    $("claim").addEventListener("click", claim);
    $("reveal").addEventListener("click", reveal);
    $("resolve-open").addEventListener("click", askToResolve);
    $("resolve-dialog").addEventListener("close", async () => {
      if ($("resolve-dialog").returnValue !== "yes") { $("resolve-open").focus(); return; }
      const note = $("resolve-note").value.trim();
      if (await act("resolve-error", "resolve", { note: note || null }, "已办结，已问市民问题解决了没有")) {
        $("resolve-note").value = "";
      }
      $("case-title").focus();
    });
    $("handover-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const to = $("handover-to").value;
      const note = $("handover-note").value.trim();
      if (await act("handover-error", "handover", { to_officer_id: to ? Number(to) : null, note: note || null },
        "已转交")) {
        $("handover-note").value = "";
      }
    });
  }

  S.caseView = {
    open: async (id) => {
      const other = caseId !== id;
      if (other) {
        ["claim-error", "reply-error", "note-error", "resolve-error", "handover-error"]
          .forEach((e) => S.showError($(e), null));
      }
      caseId = id;
      if (other && S.reply) S.reply.restore(id);
      await load();
    },
    claim: () => { if (loaded && loaded.status === "waiting") claim(); },
    resolve: askToResolve,
    reload: load,
    close: () => { caseId = null; loaded = null; },
    showing: () => caseId,
    current: () => loaded,
  };
  wire();
})();
