// The citizen chat page: renders the engine's replies, sends what the citizen types or taps, listens for officers.
// Everything the citizen or an officer wrote is shown with textContent, never as HTML.
"use strict";

(function () {
  const KEYS = { conversation: "citizen-help:conversation", client: "citizen-help:client", big: "citizen-help:big" };
  const BUSY = "系统有点忙，请稍后再试。";
  const WHO = { citizen: "您说", assistant: "小助手", officer: "工作人员" };

  const log = document.getElementById("log");
  const queue = document.getElementById("queue");
  const form = document.getElementById("say");
  const input = document.getElementById("say-text");
  const bigText = document.getElementById("big-text");
  const toPerson = document.getElementById("to-person");
  const sayNote = document.getElementById("say-note");
  const heard = document.getElementById("heard");
  // The server's own limit (assistant/inputs.py MAX_CHARS): longer text is said here and kept, never cut.
  const MAX_CHARS = 2000;

  const shown = new Set();
  let conversationId = null;
  let lastId = 0;
  let sending = false;
  let source = null;
  let relisten = null;
  // A stream refused (too many open) is not retried by the browser: the page tries again itself, a little later.
  const REFUSED_RETRY_MS = 30000;

  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: the page still works, without memory */ }
  }

  function recall(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }

  // --- rendering ---

  // One message read aloud at a time, in the service's own voice (the same as on the phone); the browser's own
  // voice only if that audio cannot be had. Pressing the button again stops it.
  const READ = "读给我听";
  let reading = null; // { audio, button }

  // The button says what it will do; its name says which message, so a screen reader can tell them apart.
  function label(button, state) {
    button.textContent = state;
    button.setAttribute("aria-label", state + "：" + button.dataset.reads);
  }

  function stopReading() {
    if (reading) {
      reading.audio.pause();
      label(reading.button, READ);
      reading = null;
    }
    if ("speechSynthesis" in window) speechSynthesis.cancel();
  }

  // Said on the button when neither our voice nor a Chinese voice of the browser can read the message.
  const CANNOT_READ = "现在不能朗读，请稍后再试";

  function browserSpeak(text, button) {
    const voices = "speechSynthesis" in window ? speechSynthesis.getVoices() : [];
    if (!voices.some((voice) => (voice.lang || "").toLowerCase().startsWith("zh"))) {
      label(button, CANNOT_READ);
      return;
    }
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    speechSynthesis.speak(utterance);
  }

  function speak(message, button) {
    const again = reading && reading.button === button;
    stopReading();
    if (again) return;
    if (typeof message.id !== "number" || !conversationId) {
      browserSpeak(message.text, button);
      return;
    }
    const audio = new Audio("/api/conversations/" + conversationId + "/messages/" + message.id + "/audio");
    const current = { audio: audio, button: button };
    reading = current;
    label(button, "正在准备…");
    const done = () => {
      if (reading !== current) return false;
      reading = null;
      label(button, READ);
      return true;
    };
    const failed = () => { if (done()) browserSpeak(message.text, button); };
    audio.addEventListener("playing", () => { if (reading === current) label(button, "停止朗读"); });
    audio.addEventListener("ended", done);
    audio.addEventListener("error", failed);
    audio.play().catch(failed); // a pause before it started is not a failure: it is no longer the current one
  }

  function choiceButton(choice) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "choice";
    button.dataset.key = choice.key;
    const num = document.createElement("span");
    num.className = "num";
    num.textContent = choice.key;
    button.append(num, " " + choice.label);
    button.addEventListener("click", () => send(choice.label, choice.key));
    return button;
  }

  function render(message) {
    if (shown.has(message.id)) return null;
    shown.add(message.id);
    if (typeof message.id === "number") lastId = Math.max(lastId, message.id);
    // An article named by who said it and what was said: focus taken to it reads the answer out.
    const box = document.createElement("article");
    box.className = "msg msg-" + message.role + (message.priority ? " msg-urgent" : "");
    box.tabIndex = -1;
    const id = "m-" + String(message.id).replace(/[^\w-]/g, "");
    const who = document.createElement("p");
    who.className = "who";
    who.id = id + "-who";
    who.textContent = speaker(message);
    const text = document.createElement("p");
    text.className = "text";
    text.id = id + "-text";
    text.textContent = message.text;
    box.setAttribute("aria-labelledby", who.id + " " + text.id);
    box.append(who, text);
    if (message.choices && message.choices.length) {
      // Only the newest question's buttons stay: older ones would answer a question no longer asked.
      log.querySelectorAll(".choices").forEach((old) => old.remove());
      const group = document.createElement("div");
      group.className = "choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "您可以选");
      message.choices.forEach((choice) => group.append(choiceButton(choice)));
      box.append(group);
    }
    if (message.role !== "citizen") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "speak";
      button.dataset.reads = message.text.length > 20 ? message.text.slice(0, 20) + "…" : message.text;
      label(button, READ);
      button.addEventListener("click", () => speak(message, button));
      box.append(button);
    }
    log.append(box);
    return box;
  }

  function speaker(message) {
    return message.role === "officer" && message.sender ? "工作人员" + message.sender : WHO[message.role];
  }

  // The messages newly shown, in order.
  function renderAll(messages) {
    return messages.map(render).filter((box) => box !== null);
  }

  // What a screen reader should hear without being moved there (an officer's message, the queue's news): said once
  // each, in a polite live region of its own, so nothing already read is read again.
  function announce(text) {
    const line = document.createElement("p");
    line.textContent = text;
    heard.append(line);
    while (heard.childElementCount > 3) heard.firstElementChild.remove();
  }

  // Answers can arrive out of order (a catch-up sent before 找人工 may answer after it): only a newer request's
  // view of the queue may replace an older one, so a late "no case" cannot hide the citizen's place.
  let queueRequests = 0;
  let queueShownFrom = 0;

  // The queue line refreshes live (place, minutes); it is announced only when the case's state changes.
  let queueAnnounced = null;

  function showQueue(status, request) {
    if (request < queueShownFrom) return;
    queueShownFrom = request;
    if (!status || status.status === "resolved") {
      queue.hidden = true;
      queue.textContent = "";
      queueAnnounced = null;
      return;
    }
    queue.hidden = false;
    queue.textContent = status.text;
    const state = status.case_id + ":" + status.status;
    if (state !== queueAnnounced) {
      queueAnnounced = state;
      announce(status.text);
    }
  }

  function notice(text) {
    render({ id: "notice-" + Date.now(), role: "assistant", text: text, choices: [], priority: false });
  }

  // --- talking to the server ---

  // A random key (crypto.randomUUID needs https; this works over plain http too).
  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function call(method, url, body, key) {
    const headers = body ? { "Content-Type": "application/json" } : {};
    if (key) headers["Idempotency-Key"] = key;
    let response;
    try {
      response = await fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined });
    } catch (dropped) {
      throw new Error(BUSY);  // no answer at all (the line dropped): no status, so callOnce tries again
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(typeof data.detail === "string" ? data.detail : (data.message || BUSY));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // A request that changes something carries a fresh key; when the connection drops or the server is briefly
  // down, it is sent again with the same key, so the server does it once however many times it arrives.
  const RETRY_AFTER_MS = [1000, 2000, 4000];
  const RETRIED_STATUS = new Set([502, 503, 504]);

  async function callOnce(url, body) {
    const key = randomKey();
    for (let attempt = 0; ; attempt++) {
      try {
        return await call("POST", url, body, key);
      } catch (error) {
        const retried = error.status === undefined || RETRIED_STATUS.has(error.status);  // no status: no answer
        if (!retried || attempt >= RETRY_AFTER_MS.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS[attempt]));
      }
    }
  }

  async function start() {
    let clientId = recall(KEYS.client);
    if (!clientId) {  // made here, so a start sent again is known as the same one
      clientId = randomKey();
      store(KEYS.client, clientId);
    }
    const data = await callOnce("/api/conversations", { client_id: clientId });
    store(KEYS.conversation, data.id);
    return data;
  }

  async function resume(id) {
    try {
      return await call("GET", "/api/conversations/" + encodeURIComponent(id));
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  async function catchUp() {
    if (!conversationId) return;
    const request = ++queueRequests;
    try {
      const data = await call("GET", "/api/conversations/" + conversationId + "?after=" + lastId);
      renderAll(data.messages);
      showQueue(data.case, request);
    } catch (error) { /* the next reconnect tries again */ }
  }

  function listen() {
    if (source) source.close();
    clearTimeout(relisten);
    source = new EventSource("/api/conversations/" + conversationId + "/events");
    source.addEventListener("open", catchUp);
    source.addEventListener("error", (event) => {
      // An ended stream (idle, or the server restarting) reconnects by itself; a refused one is CLOSED.
      if (event.target === source && source.readyState === EventSource.CLOSED) {
        relisten = setTimeout(listen, REFUSED_RETRY_MS * (1 + Math.random()));
      }
    });
    source.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      const box = render(data.message);
      if (box) {
        box.scrollIntoView({ block: "nearest" });
        if (data.message.role !== "citizen") announce(speaker(data.message) + "：" + data.message.text);
      }
    });
    source.addEventListener("queue", (event) => showQueue(JSON.parse(event.data).case, ++queueRequests));
  }

  // Typed text that cannot be sent is said beside the field, and kept there to be put right.
  function checkTyped(text) {
    if (text.length > MAX_CHARS) {
      sayNote.textContent = "最多写" + MAX_CHARS + "个字，现在是" + text.length + "个字。请删短一点再发送，写好的字都还在。";
      return false;
    }
    sayNote.textContent = "";
    return text.trim() !== "";
  }

  // The first of the new replies to read: an emergency's advice before anything else, else the first answer.
  function firstToRead(boxes) {
    const replies = boxes.filter((box) => !box.classList.contains("msg-citizen"));
    return replies.find((box) => box.classList.contains("msg-urgent")) || replies[0] || boxes[boxes.length - 1];
  }

  // Puts a message's top just under the sticky header (its height changes with 大字 and the screen's width).
  function scrollToRead(box) {
    const header = document.querySelector(".bar").getBoundingClientRect().bottom;
    window.scrollBy(0, box.getBoundingClientRect().top - header - 8);
  }

  async function send(text, key) {
    if (sending) return;
    if (key === undefined && !checkTyped(text)) return;
    sending = true;
    try {
      if (!conversationId) await ready;  // asked before the page had started the conversation: sent once it has
      if (!conversationId) return;  // it could not start, and the page has said so
      const request = ++queueRequests;
      const data = await callOnce("/api/conversations/" + conversationId + "/messages",
        key === undefined ? { text: text } : { text: text, choice: key });
      if (key === undefined) input.value = "";
      const boxes = renderAll(data.messages);
      showQueue(data.case, request);
      if (boxes.length) {
        // Taken to the answer: it is read out, and on a phone the keyboard folds away to show it.
        const first = firstToRead(boxes);
        scrollToRead(first);
        first.focus({ preventScroll: true });
      }
    } catch (error) {
      notice(error.message || BUSY);
    } finally {
      sending = false;
    }
  }

  // --- the page ---

  function setBig(on) {
    document.documentElement.classList.toggle("big", on);
    bigText.setAttribute("aria-pressed", on ? "true" : "false");
    store(KEYS.big, on ? "1" : "0");
  }

  bigText.addEventListener("click", () => setBig(bigText.getAttribute("aria-pressed") !== "true"));
  toPerson.addEventListener("click", () => send("找人工", "0"));
  input.addEventListener("input", () => { if (sayNote.textContent) checkTyped(input.value); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(input.value);
  });

  // --- joining Telegram by a one-time code ---

  const linkSaid = document.getElementById("link-said");
  const linkCode = document.getElementById("link-code");

  async function link(path, body) {
    if (!conversationId) await ready;
    if (!conversationId) return;
    try {
      linkSaid.textContent = (await call("POST", "/api/conversations/" + conversationId + "/" + path, body)).text;
    } catch (error) {
      linkSaid.textContent = error.status === 422 ? "连接码是6位数字，请再看一下。" : (error.message || BUSY);
    }
  }

  document.getElementById("link-get").addEventListener("click", () => link("link-code"));
  document.getElementById("link-use").addEventListener("submit", (event) => {
    event.preventDefault();
    link("link", { code: linkCode.value.trim() }).then(() => { linkCode.value = ""; });
  });

  async function boot() {
    setBig(recall(KEYS.big) === "1");
    try {
      const saved = recall(KEYS.conversation);
      const data = (saved && (await resume(saved))) || (await start());
      conversationId = data.id;
      renderAll(data.messages);
      showQueue(data.case, ++queueRequests);  // nothing else is in flight before listen()
      const last = log.lastElementChild;
      if (last) last.scrollIntoView({ block: "end" });
      listen();
    } catch (error) {
      notice(error.message || BUSY);
    }
  }

  const ready = boot();
})();
