// Shared by the staff console's scripts: calls to the server (with the CSRF token), building elements, times.
// Text from citizens and officers only ever goes into the page through textContent, never as HTML.
"use strict";

window.Staff = (function () {
  const BUSY = "系统有点忙，请稍后再试。";
  const state = { officer: null, csrf: "", sla: { amber: 5, red: 15 }, textLimit: 2000 };

  function messageOf(data, status) {
    if (data && typeof data.message === "string") return data.message;
    if (data && typeof data.detail === "string") return data.detail;
    if (status === 401) return "请先登录";
    return BUSY;
  }

  let lastCall = Date.now();

  async function call(method, url, body) {
    lastCall = Date.now();
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
    let response;
    try {
      response = await fetch(url, { method: method, headers: headers, credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      const error = new Error("连不上服务器，请检查网络后再试。");
      error.status = 0;
      throw error;
    }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(messageOf(data, response.status));
      error.status = response.status;
      error.data = data;
      if (response.status === 401 && state.officer && window.Staff.onLoggedOut) window.Staff.onLoggedOut();
      throw error;
    }
    return data;
  }

  async function refreshSession() {
    const data = await call("GET", "/api/staff/session");
    state.officer = data.officer;
    state.csrf = data.csrf_token;
    state.sla = { amber: data.sla_amber_minutes, red: data.sla_red_minutes };
    state.textLimit = data.text_limit;
    return data;
  }

  // The server ends a session after a while without requests (STAFF_IDLE_MINUTES). Typing a long reply or reading
  // a case sends none, so a key press, click or scroll after a quiet minute tells the server the officer is there.
  function stillHere() {
    if (state.officer && Date.now() - lastCall >= 60000) call("GET", "/api/officer/me").catch(() => {});
  }
  ["keydown", "pointerdown", "wheel"].forEach((type) =>
    document.addEventListener(type, stillHere, { passive: true, capture: true }));

  // el("p", {className: "x", text: "..."}, child, ...): attributes by name, text only as text.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (value === undefined || value === null || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    children.flat().forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      node.append(child instanceof Node ? child : String(child));
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function clock(iso) {
    const d = new Date(iso);
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function dateTime(iso) {
    const d = new Date(iso);
    return (d.getMonth() + 1) + "月" + d.getDate() + "日 " + clock(iso);
  }

  function since(iso) {
    const seconds = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(seconds % 60);
  }

  // The timer of a case that is not resolved: ok, amber or red against the configured limits.
  function slaLevel(iso) {
    const minutes = (Date.now() - new Date(iso).getTime()) / 60000;
    if (minutes >= state.sla.red) return "red";
    if (minutes >= state.sla.amber) return "amber";
    return "ok";
  }

  function announce(text) {
    const region = document.getElementById("announcer");
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  // What the case is about, for titles: the matched service, else why it came to a person.
  function caseTitle(c) {
    if (c.summary && c.summary.service_title) return c.summary.service_title;
    return c.reason === "emergency" ? "紧急情况" : "没说清是什么事";
  }

  function isSupervisor() {
    return Boolean(state.officer) && (state.officer.role === "supervisor" || state.officer.role === "admin");
  }

  // Shows a problem next to a form without touching what was typed.
  function showError(node, error) {
    node.textContent = error ? (error.message || BUSY) : "";
    node.hidden = !error;
  }

  const CHANNELS = { web: "网页", telegram: "Telegram", phone: "电话", voice: "电话", test: "测试" };
  const REASONS = { asked: "市民要求找人工", two_misses: "两次没听懂", emergency: "紧急情况",
    out_of_scope: "不在服务范围", reopened: "重新打开" };
  const STATUSES = { waiting: "等待中", claimed: "处理中", resolved: "已办结" };

  return { state, call, refreshSession, el, clear, clock, dateTime, since, slaLevel, announce, isSupervisor,
    caseTitle, showError, CHANNELS, REASONS, STATUSES, BUSY };
})();
