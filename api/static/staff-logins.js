// Failed logins, for supervisors: per name as typed and per address, over the last hour and the last day.
"use strict";

(function () {
  const S = window.Staff;
  const { el, clear, call } = S;
  const $ = (id) => document.getElementById(id);
  const PERIODS = { hour: "最近一小时", day: "最近一天" };

  function table(caption, heading, rows, label) {
    return el("table", { className: "table" },
      el("caption", { text: caption }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: heading }), el("th", { scope: "col", text: "失败次数" }),
        el("th", { scope: "col", text: "最近一次" }))),
      el("tbody", {}, rows.map((row) => el("tr", {}, el("td", { text: label(row) }),
        el("td", { text: String(row.count) }), el("td", { text: S.dateTime(row.last_at) })))));
  }

  function render(period, figures) {
    const box = $("logins-" + period);
    clear(box);
    if (!figures.total) {
      box.append(el("p", { className: "empty", text: PERIODS[period] + "没有登录失败。" }));
      return;
    }
    box.append(el("p", { text: PERIODS[period] + "一共失败" + figures.total + "次。" }),
      table("按用户名（输入的原样，号码已遮住）", "用户名", figures.by_name,
        (row) => row.key + (row.known ? "" : "（没有这个用户名）")),
      table("按网络地址", "网络地址", figures.by_address, (row) => row.key));
  }

  async function open() {
    S.showError($("logins-error"), null);
    try {
      const figures = await call("GET", "/api/officer/login-failures");
      Object.keys(PERIODS).forEach((period) => render(period, figures[period]));
    } catch (e) {
      S.showError($("logins-error"), e);
    }
  }

  S.logins = { open };
})();
