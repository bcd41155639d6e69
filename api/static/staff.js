// The staff console: login, on-duty toggle, the live queue (Server-Sent Events), today's callbacks, and the routes
// between the views (#/queue, #/case/12, #/callbacks, #/knowledge, #/logins, #/board).
"use strict";

(function () {
  const S = window.Staff;
  const { el, clear, call } = S;
  const VIEWS = ["login", "queue", "case", "callbacks", "knowledge", "logins", "board"];
  let source = null;
  let relisten = null;
  let current = null;
  const REFUSED_RETRY_MS = 30000; // a refused stream (too many open) is not retried by the browser itself

  const $ = (id) => document.getElementById(id);

  function show(name) {
    current = name;
    VIEWS.forEach((view) => { $(view + "-view").hidden = view !== name; });
    document.querySelectorAll("#nav a").forEach((link) => {
      if (link.dataset.view === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
  }

  // --- login and the header ---

  async function login(event) {
    event.preventDefault();
    const error = $("login-error");
    S.showError(error, null);
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    if (!username || !password) {
      S.showError(error, new Error("请填写用户名和密码。"));
      return;
    }
    const button = $("login-submit");
    button.disabled = true;
    button.textContent = "正在登录……";
    $("login-form").setAttribute("aria-busy", "true");
    $("login-busy").textContent = "正在核对用户名和密码……";
    try {
      await call("POST", "/api/officer/login", { username: username, password: password });
      $("login-password").value = "";
      await S.refreshSession(); // the session was renewed at login: a new CSRF token with it
      start();
    } catch (e) {
      S.showError(error, e);
      $("login-password").focus();
    } finally {
      button.disabled = false;
      button.textContent = "登录";
      $("login-form").removeAttribute("aria-busy");
      $("login-busy").textContent = "";
    }
  }

  function renderMe() {
    const officer = S.state.officer;
    const roles = { officer: "工作人员", supervisor: "组长", admin: "管理员" };
    $("me-name").textContent = officer.name + "（" + (roles[officer.role] || officer.role) + "）";
    $("duty").setAttribute("aria-pressed", officer.on_duty ? "true" : "false");
    $("duty").title = officer.on_duty ? "您在岗：市民找人工会排到您这里" : "您不在岗：没人在岗时市民会被安排回电";
    $("nav-knowledge").hidden = !S.isSupervisor();
    $("nav-logins").hidden = !S.isSupervisor();
    $("nav-board").hidden = !S.isSupervisor();
  }

  async function toggleDuty() {
    try {
      S.state.officer = await call("PUT", "/api/officer/duty", { on_duty: !S.state.officer.on_duty });
      renderMe();
      S.announce(S.state.officer.on_duty ? "您已在岗" : "您已下岗");
    } catch (e) {
      S.announce(e.message);
    }
  }

  async function logout() {
    try {
      if (S.state.officer && S.state.officer.on_duty) await call("PUT", "/api/officer/duty", { on_duty: false });
      await call("POST", "/api/officer/logout");
    } catch (e) { /* the session may be gone already */ }
    if (S.reply) S.reply.forgetDrafts(); // a chosen logout: unsent words do not stay on a shared computer
    loggedOut();
  }

  function loggedOut() {
    if (source) source.close();
    source = null;
    clearTimeout(relisten);
    S.notice.clear();
    S.caseView.close(); // the next officer here starts from an empty reply box
    ["reply-text", "note-text", "resolve-note"].forEach((id) => { $(id).value = ""; });
    S.state.officer = null;
    $("nav").hidden = true;
    $("me").hidden = true;
    $("connection").hidden = true;
    S.refreshSession().catch(() => {});
    show("login");
    $("login-username").focus();
  }

  S.onLoggedOut = loggedOut;

  // --- the queue (staff-find.js) ---

  const loadQueue = () => S.find.load();

  // --- live events ---

  function caseChanged(c, opened) {
    S.find.soon();
    if (current === "board") S.board.soon();
    if (opened) {
      S.announce((c.priority > 0 ? "紧急！" : "") + "新案子：" + S.caseTitle(c));
      S.notice.mark(c.id, "case", c.priority > 0);
    }
    if (S.caseView.showing() === c.id) S.caseView.reload();
  }

  // The browser gives up on a stream the server refused (401 once the session has ended): still logged in, listen
  // again a little later; logged out, show the login form.
  async function reconnectOrLogIn() {
    try {
      await S.refreshSession();
    } catch (e) {
      window.setTimeout(reconnectOrLogIn, 5000); // the server is away: ask again
      return;
    }
    // Still signed in: the stream was refused (too many open) or the server failed; try again later, not at once.
    if (S.state.officer) relisten = window.setTimeout(listen, REFUSED_RETRY_MS * (1 + Math.random()));
    else loggedOut();
  }

  function listen() {
    if (source) source.close();
    clearTimeout(relisten);
    const stream = new EventSource("/api/officer/events");
    source = stream;
    stream.addEventListener("open", () => {
      $("connection").hidden = true;
      loadQueue().catch(() => {}); // anything missed while disconnected
    });
    stream.addEventListener("error", () => {
      if (source !== stream) return;
      $("connection").hidden = false;
      $("connection").textContent = "和服务器的实时连接断了，正在重连……";
      if (stream.readyState === EventSource.CLOSED) reconnectOrLogIn();
    });
    stream.addEventListener("case_opened", (e) => caseChanged(JSON.parse(e.data).case, true));
    stream.addEventListener("case_updated", (e) => caseChanged(JSON.parse(e.data).case, false));
    stream.addEventListener("citizen_message", (e) => {
      const data = JSON.parse(e.data);
      if (S.caseView.showing() === data.case_id) S.caseView.reload();
      S.notice.mark(data.case_id, "message", false);
      S.find.soon();
    });
    stream.addEventListener("delivery", (e) => { // an officer's words did not reach, or at last reached, a chat
      if (S.caseView.showing() === JSON.parse(e.data).case_id) S.caseView.reload();
    });
    stream.addEventListener("callback_booked", () => {
      if (current === "callbacks") loadCallbacks();
      if (current === "board") S.board.soon();
    });
  }

  // --- callbacks due today ---

  const CALLBACK_STATUS = { pending: "未打", done: "已打通", missed: "打了没人接", expired: "过期作废" };

  function callbackRow(cb) {
    const phone = el("span", { className: "phone", text: cb.phone });
    const result = el("td", {});
    const error = $("callbacks-error");
    async function close(reached) {
      try {
        const closed = await call("POST", "/api/officer/callbacks/" + cb.id + "/close", { reached: reached });
        S.announce("已记录：" + CALLBACK_STATUS[closed.status]);
        loadCallbacks();
      } catch (e) { S.showError(error, e); }
    }
    async function reveal() {
      try {
        const full = await call("POST", "/api/staff/callbacks/" + cb.id + "/reveal");
        phone.replaceWith(el("a", { href: "tel:" + full.phone, className: "phone", text: full.phone }));
      } catch (e) { S.showError(error, e); }
    }
    if (cb.status === "pending") {
      result.append(el("span", { className: "row" },
        el("button", { type: "button", text: "打通了", onclick: () => close(true) }),
        el("button", { type: "button", className: "quiet", text: "没人接", onclick: () => close(false) })));
    } else {
      result.append(CALLBACK_STATUS[cb.status] + (cb.done_at ? "（" + S.clock(cb.done_at) + "）" : ""));
    }
    const phoneCell = el("td", {}, phone, cb.status === "pending"
      ? el("button", { type: "button", className: "quiet small", text: "显示号码", onclick: reveal }) : null);
    const late = cb.status === "pending" && new Date(cb.due_at) < new Date();
    return el("tr", { className: late ? "late" : "" },
      el("td", { text: S.dateTime(cb.due_at) + (late ? "（已过时间）" : "") }),
      el("td", {}, el("a", { href: "#/case/" + cb.case_id, text: "#" + cb.case_id + " " +
        (cb.service_title || "没说清是什么事") })),
      phoneCell, result);
  }

  async function loadCallbacks() {
    S.showError($("callbacks-error"), null);
    try {
      const rows = await call("GET", "/api/staff/callbacks/today");
      const body = $("callbacks");
      clear(body);
      rows.forEach((cb) => body.append(callbackRow(cb)));
      $("callbacks-empty").hidden = rows.length > 0;
    } catch (e) { S.showError($("callbacks-error"), e); }
  }

  // --- routes ---

  function focusView(name) {
    const heading = $(name + "-view").querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }

  async function route() {
    if (!S.state.officer) return;
    const hash = window.location.hash || "#/queue";
    const caseMatch = hash.match(/^#\/case\/(\d+)$/);
    if (caseMatch) {
      const id = Number(caseMatch[1]);
      S.notice.seen(id);
      show("case");
      await S.caseView.open(id);
    } else if (hash === "#/callbacks") {
      S.caseView.close();
      show("callbacks");
      await loadCallbacks();
    } else if (hash === "#/knowledge" && S.isSupervisor()) {
      S.caseView.close();
      show("knowledge");
      await S.knowledge.open();
    } else if (hash === "#/board" && S.isSupervisor()) {
      S.caseView.close();
      show("board");
      await S.board.open();
    } else if (hash === "#/logins" && S.isSupervisor()) {
      S.caseView.close();
      show("logins");
      await S.logins.open();
    } else {
      S.caseView.close();
      show("queue");
      loadQueue().catch(() => {});
    }
    focusView(current);
  }

  function start() {
    renderMe();
    $("nav").hidden = false;
    $("me").hidden = false;
    $("sla-hint").textContent = "超过" + S.state.sla.amber + "分钟变黄，超过" + S.state.sla.red + "分钟变红";
    loadQueue().catch(() => {});
    listen();
    route();
  }

  async function boot() {
    $("login-form").addEventListener("submit", login);
    $("duty").addEventListener("click", toggleDuty);
    $("logout").addEventListener("click", logout);
    window.addEventListener("hashchange", route);
    try {
      await S.refreshSession();
    } catch (e) {
      show("login");
      S.showError($("login-error"), e);
      return;
    }
    if (S.state.officer) start();
    else {
      show("login");
      $("login-username").focus();
    }
  }

  S.queue = { get: (id) => S.find.get(id), reload: loadQueue };
  boot();
})();
