// The knowledge-gap loop, for supervisors: grouped questions the assistant missed, attaching them to a guide,
// drafting a new guide, retraining with progress, and guides past their review date.
"use strict";

(function () {
  const S = window.Staff;
  const { el, clear, call } = S;
  const $ = (id) => document.getElementById(id);
  const SHOWN_GROUPS = 50;
  let labels = [];
  let polling = null;

  // [name, label, kind]: the fields of a service guide (knowledge/schema.py), in the order a person fills them.
  const FIELDS = [
    ["id", "编号（小写英文字母、数字和连字符，如 senior-bath-subsidy）", "text"],
    ["title", "标题", "text"], ["department", "主管部门", "text"],
    ["office", "办理窗口代号（办事地点配置里的，如 civil_affairs）", "text"],
    ["short_answer", "一句话回答（10到100字：去哪、带什么、多少钱、多久）", "area"],
    ["steps", "办理步骤（一行一步）", "lines"], ["materials", "要带的材料（一行一样）", "lines"],
    ["fee", "费用", "text"], ["processing_time", "办理时间", "text"], ["where", "在哪办", "text"],
    ["online", "网上怎么办（可以不填）", "text"], ["phone", "咨询电话（可以不填）", "text"],
    ["proxy.allowed", "可以让家里人代办", "check"], ["proxy.note", "代办说明", "text"],
    ["proxy.materials", "代办要带的材料（一行一样）", "lines"],
    ["elderly_notes", "给老年人的提醒（一行一条）", "lines"],
    ["review.owner", "负责复核的部门", "text"], ["review.last_reviewed", "上次复核日期", "date"],
    ["review.review_every_days", "多少天复核一次（30到1095）", "number"],
    ["keywords", "关键词（一行一个，可以不填）", "lines"],
    ["questions", "市民会怎么问（一行一种问法，至少25种）", "lines"],
  ];
  const fieldId = (name) => "draft-" + name.replace(/[._]/g, "-");

  // --- retraining ---

  function renderRetrain(status) {
    const stateText = {
      idle: "这次启动以来还没有重新训练过。",
      running: "正在训练：" + status.stage + " " + status.percent + "%",
      done: "训练完成（" + (status.finished_at ? S.dateTime(status.finished_at) : "") + "），现在用的是新模型，共" +
        status.guides + "份指南。",
      failed: "训练没成功，还在用原来的模型。原因：" + (status.error || "不明"),
    }[status.state];
    $("retrain-state").textContent = stateText;
    $("retrain-progress").value = status.percent;
    $("retrain-progress").hidden = status.state === "idle";
    $("retrain").disabled = status.state === "running";
    if (status.state === "running" && !polling) polling = window.setInterval(pollRetrain, 700);
    if (status.state !== "running" && polling) {
      window.clearInterval(polling);
      polling = null;
      if (status.state === "done") loadGaps();
    }
  }

  async function pollRetrain() {
    try { renderRetrain(await call("GET", "/api/staff/retrain")); } catch (e) { /* next poll */ }
  }

  async function retrain() {
    S.showError($("retrain-error"), null);
    try {
      renderRetrain(await call("POST", "/api/staff/retrain"));
    } catch (e) { S.showError($("retrain-error"), e); }
  }

  // --- gaps ---

  function labelSelect(id, chosen) {
    const select = el("select", { id: id });
    labels.forEach((l) => select.append(el("option", { value: l.id, text: l.title, selected: l.id === chosen })));
    return select;
  }

  function gapItem(group, index) {
    const selectId = "gap-" + index + "-label";
    const error = el("p", { className: "error", role: "alert", hidden: true });
    const guess = labels.find((l) => l.id === group.suggested_label);
    async function attach() {
      S.showError(error, null);
      try {
        const done = await call("POST", "/api/staff/gaps/attach",
          { message_ids: group.message_ids, label: $(selectId).value });
        S.announce("已归入，" + done.added + "个问法重新训练后生效");
        loadGaps();
      } catch (e) { S.showError(error, e); }
    }
    const others = group.wordings.slice(1, 6).map((w) => el("li", { text: w.text + "（" + w.count + "次）" }));
    return el("li", { className: "gap" },
      el("p", { className: "gap-head" }, el("span", { className: "gap-count", text: group.count + "次" }),
        el("span", { className: "gap-question", text: "“" + group.question + "”" })),
      others.length ? el("ul", { className: "plain wordings", "aria-label": "其他问法" }, others) : null,
      el("p", { className: "hint", text: "小助手当时猜的是：" + (guess ? guess.title : "没猜出来") }),
      el("div", { className: "row" },
        el("label", { for: selectId, text: "归入" }), labelSelect(selectId, group.suggested_label),
        el("button", { type: "button", text: "归入这个指南", onclick: attach }),
        el("button", { type: "button", className: "quiet", text: "起草新指南",
          onclick: () => openDraft({ questions: group.wordings.map((w) => w.text) }) })),
      error);
  }

  async function loadGaps() {
    const data = await call("GET", "/api/staff/gaps");
    labels = data.labels;
    const list = $("gaps");
    clear(list);
    data.groups.slice(0, SHOWN_GROUPS).forEach((g, i) => list.append(gapItem(g, i)));
    $("gaps-summary").textContent = data.questions ? "共" + data.questions + "个问题，按意思相近分成" +
      data.groups.length + "组，问得多的在前。" : "";
    $("gaps-empty").hidden = data.groups.length > 0;
  }

  // --- drafts ---

  function get(obj, path) {
    return path.split(".").reduce((o, key) => (o == null ? undefined : o[key]), obj);
  }

  function set(obj, path, value) {
    const keys = path.split(".");
    const last = keys.pop();
    const target = keys.reduce((o, key) => (o[key] = o[key] || {}), obj);
    target[last] = value;
  }

  function buildFields() {
    const box = $("draft-fields");
    FIELDS.forEach(([name, label, kind]) => {
      const id = fieldId(name);
      const problem = el("p", { id: id + "-problem", className: "error", hidden: true });
      let input;
      if (kind === "area" || kind === "lines") input = el("textarea", { id: id, rows: kind === "lines" ? 4 : 2 });
      else if (kind === "check") input = el("input", { id: id, type: "checkbox" });
      else input = el("input", { id: id, type: kind === "number" ? "number" : kind === "date" ? "date" : "text" });
      input.setAttribute("aria-describedby", id + "-problem");
      const wrap = kind === "check" ? el("div", { className: "check" }, input, el("label", { for: id, text: label }))
        : el("div", { className: "stack" }, el("label", { for: id, text: label }), input);
      box.append(wrap, problem);
    });
  }

  function fill(guide) {
    FIELDS.forEach(([name, , kind]) => {
      const input = $(fieldId(name));
      const value = get(guide, name);
      if (kind === "check") input.checked = Boolean(value);
      else if (kind === "lines") input.value = Array.isArray(value) ? value.join("\n") : "";
      else input.value = value == null ? "" : String(value);
    });
  }

  function collect() {
    const guide = {};
    FIELDS.forEach(([name, , kind]) => {
      const input = $(fieldId(name));
      let value;
      if (kind === "check") value = input.checked;
      else if (kind === "lines") value = input.value.split("\n").map((l) => l.trim()).filter(Boolean);
      else if (kind === "number") value = input.value === "" ? null : Number(input.value);
      else value = input.value.trim();
      if ((name === "online" || name === "phone") && value === "") value = null;
      if (value === null && name === "review.review_every_days") return;
      set(guide, name, value);
    });
    return guide;
  }

  function showProblems(problems) {
    FIELDS.forEach(([name]) => S.showError($(fieldId(name) + "-problem"), null));
    problems.forEach((p) => {
      const field = FIELDS.map(([name]) => name).filter((name) => p.field === name || p.field.startsWith(name + "."))
        .sort((a, b) => b.length - a.length)[0];
      const node = field && $(fieldId(field) + "-problem");
      if (node) S.showError(node, new Error((node.hidden ? "" : node.textContent + "；") + p.message));
    });
  }

  function openDraft(guide) {
    const today = new Date().toISOString().slice(0, 10);
    fill(Object.assign({ proxy: { allowed: false }, review: { last_reviewed: today, review_every_days: 365 } },
      guide));
    showProblems([]);
    S.showError($("draft-error"), null);
    $("draft-saved").textContent = "";
    $("draft-form").hidden = false;
    $(fieldId("id")).focus();
  }

  async function saveDraft(event) {
    event.preventDefault();
    S.showError($("draft-error"), null);
    try {
      const saved = await call("POST", "/api/staff/drafts", { guide: collect() });
      showProblems(saved.problems);
      $("draft-saved").textContent = saved.ready ? "已保存。内容齐全，重新训练后就会用上。"
        : "已保存。还有" + saved.problems.length + "处要补，见各项下面的提示。";
      loadDrafts();
    } catch (e) { S.showError($("draft-error"), e); }
  }

  async function loadDrafts() {
    const drafts = await call("GET", "/api/staff/drafts");
    const list = $("drafts");
    clear(list);
    drafts.forEach((d) => list.append(el("li", {},
      (d.guide.title || d.service_id) + "（" + d.service_id + "） · " +
        (d.trained ? "已用上" : d.ready ? "齐全，等重新训练" : "还有" + d.problems.length + "处要补") + " ",
      el("button", { type: "button", className: "quiet small", text: "编辑",
        "aria-label": "编辑 " + (d.guide.title || d.service_id), onclick: () => openDraft(d.guide) }))));
    if (!drafts.length) list.append(el("li", { text: "还没有草稿。" }));
  }

  // --- review dates ---

  async function loadReviews() {
    const rows = await call("GET", "/api/staff/reviews");
    const body = $("reviews");
    clear(body);
    rows.forEach((g) => body.append(el("tr", {}, el("td", { text: g.title }), el("td", { text: g.owner }),
      el("td", { text: g.last_reviewed }), el("td", { text: g.due + "（过了" + g.days_overdue + "天）" }))));
    $("reviews-empty").hidden = rows.length > 0;
    $("reviews-table").hidden = rows.length === 0;
  }

  buildFields();
  $("retrain").addEventListener("click", retrain);
  $("new-draft").addEventListener("click", () => openDraft({}));
  $("draft-close").addEventListener("click", () => { $("draft-form").hidden = true; });
  $("draft-form").addEventListener("submit", saveDraft);

  S.knowledge = {
    open: async () => {
      await Promise.all([loadGaps(), loadDrafts(), loadReviews(), pollRetrain()]).catch((e) => S.announce(e.message));
    },
  };
})();
