// Keyboard shortcuts, listed on "?": / search, n the next waiting case (emergencies first), c claim, r resolve.
// Not while typing in a box, and never with Ctrl, Alt or ⌘ (the browser's own shortcuts stay).
"use strict";

(function () {
  const S = window.Staff;
  const $ = (id) => document.getElementById(id);

  function typing(target) {
    return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  function help() {
    if (!$("keys-dialog").open) $("keys-dialog").showModal();
  }

  async function next() {
    try {
      const c = await S.find.nextWaiting();
      if (c) window.location.hash = "#/case/" + c.id;
      else S.announce("现在没有等待中的案子");
    } catch (e) { S.announce(e.message); }
  }

  document.addEventListener("keydown", (event) => {
    if (!S.state.officer || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    const onCase = S.caseView.showing() !== null;
    if (event.key === "?") { event.preventDefault(); help(); }
    else if (event.key === "/") {
      event.preventDefault();
      if (onCase) window.location.hash = "#/queue";
      window.setTimeout(() => $("find-q").focus(), 0);
    } else if (event.key === "n") { event.preventDefault(); next(); }
    else if (event.key === "c" && onCase) { event.preventDefault(); S.caseView.claim(); }
    else if (event.key === "r" && onCase) { event.preventDefault(); S.caseView.resolve(); }
  });
  $("keys-help").addEventListener("click", help);
})();
