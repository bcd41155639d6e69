// The public figures page: reads /api/stats and draws each figure as a plain SVG chart with its numbers in a table.
// Suppressed counts arrive as "<5" and are drawn as a dashed outline up to 4; unpublished shares and times as gaps.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg"; // the SVG namespace: a name, not an address to fetch
  // Charts are drawn at the width they are shown (one SVG unit = one CSS pixel), so their labels keep their size on
  // a phone instead of shrinking with a scaled picture.
  const H = 240;
  const PAD = { right: 14, top: 16, bottom: 40 };
  const TICK_PX = 18; // .chart .tick's font size in stats.css
  const COLORS = ["#0a4b8f", "#9c4a00"];

  const CHARTS = [
    { title: "每天回答的问题", kind: "bars", unit: "个",
      series: [["questions", "问了的问题"], ["answered", "直接答上的"]] },
    { title: "不用找人就答上的比例", kind: "share", series: [["without_person", "不用找人就答上"]] },
    { title: "每天转给工作人员和办结的案子", kind: "bars", unit: "件",
      series: [["cases_opened", "转人工"], ["cases_resolved", "办结"]] },
    { title: "找到工作人员要多久", kind: "minutes",
      series: [["reach_p50", "一半的人在这以内"], ["reach_p90", "九成的人在这以内"]] },
    { title: "答应的回电和按时打了的", kind: "bars", unit: "个",
      series: [["callbacks_promised", "答应的回电"], ["callbacks_kept", "按时打了"]] },
    { title: "办结后说“解决了”的比例", kind: "share", series: [["solved_share", "说解决了"]] },
  ];

  function node(tag, attrs, text) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => el.setAttribute(k, v));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function svg(tag, attrs, text) {
    const el = document.createElementNS(SVG, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => el.setAttribute(k, String(v)));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // --- values ---

  function numeric(v) {
    if (v === "<5") return 4;
    return typeof v === "number" ? v : null;
  }

  function shown(v, kind) {
    if (v === null || v === undefined) return "—";
    if (v === "<5") return "<5";
    if (kind === "share") return Math.round(v * 100) + "%";
    if (kind === "minutes") return minutes(v);
    return String(v);
  }

  function minutes(seconds) {
    if (seconds < 60) return seconds + "秒";
    const m = Math.round(seconds / 60);
    return m < 60 ? m + "分钟" : Math.floor(m / 60) + "小时" + (m % 60 ? (m % 60) + "分" : "");
  }

  function dayLabel(iso) {
    const [, m, d] = iso.split("-");
    return Number(m) + "/" + Number(d);
  }

  // --- drawing ---

  function scaleMax(chart, data) {
    if (chart.kind === "share") return 1;
    const values = chart.series.flatMap(([key]) => data.series[key].map(numeric)).filter((v) => v !== null);
    const max = Math.max(chart.kind === "minutes" ? 600 : 10, ...values);
    const step = Math.pow(10, Math.floor(Math.log10(max)));
    return Math.ceil(max / step) * step;
  }

  function tickText(chart, max, f) {
    const value = max * f;
    if (chart.kind === "share") return Math.round(f * 100) + "%";
    return chart.kind === "minutes" ? minutes(Math.round(value)) : String(Math.round(value));
  }

  // Room for the widest value label: a Chinese character is about TICK_PX wide, a digit a little over half.
  function leftRoom(chart, max) {
    const widest = Math.max(...[0, 0.5, 1].map((f) => [...tickText(chart, max, f)]
      .reduce((sum, c) => sum + (/[\u4e00-\u9fff]/.test(c) ? TICK_PX : TICK_PX * 0.6), 0)));
    return Math.ceil(widest) + 10;
  }

  // The days that get a label: the last always, then from the first on, each one that fits whole without touching
  // its neighbours (measured as drawn, so it holds for any font), none cut at the chart's edges.
  function dayLabels(root, data, x, left, width) {
    const GAP = 10;
    const place = (i) => {
      const label = svg("text", { x: x(i), y: H - 12, "text-anchor": "middle", class: "tick" }, dayLabel(data.days[i]));
      root.append(label);
      const half = label.getComputedTextLength() / 2;
      const centre = Math.min(Math.max(x(i), left - 6 + half), width - 2 - half);
      label.setAttribute("x", String(centre));
      return { label: label, from: centre - half, to: centre + half };
    };
    const last = place(data.days.length - 1);
    let before = -Infinity;
    for (let i = 0; i < data.days.length - 1; i++) {
      const one = place(i);
      if (one.from < before + GAP || one.to > last.from - GAP) one.label.remove();
      else before = one.to;
    }
  }

  function axes(root, chart, data, max, x, y, left, width) {
    [0, 0.5, 1].forEach((f) => {
      const value = max * f;
      root.append(svg("line", { x1: left, x2: width - PAD.right, y1: y(value), y2: y(value), class: "grid" }));
      root.append(svg("text", { x: left - 6, y: y(value) + 6, "text-anchor": "end", class: "tick" },
        tickText(chart, max, f)));
    });
  }

  function bars(root, chart, data, x, y, slot) {
    const width = slot / (chart.series.length + 0.6);
    chart.series.forEach(([key], s) => data.series[key].forEach((v, i) => {
      const value = numeric(v);
      if (!value) return;
      const left = x(i) - slot / 2 + width * (s + 0.3);
      const attrs = { x: left, y: y(value), width: width, height: y(0) - y(value) };
      if (v === "<5") root.append(svg("rect", Object.assign(attrs, { class: "suppressed", stroke: COLORS[s] })));
      else root.append(svg("rect", Object.assign(attrs, { fill: COLORS[s] })));
    }));
  }

  // A line per series, broken where a day's figure is not published.
  function lines(root, chart, data, x, y) {
    chart.series.forEach(([key], s) => {
      let points = [];
      const flush = () => {
        if (points.length > 1) {
          root.append(svg("path", { d: "M" + points.join("L"), fill: "none", stroke: COLORS[s], "stroke-width": 3 }));
        }
        points = [];
      };
      data.series[key].forEach((v, i) => {
        if (typeof v !== "number") return flush();
        points.push(x(i).toFixed(1) + "," + y(v).toFixed(1));
        root.append(svg("circle", { cx: x(i), cy: y(v), r: 4, fill: COLORS[s] }));
      });
      flush();
    });
  }

  function describe(chart, data) {
    return chart.title + "，最近30天。" + chart.series.map(([key, name]) =>
      name + "：合计或总体" + shown(data.totals[key], chart.kind)).join("；") + "。每天的数字见下面的表。";
  }

  // Drawn into its place, which must be on the page: the dates are measured as they are drawn.
  function drawChart(place, chart, data, width) {
    const max = scaleMax(chart, data);
    const left = leftRoom(chart, max);
    const slot = (width - left - PAD.right) / data.days.length;
    const x = (i) => left + slot * (i + 0.5);
    const y = (v) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - Math.min(v, max) / max);
    const root = svg("svg", { viewBox: "0 0 " + width + " " + H, width: width, height: H, role: "img",
      "aria-label": describe(chart, data), class: "chart" });
    axes(root, chart, data, max, x, y, left, width);
    if (chart.kind === "bars") bars(root, chart, data, x, y, slot);
    else lines(root, chart, data, x, y);
    place.replaceChildren(root);
    dayLabels(root, data, x, left, width);
  }

  function legend(chart) {
    const list = node("ul", { class: "legend" });
    chart.series.forEach(([, name], s) => {
      const item = node("li");
      const swatch = node("span", { class: "swatch swatch-" + s, "aria-hidden": "true" });
      item.append(swatch, name);
      list.append(item);
    });
    return list;
  }

  function table(chart, data) {
    const t = node("table", { class: "numbers" });
    t.append(node("caption", { class: "sr-only" }, chart.title + "，每天的数字"));
    const head = node("tr");
    head.append(node("th", { scope: "col" }, "日期"));
    chart.series.forEach(([, name]) => head.append(node("th", { scope: "col" }, name)));
    const thead = node("thead");
    thead.append(head);
    const body = node("tbody");
    data.days.slice().reverse().forEach((day, r) => {
      const i = data.days.length - 1 - r;
      const row = node("tr");
      row.append(node("th", { scope: "row" }, day));
      chart.series.forEach(([key]) => row.append(node("td", {}, shown(data.series[key][i], chart.kind))));
      body.append(row);
    });
    t.append(thead, body);
    const details = node("details");
    details.append(node("summary", {}, "看每天的数字"), t);
    return details;
  }

  function figure(chart, data, index) {
    const section = node("section", { class: "figure", "aria-labelledby": "chart-" + index });
    const place = node("div", { class: "chart-place" });
    section.append(node("h2", { id: "chart-" + index }, chart.title), legend(chart), place, table(chart, data));
    drawn.push({ chart: chart, place: place });
    return section;
  }

  // Each chart is (re)drawn at its place's width: on load, and when a phone turns or a window is resized.
  const drawn = [];
  let drawnData = null;

  function drawAll() {
    drawn.forEach(({ chart, place }) => {
      const width = Math.max(240, Math.floor(place.clientWidth));
      if (place.dataset.width === String(width)) return;
      place.dataset.width = String(width);
      drawChart(place, chart, drawnData, width);
    });
  }

  function totals(data) {
    const t = data.totals;
    const items = [
      ["回答的问题", shown(t.answered)], ["不用找人就答上", shown(t.without_person, "share")],
      ["转给工作人员", shown(t.cases_opened) + "件"], ["办结", shown(t.cases_resolved) + "件"],
      ["一半的人找到工作人员用时", shown(t.reach_p50, "minutes")],
      ["九成的人找到工作人员用时", shown(t.reach_p90, "minutes")],
      ["答应的回电", shown(t.callbacks_promised) + "个"], ["按时打了", shown(t.callbacks_kept) + "个"],
      ["说“解决了”", shown(t.solved_share, "share")],
    ];
    const list = document.getElementById("totals");
    items.forEach(([term, value]) => {
      const box = node("div", { class: "total" });
      box.append(node("dt", {}, term), node("dd", {}, value));
      list.append(box);
    });
  }

  function topics(data) {
    const box = document.getElementById("topics");
    if (!data.top_unanswered.length) {
      box.append(node("p", { class: "empty" }, "最近30天没有答不上的问题。"));
      return;
    }
    const t = node("table", { class: "numbers topics" });
    t.append(node("caption", { class: "sr-only" }, "答不上的问题的主题和次数"));
    const head = node("tr");
    head.append(node("th", { scope: "col" }, "主题"), node("th", { scope: "col" }, "30天合计"),
      node("th", { scope: "col" }, "最近7天每天"));
    const body = node("tbody");
    data.top_unanswered.forEach((topic) => {
      const row = node("tr");
      row.append(node("th", { scope: "row" }, topic.topic), node("td", {}, shown(topic.count)),
        node("td", {}, topic.per_day.slice(-7).map((v) => shown(v)).join(" · ")));
      body.append(row);
    });
    const thead = node("thead");
    thead.append(head);
    t.append(thead, body);
    box.append(t);
  }

  async function boot() {
    const status = document.getElementById("status");
    try {
      const response = await fetch("/api/stats");
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      totals(data);
      const charts = document.getElementById("charts");
      CHARTS.forEach((chart, i) => charts.append(figure(chart, data, i)));
      drawnData = data;
      drawAll();
      let pending = null;
      window.addEventListener("resize", () => { clearTimeout(pending); pending = setTimeout(drawAll, 150); });
      topics(data);
      status.textContent = "数据截至 " + new Date(data.generated_at).toLocaleString("zh-CN") + "。";
    } catch (e) {
      status.textContent = "暂时读不到数据，请稍后再试。";
    }
  }

  boot();
})();
