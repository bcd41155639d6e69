// The reply box's helpers: insert a guide's answer or a canned reply found by a few characters of its title (the
// text goes into the box for editing, never sent as it is), Ctrl+Enter (⌘+Enter) sends, and the words not yet
// sent are kept per case in this browser until they are sent (a reload loses nothing).
"use strict";

(function () {
  const S = window.Staff;
  const { el, clear, call } = S;
  const $ = (id) => document.getElementById(id);
  const DRAFTS = "staff-draft:";
  let caseId = null;
  let found = [];
  let active = -1;
  let asking = null;

  function draftKey(id) {
    return DRAFTS + (S.state.officer ? S.state.officer.id : 0) + ":" + id;
  }

  function keep() {
    if (caseId === null) return;
    try {
      const text = $("reply-text").value;
      if (text) window.localStorage.setItem(draftKey(caseId), text);
      else window.localStorage.removeItem(draftKey(caseId));
    } catch (e) { /* storage full or off: the box still holds it */ }
  }

  function restore(id) {
    caseId = id;
    let text = "";
    try { text = window.localStorage.getItem(draftKey(id)) || ""; } catch (e) { /* off */ }
    $("reply-text").value = text;
    $("reply-text").dispatchEvent(new Event("input"));
  }

  function forgetDrafts() {
    try {
      Object.keys(window.localStorage).filter((k) => k.startsWith(DRAFTS))
        .forEach((k) => window.localStorage.removeItem(k));
    } catch (e) { /* off */ }
  }

  function insert(item) {
    const box = $("reply-text");
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    box.value = box.value.slice(0, start) + item.text + box.value.slice(end);
    box.dispatchEvent(new Event("input"));
    closeList();
    $("insert-q").value = "";
    box.focus();
    box.setSelectionRange(start + item.text.length, start + item.text.length);
    S.announce("已插入“" + item.title + "”，可以改了再发");
  }

  function closeList() {
    $("insert-list").hidden = true;
    $("insert-q").setAttribute("aria-expanded", "false");
    $("insert-q").removeAttribute("aria-activedescendant");
    active = -1;
  }

  function renderList() {
    const list = $("insert-list");
    clear(list);
    found.forEach((item, n) => list.append(el("li", {
      id: "insert-" + n, role: "option", className: "insert-item", "aria-selected": n === active ? "true" : "false",
      onmousedown: (e) => { e.preventDefault(); insert(item); },
    }, el("span", { className: "tag", text: item.kind === "guide" ? "指南" : "常用" }), item.title)));
    if (!found.length) list.append(el("li", { className: "insert-none", text: "没有找到：换几个字试试" }));
    list.hidden = false;
    $("insert-q").setAttribute("aria-expanded", "true");
    if (active >= 0) $("insert-q").setAttribute("aria-activedescendant", "insert-" + active);
  }

  async function ask() {
    const q = $("insert-q").value.trim();
    if (!q) { closeList(); return; }
    const mine = Symbol("ask");
    asking = mine;
    try {
      const items = await call("GET", "/api/staff/replies?q=" + encodeURIComponent(q));
      if (asking !== mine) return; // a newer question was asked meanwhile
      found = items;
      active = items.length ? 0 : -1;
      renderList();
    } catch (e) { S.showError($("reply-error"), e); }
  }

  function onInsertKey(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!found.length) return;
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      renderList();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0 && found[active]) insert(found[active]);
    } else if (event.key === "Escape") {
      closeList();
    }
  }

  function wire() {
    let timer = null;
    $("insert-q").addEventListener("input", () => { clearTimeout(timer); timer = window.setTimeout(ask, 150); });
    $("insert-q").addEventListener("keydown", onInsertKey);
    $("insert-q").addEventListener("blur", () => window.setTimeout(closeList, 150));
    $("reply-text").addEventListener("input", keep);
    $("reply-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        $("reply-form").requestSubmit();
      }
    });
  }

  S.reply = { restore: restore, keep: keep, forgetDrafts: forgetDrafts, sent: () => keep() };
  wire();
})();
