// The queue view: tabs with their counts, one search box, filters and pages, all answered by the server
// (GET /api/officer/cases and /cases/counts); live events reload the page shown.
"use strict";

(function () {
  const S = window.Staff;
  const { el, clear, call } = S;
  const $ = (id) => document.getElementById(id);
  const shown = new Map(); // the cases of the page shown, by id
  const query = { status: "open", q: "", channel: "", emergency: false, age: "", page: 1 };
  let hasMore = false;
  let reloadTimer = null;
  const TAB_NAMES = { open: "全部在办", waiting: "等待中", mine: "我在办的", others: "同事在办的", resolved: "已办结",
    cancelled: "已取消" };
  const CLOSED = ["resolved", "cancelled"];

  function params(extra) {
    const p = new URLSearchParams();
    const all = Object.assign({}, query, extra || {});
    Object.entries(all).forEach(([key, value]) => {
      if (value === "" || value === false || value === null) return;
      p.set(key, String(value));
    });
    return p.toString();
  }

  // A claimed case's timer runs from the citizen's last words; a waiting one from the call for a person.
  // An emergency is red at once.
  function timerOf(c) {
    if (CLOSED.includes(c.status)) {
      return { level: "done", text: (c.status === "resolved" ? "办结于 " : "取消于 ") +
        (c.resolved_at ? S.dateTime(c.resolved_at) : "") };
    }
    if (c.status === "claimed") {
      const from = c.last_citizen_at || c.claimed_at || c.created_at;
      return { level: "ok", since: from, text: "市民上次说话 " + S.since(from) + " 前" };
    }
    const level = c.priority > 0 ? "red" : S.slaLevel(c.created_at);
    const word = { ok: "", amber: " · 快超时", red: c.priority > 0 ? " · 紧急" : " · 已超时" }[level];
    return { level: level, since: c.created_at, urgent: c.priority > 0, text: "已等 " + S.since(c.created_at) + word };
  }

  function timerNode(c) {
    const timer = timerOf(c);
    const data = timer.since ? { since: timer.since, kind: c.status === "claimed" ? "quiet" : "wait",
      urgent: timer.urgent ? "1" : "" } : {};
    return el("span", { className: "sla sla-" + timer.level, dataset: data, text: timer.text });
  }

  function row(c) {
    const said = ((c.summary && c.summary.said) || []).slice(-2);
    const who = c.status === "claimed" ? (c.officer_name || "有人") + "在处理" : (S.STATUSES[c.status] || c.status);
    const channel = c.channel || (c.summary && c.summary.channel);
    const link = el("a", { href: "#/case/" + c.id, className: "case-link" },
      c.priority > 0 ? el("span", { className: "tag urgent", text: "紧急" }) : null,
      el("span", { className: "case-name", text: "#" + c.id + " " + S.caseTitle(c) }),
      S.notice.isUnread(c.id) ? el("span", { className: "tag new", text: "有新消息" }) : null,
      el("span", { className: "case-meta",
        text: [S.CHANNELS[channel] || channel, S.REASONS[c.reason] || c.reason, who].filter(Boolean).join(" · ") }),
      said.length ? el("span", { className: "case-said", text: said.map((t) => "“" + t + "”").join(" → ") }) : null);
    return el("li", { className: "case-row" + (c.priority > 0 && !CLOSED.includes(c.status) ? " urgent" : ""),
      dataset: { caseId: c.id } }, link, timerNode(c));
  }

  function tick() {
    document.querySelectorAll(".sla[data-since]").forEach((node) => {
      const since = node.dataset.since;
      if (node.dataset.kind === "quiet") {
        node.textContent = "市民上次说话 " + S.since(since) + " 前";
        return;
      }
      const level = node.dataset.urgent ? "red" : S.slaLevel(since);
      const word = { ok: "", amber: " · 快超时", red: node.dataset.urgent ? " · 紧急" : " · 已超时" }[level];
      node.textContent = "已等 " + S.since(since) + word;
      node.className = "sla sla-" + level;
    });
  }

  // The tabs' counts; for very common words each tab is counted up to a cap, which the server names.
  async function countsOf(search) {
    const response = await fetch("/api/officer/cases/counts" + (search ? "?" + search : ""),
      { credentials: "same-origin" });
    if (!response.ok) throw new Error(S.BUSY);
    return { tabs: await response.json(), cap: Number(response.headers.get("X-Counts-Capped")) || null };
  }

  function renderTabs(counts) {
    const tabs = counts.tabs;
    const all = Object.assign({ open: (tabs.waiting || 0) + (tabs.mine || 0) + (tabs.others || 0) }, tabs);
    document.querySelectorAll("#tabs button").forEach((button) => {
      const tab = button.dataset.tab;
      const n = all[tab] || 0;
      button.setAttribute("aria-pressed", tab === query.status ? "true" : "false");
      button.querySelector(".count-of").textContent = "（" + (counts.cap && n >= counts.cap ? counts.cap + "+" : n) +
        "）";
    });
  }

  function describe(count) {
    const parts = [TAB_NAMES[query.status]];
    if (query.q) parts.push("搜索“" + query.q + "”");
    if (query.channel) parts.push(S.CHANNELS[query.channel]);
    if (query.emergency) parts.push("只看紧急");
    if (query.age) parts.push($("filter-age").selectedOptions[0].textContent);
    return parts.join(" · ") + "：第" + query.page + "页，" + count + "个案子" + (hasMore ? "，后面还有" : "");
  }

  // Answers can come back out of order (a tab clicked while the first list still loads): only the newest
  // request's answer is shown, so an older one never puts another tab's cases under this tab.
  let loads = 0;

  async function load() {
    const error = $("queue-error");
    const mine = ++loads;
    S.showError(error, null);
    try {
      // The page first; the tabs' counts follow when they come (for common words they take longer).
      const counting = Promise.all([countsOf(params({ status: "", page: "" })), countsOf("")]);
      counting.catch(() => {});
      const response = await fetch("/api/officer/cases?" + params(), { credentials: "same-origin" });
      if (response.status === 401) { if (S.onLoggedOut) S.onLoggedOut(); return; }
      if (!response.ok) throw new Error(S.BUSY);
      const list = await response.json();
      if (mine !== loads) return;
      hasMore = response.headers.get("X-Has-More") === "true";
      shown.clear();
      list.forEach((c) => shown.set(c.id, c));
      const queue = $("queue");
      clear(queue);
      list.forEach((c) => queue.append(row(c)));
      $("queue-empty").hidden = list.length > 0;
      $("queue-empty").textContent = query.q || query.channel || query.emergency || query.age
        ? "没有找到符合条件的案子。" : (query.status === "open" ? "现在没有人排队。" : "这里没有案子。");
      $("page-prev").disabled = query.page <= 1;
      $("page-next").disabled = !hasMore;
      $("page-now").textContent = "第" + query.page + "页";
      $("find-summary").textContent = describe(list.length);
      const [counts, badge] = await counting;
      if (mine !== loads) return;
      renderTabs(counts);
      $("queue-count").textContent = badge.tabs.waiting ? String(badge.tabs.waiting) : "";
    } catch (e) { if (mine === loads) S.showError(error, e); }
  }

  // Live events: the page shown is asked again, a moment later (several events in a burst: one request).
  function soon() {
    clearTimeout(reloadTimer);
    reloadTimer = window.setTimeout(load, 250);
  }

  function set(changes) {
    Object.assign(query, changes);
    if (!("page" in changes)) query.page = 1;
    load();
  }

  async function nextWaiting() {
    const [first] = await call("GET", "/api/officer/cases?status=waiting");
    return first || null;
  }

  function wire() {
    $("find-form").addEventListener("submit", (event) => {
      event.preventDefault();
      set({ q: $("find-q").value.trim() });
    });
    $("find-clear").addEventListener("click", () => {
      $("find-q").value = "";
      set({ q: "" });
      $("find-q").focus();
    });
    document.querySelectorAll("#tabs button").forEach((button) =>
      button.addEventListener("click", () => set({ status: button.dataset.tab })));
    $("filter-channel").addEventListener("change", (e) => set({ channel: e.target.value }));
    $("filter-emergency").addEventListener("change", (e) => set({ emergency: e.target.checked }));
    $("filter-age").addEventListener("change", (e) => set({ age: e.target.value }));
    $("page-prev").addEventListener("click", () => set({ page: Math.max(1, query.page - 1) }));
    $("page-next").addEventListener("click", () => set({ page: query.page + 1 }));
    window.setInterval(tick, 1000);
  }

  S.find = { load: load, soon: soon, get: (id) => shown.get(id), nextWaiting: nextWaiting, query: query };
  wire();
})();
