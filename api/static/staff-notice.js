// Noticing what matters: a new case or a citizen's new message marks the tab's title ("(2) 排队的市民") until the
// officer opens that case; if the officer allows it, a desktop notification and a short sound as well (both off
// until switched on, remembered in this browser).
"use strict";

(function () {
  const S = window.Staff;
  const $ = (id) => document.getElementById(id);
  const BASE_TITLE = document.title;
  const fresh = new Set(); // cases opened or written to since the officer last looked at them
  const unread = new Set(); // of those, cases whose citizen wrote
  const PREFS = "staff-notice";

  function prefs() {
    try { return JSON.parse(window.localStorage.getItem(PREFS) || "{}"); } catch (e) { return {}; }
  }

  function savePrefs(p) {
    try { window.localStorage.setItem(PREFS, JSON.stringify(p)); } catch (e) { /* private mode: not kept */ }
  }

  function renderTitle() {
    document.title = fresh.size ? "(" + fresh.size + ") 排队的市民 · 工作台" : BASE_TITLE;
  }

  function renderToggles() {
    const p = prefs();
    const allowed = "Notification" in window && window.Notification.permission === "granted";
    $("notify").setAttribute("aria-pressed", p.notify && allowed ? "true" : "false");
    $("notify").textContent = "桌面提醒：" + (p.notify && allowed ? "开" : "关");
    $("sound").setAttribute("aria-pressed", p.sound ? "true" : "false");
    $("sound").textContent = "提示音：" + (p.sound ? "开" : "关");
  }

  function beep() {
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.35);
      tone.onended = () => audio.close();
    } catch (e) { /* no audio here */ }
  }

  function desktop(title, body, caseId) {
    if (!("Notification" in window) || window.Notification.permission !== "granted") return;
    try {
      const note = new window.Notification(title, { body: body, tag: "case-" + caseId });
      note.onclick = () => { window.focus(); window.location.hash = "#/case/" + caseId; };
    } catch (e) { /* some browsers allow notifications only from a service worker */ }
  }

  // A new case (urgent ones say so) or a citizen's words on a case not open on screen.
  function mark(caseId, what, urgent) {
    if (S.caseView.showing() === caseId && !document.hidden) return;
    fresh.add(caseId);
    if (what === "message") unread.add(caseId);
    renderTitle();
    const p = prefs();
    if (p.sound) beep();
    if (p.notify) desktop((urgent ? "紧急！" : "") + (what === "message" ? "市民发来新消息" : "有新的案子"),
      "#" + caseId, caseId);
  }

  function seen(caseId) {
    fresh.delete(caseId);
    unread.delete(caseId);
    renderTitle();
  }

  async function toggleNotify() {
    const p = prefs();
    if (!p.notify && "Notification" in window && window.Notification.permission !== "granted") {
      const answer = await window.Notification.requestPermission();
      if (answer !== "granted") {
        S.announce("浏览器没有允许桌面提醒：可以在浏览器的网站设置里打开。");
        renderToggles();
        return;
      }
    }
    p.notify = !p.notify;
    savePrefs(p);
    renderToggles();
    S.announce(p.notify ? "桌面提醒已打开" : "桌面提醒已关闭");
  }

  function toggleSound() {
    const p = prefs();
    p.sound = !p.sound;
    savePrefs(p);
    renderToggles();
    if (p.sound) beep();
    S.announce(p.sound ? "提示音已打开" : "提示音已关闭");
  }

  function clearAll() {
    fresh.clear();
    unread.clear();
    renderTitle();
  }

  $("notify").addEventListener("click", toggleNotify);
  $("sound").addEventListener("click", toggleSound);
  renderToggles();
  S.notice = { mark: mark, seen: seen, isUnread: (id) => unread.has(id), clear: clearAll };
})();
