// Elected officials' dashboard: a period compared with the previous one, trends,
// needs, the largest unmet demands, audiences, hours of use. Every chart has its
// data table; the page prints and exports to CSV. A caller who sees several
// tenants (an intercommunalité, the platform) picks a territory; when it holds
// several communes, they are shown side by side (figures and rates per 1,000
// inhabitants) with the unmet needs they share.
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const status = $("#status");
  const charts = {};
  let data = null;

  const say = (text, error) => { status.textContent = text; status.classList.toggle("error", !!error); };
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };
  const nf = new Intl.NumberFormat("fr-FR");
  const pct = (x) => (x === null || x === undefined ? "—" : Math.round(x * 100) + " %");

  const gql = window.parvis.gql;

  const iso = (d) => d.toISOString().replace(/\.\d+Z$/, "Z");
  // The figures compare the last N days with the N before, from this very
  // moment. The trend's bars are whole days (weeks from Monday over 60 days),
  // today's so far the last: from this moment, the first bar would count its
  // day from this hour only and read as a drop.
  function periods() {
    const days = Number($("#period").value);
    const to = new Date();
    const from = new Date(to.getTime() - days * 86400000);
    const prevFrom = new Date(from.getTime() - days * 86400000);
    const chartTo = new Date(to);
    chartTo.setHours(24, 0, 0, 0);
    const chartFrom = new Date(chartTo);
    chartFrom.setDate(chartFrom.getDate() - days);
    while (days > 60 && chartFrom.getDay() !== 1) chartFrom.setDate(chartFrom.getDate() - 1);
    return { days, from: iso(from), to: iso(to), prevFrom: iso(prevFrom), chartFrom: iso(chartFrom), chartTo: iso(chartTo) };
  }

  async function load() {
    say("Chargement…");
    const p = periods();
    const tn = parvis.chosen();
    const periodName = $("#period").selectedOptions[0].textContent.replace(/^./, (c) => c.toUpperCase());
    $("#period-title").textContent = tn ? `${parvis.tenantName(tn)} — ${periodName.toLowerCase()}` : periodName;
    try {
      // The page's data changes at once, complete: an export or a print
      // during a reload reads the previous figures whole.
      const next = await gql(`query($f: Time!, $t: Time!, $pf: Time!, $cf: Time!, $ct: Time!, $b: Bucket, $by: NeedDimension!, $tn: ID) {
        cur: overview(from: $f, to: $t, tenant: $tn) { conversations served messages answered unanswered answerRate helpfulRate }
        prev: overview(from: $pf, to: $f, tenant: $tn) { conversations served messages answered unanswered answerRate helpfulRate }
        usage(from: $cf, to: $ct, bucket: $b, tenant: $tn) { start messages answered unanswered conversations }
        needs(from: $f, to: $t, by: $by, limit: 10, tenant: $tn) { name messages answered }
        unansweredClusters(from: $f, to: $t, limit: 10, tenant: $tn) { label size growth covered }
        shared: unansweredClusters(from: $f, to: $t, limit: 100, tenant: $tn) { label size conversations tenants }
        audienceSplit(from: $f, to: $t, tenant: $tn) { audience conversations }
        activity(from: $f, to: $t, tenant: $tn) { weekday hour messages }
      }`, { f: p.from, t: p.to, pf: p.prevFrom, cf: p.chartFrom, ct: p.chartTo, b: p.days > 60 ? "WEEK" : "DAY", by: $("#needs-by").value, tn });
      next.communes = await sideBySide(p, parvis.communes());
      data = next;
      render();
      say(`Données du ${new Date(p.from).toLocaleDateString("fr-FR")} au ${new Date(p.to).toLocaleDateString("fr-FR")}, comparées à la période précédente.`);
    } catch (e) {
      handle(e);
    }
  }

  // sideBySide reads the figures of each commune of the chosen territory, one
  // overview each, when there are several to compare.
  async function sideBySide(p, communes) {
    if (communes.length < 2) return [];
    const fields = communes.map((c, i) => `c${i}: overview(from: $f, to: $t, tenant: ${JSON.stringify(c.id)}) { conversations messages answered answerRate helpfulRate }`);
    const d = await gql(`query($f: Time!, $t: Time!) { ${fields.join("\n")} }`, { f: p.from, t: p.to });
    return communes.map((c, i) => Object.assign({ id: c.id, name: c.name, population: c.population }, d["c" + i]));
  }

  // perThousand is a count per 1,000 inhabitants, or null without a population.
  const perThousand = (n, population) => (population ? (1000 * n) / population : null);
  const rate = (x) => (x === null ? "—" : x.toLocaleString("fr-FR", { maximumFractionDigits: 1 }));

  function kpi(name, cur, prev, fmt, higherIsBetter = true) {
    let delta = "";
    if (prev !== null && prev !== undefined && cur !== null && cur !== undefined) {
      // A rate moves by points, as shown (rounded): 0.4 point is no move.
      const diff = fmt === pct ? Math.round((cur - prev) * 100) : cur - prev;
      const arrow = diff > 0 ? "▲" : diff < 0 ? "▼" : "=";
      const good = diff === 0 ? "" : (diff > 0) === higherIsBetter ? "down" : "up";
      const size = Math.abs(diff);
      const moved = diff === 0 ? "stable" : fmt === pct ? `${size} point${size > 1 ? "s" : ""}` : nf.format(size);
      // A count with nothing the period before (a town that just started) has
      // no trend to show: « ▲ 4 981 (avant : 0) » would read as growth.
      delta = fmt !== pct && prev === 0 && cur > 0
        ? el("span", { class: "delta", text: "(rien sur la période précédente)" })
        : el("span", { class: "delta " + good, text: `${arrow} ${moved} (avant : ${fmt(prev)})` });
    }
    return el("li", {}, el("span", { class: "name", text: name }), el("span", { class: "value", text: fmt(cur) }), delta);
  }

  function table(id, head, rows) {
    const t = $(id);
    t.replaceChildren(el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => el(i ? "td" : "th", i ? { class: typeof c === "number" ? "num" : null, text: typeof c === "number" ? nf.format(c) : c } : { scope: "row", text: c }))))));
  }

  function chart(id, config) {
    if (typeof Chart === "undefined") return;
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined }, config.options || {});
    charts[id] = new Chart($(id), config);
  }

  const audienceNames = { particulier: "Particuliers", entreprise: "Entreprises", association: "Associations", "": "Non précisé" };
  const days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

  function render() {
    const c = data.cur, p = data.prev;
    const n = (x) => nf.format(x);
    $("#kpis").replaceChildren(
      kpi("Conversations", c.conversations, p.conversations, n),
      kpi("Conversations servies (au moins une réponse)", c.served, p.served, n),
      // No question, no rate: « 0 % » would read as a failure (a commune not
      // yet launched, a quiet week).
      kpi("Taux de réponse", c.messages ? c.answerRate : null, p.messages ? p.answerRate : null, pct),
      kpi("Réponses jugées utiles", c.helpfulRate, p.helpfulRate, pct));
    const one = parvis.communes();
    if (one.length === 1 && one[0].population) {
      $("#kpis").append(kpi("Conversations pour 1 000 habitants", perThousand(c.conversations, one[0].population),
        perThousand(p.conversations, one[0].population), rate));
    }

    $("#side").hidden = data.communes.length < 2;
    if (data.communes.length >= 2) {
      const rows = data.communes.map((x) => [x.name, x.population || "—", x.conversations, rate(perThousand(x.conversations, x.population)),
        x.messages, pct(x.messages ? x.answerRate : null), pct(x.helpfulRate)]);
      const pop = data.communes.reduce((a, x) => a + (x.population || 0), 0);
      // Conversations held on an intercommunalité's own site belong to no
      // commune: without their row, the total would not be the sum of the rows.
      const own = { conversations: c.conversations, messages: c.messages };
      for (const x of data.communes) {
        own.conversations -= x.conversations;
        own.messages -= x.messages;
      }
      if (own.conversations > 0 || own.messages > 0) {
        rows.push(["Site de l'intercommunalité (habitants de toutes ses communes)", "—", own.conversations, "—", own.messages, "—", "—"]);
      }
      rows.push(["Ensemble du territoire", pop || "—", c.conversations, rate(perThousand(c.conversations, pop)), c.messages,
        pct(c.messages ? c.answerRate : null), pct(c.helpfulRate)]);
      table("#side-table", ["Commune", "Habitants", "Conversations", "Pour 1 000 habitants", "Questions", "Taux de réponse", "Réponses utiles"], rows);
      $("#side-table").prepend(el("caption", { class: "sr-only", text: "Chiffres de chaque commune sur la période, ceux du site de l'intercommunalité, puis ceux de l'ensemble du territoire" }));
    }
    const shared = data.shared.filter((u) => u.tenants.length > 1);
    $("#shared").hidden = data.communes.length < 2;
    table("#shared-table", ["Besoin", "Questions", "Conversations", "Communes"],
      shared.map((u) => [u.label, u.size, u.conversations, u.tenants.map(parvis.tenantName).join(", ")]));
    if (!shared.length) $("#shared-table").replaceChildren(el("caption", { text: "Aucune demande sans réponse commune à plusieurs communes sur la période." }));

    const label = (s) => new Date(s).toLocaleDateString("fr-FR", { day: "numeric", month: "short", timeZone: "Europe/Paris" });
    chart("#trend", { type: "bar", data: { labels: data.usage.map((u) => label(u.start)), datasets: [
      { label: "Questions", data: data.usage.map((u) => u.messages), backgroundColor: "#9db8df" },
      { label: "Répondues", data: data.usage.map((u) => u.answered), backgroundColor: "#1d4e89" }] } });
    table("#trend-table", ["Période", "Questions", "Répondues", "Sans réponse", "Conversations"],
      data.usage.map((u) => [label(u.start), u.messages, u.answered, u.unanswered, u.conversations]));

    chart("#needs", { type: "bar", data: { labels: data.needs.map((x) => x.name), datasets: [
      { label: "Questions", data: data.needs.map((x) => x.messages), backgroundColor: "#1d4e89" }] }, options: { indexAxis: "y" } });
    table("#needs-table", ["Besoin", "Questions", "Répondues"], data.needs.map((x) => [x.name, x.messages, x.answered]));

    // A need the town has answered since still counts its questions of the
    // period, but says that the answer now exists.
    table("#unmet", ["Besoin", "Questions", "Évolution", "Aujourd'hui"], data.unansweredClusters.map((u) =>
      [u.label, u.size, u.growth === null ? "nouveau" : (u.growth > 0 ? "+" : "") + Math.round(u.growth * 100) + " %",
        u.covered ? "réponse publiée" : "pas encore de réponse publiée"]));
    if (!data.unansweredClusters.length) $("#unmet").replaceChildren(el("caption", { text: "Aucun besoin mal couvert sur la période." }));

    chart("#audience", { type: "doughnut", data: { labels: data.audienceSplit.map((a) => audienceNames[a.audience] || a.audience),
      datasets: [{ data: data.audienceSplit.map((a) => a.conversations), backgroundColor: ["#1d4e89", "#5f8ac4", "#9db8df", "#c9d8ee"] }] } });
    table("#audience-table", ["Public", "Conversations"], data.audienceSplit.map((a) => [audienceNames[a.audience] || a.audience, a.conversations]));

    const grid = Array.from({ length: 7 }, () => Array(24).fill(0));
    let max = 0;
    for (const h of data.activity) { grid[h.weekday - 1][h.hour] = h.messages; max = Math.max(max, h.messages); }
    const heat = $("#heat");
    heat.replaceChildren(el("caption", { class: "sr-only", text: "Messages des habitants par jour de la semaine et par heure" }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Jour" }), ...Array.from({ length: 24 }, (_, h) => el("th", { scope: "col", text: h + " h" })))),
      el("tbody", {}, ...grid.map((row, d) => el("tr", {}, el("th", { scope: "row", text: days[d] }),
        ...row.map((v) => el("td", { class: v ? "l" + Math.min(5, 1 + Math.floor(4 * v / Math.max(1, max))) : null, text: v ? String(v) : "" }))))));
  }

  function csv() {
    if (!data) return;
    const names = { conversations: "conversations", served: "habitants servis", messages: "questions", answered: "répondues",
      unanswered: "sans réponse", answerRate: "taux de réponse", helpfulRate: "réponses utiles" };
    const rows = [["indicateur", "période", "valeur"]];
    for (const [k, v] of Object.entries(data.cur)) rows.push([names[k] || k, "période", v ?? ""]);
    for (const [k, v] of Object.entries(data.prev)) rows.push([names[k] || k, "période précédente", v ?? ""]);
    for (const u of data.usage) rows.push(["questions", u.start, u.messages], ["répondues", u.start, u.answered]);
    for (const x of data.needs) rows.push(["besoin : " + x.name, "période", x.messages]);
    for (const u of data.unansweredClusters) rows.push(["sans réponse : " + u.label, "période", u.size]);
    for (const a of data.audienceSplit) rows.push(["public : " + (audienceNames[a.audience] || a.audience), "période", a.conversations]);
    for (const x of data.communes) {
      rows.push(["conversations : " + x.name, "période", x.conversations], ["taux de réponse : " + x.name, "période", x.answerRate]);
    }
    parvis.downloadCSV(rows, "parvis-tableau-de-bord.csv");
  }

  let signedOut = () => {};

  function handle(e) {
    if (e.code === "UNAUTHENTICATED") { say("Connectez-vous avec votre compte.", true); signedOut(); return; }
    if (e.code === "FORBIDDEN") { say("Votre rôle ne donne pas accès à ce tableau de bord.", true); return; }
    say(e.message || "Le service ne répond pas. Réessayez dans un instant.", true);
  }

  $("#filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
  $("#needs-by").addEventListener("change", load);
  $("#print").addEventListener("click", () => window.print());
  $("#csv").addEventListener("click", csv);
  signedOut = window.parvis.wire(() => parvis.territory(load).then(load, handle), handle);
})();
