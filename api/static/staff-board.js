// The supervisor's board (#/board): who is on duty and their cases, the citizens waiting longest, callbacks at
// risk, live (reloaded on the console's live events and every half minute); and the canned replies they keep.
"use strict";

(function () {
  const S = window.Staff;
  const { el, clear, call } = S;
  const $ = (id) => document.getElementById(id);
  let timer = null;
  let every = null;

  function render(board) {
    $("board-summary").textContent = "等待中 " + board.waiting + " 人" +
      (board.urgent_waiting ? "，其中紧急 " + board.urgent_waiting + " 人" : "") + "；在岗 " +
      board.officers.filter((o) => o.on_duty).length + " 人。";
    const officers = $("board-officers");
    clear(officers);
    board.officers.forEach((o) => officers.append(el("tr", {},
      el("td", { text: o.name }), el("td", { text: o.on_duty ? "在岗" : "不在岗" }),
      el("td", { text: String(o.claimed) }))));
    if (!board.officers.length) officers.append(el("tr", {}, el("td", { colspan: "3", text: "现在没有人在岗。" })));
    const oldest = $("board-oldest");
    clear(oldest);
    board.oldest.forEach((c) => oldest.append(el("li", {},
      el("a", { href: "#/case/" + c.id, text: "#" + c.id + " " + S.caseTitle(c) }),
      el("span", { className: "sla sla-" + (c.priority > 0 ? "red" : S.slaLevel(c.created_at)),
        dataset: { since: c.created_at, urgent: c.priority > 0 ? "1" : "" },
        text: " 已等 " + S.since(c.created_at) }))));
    if (!board.oldest.length) oldest.append(el("li", { text: "没有人在等。" }));
    const risk = $("board-risk");
    clear(risk);
    board.at_risk.forEach((cb) => risk.append(el("tr", { className: cb.overdue ? "late" : "" },
      el("td", { text: S.dateTime(cb.due_at) }),
      el("td", {}, el("a", { href: "#/case/" + cb.case_id, text: "#" + cb.case_id })),
      el("td", { text: cb.phone }), el("td", { text: cb.overdue ? "已过时间" : "快到时间" }))));
    $("board-risk-empty").hidden = board.at_risk.length > 0;
  }

  async function load() {
    S.showError($("board-error"), null);
    try {
      const [board, canned] = await Promise.all([call("GET", "/api/staff/board"), call("GET", "/api/staff/canned")]);
      render(board);
      renderCanned(canned);
    } catch (e) { S.showError($("board-error"), e); }
  }

  function renderCanned(replies) {
    const list = $("canned");
    clear(list);
    replies.forEach((r) => list.append(el("li", { className: "canned-item" },
      el("strong", { text: r.title }), "：" + r.text + " ",
      el("button", { type: "button", className: "quiet", text: "删除", "aria-label": "删除常用回复：" + r.title,
        onclick: () => remove(r) }))));
    if (!replies.length) list.append(el("li", { text: "还没有常用回复。" }));
  }

  async function remove(reply) {
    if (!window.confirm("删除常用回复“" + reply.title + "”吗？")) return;
    try {
      await call("DELETE", "/api/staff/canned/" + reply.id);
      S.announce("已删除");
      load();
    } catch (e) { S.showError($("canned-error"), e); }
  }

  async function add(event) {
    event.preventDefault();
    const error = $("canned-error");
    S.showError(error, null);
    const title = $("canned-title-input").value.trim();
    const text = $("canned-text").value.trim();
    if (!title || !text) return S.showError(error, new Error("请写上标题和回复的话。"));
    try {
      await call("POST", "/api/staff/canned", { title: title, text: text });
      $("canned-title-input").value = "";
      $("canned-text").value = "";
      S.announce("已添加常用回复：" + title);
      load();
    } catch (e) { S.showError(error, e); }
  }

  function soon() {
    clearTimeout(timer);
    timer = window.setTimeout(load, 300);
  }

  $("canned-form").addEventListener("submit", add);
  window.addEventListener("hashchange", () => {
    if (window.location.hash !== "#/board") { clearInterval(every); every = null; }
  });
  S.board = {
    open: async () => {
      clearInterval(every);
      every = window.setInterval(load, 30000);
      await load();
    },
    soon: soon,
  };
})();
