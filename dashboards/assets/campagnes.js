// Citizen test campaigns: create one, read its results (testers, understood
// rate by scenario and by entry, task success), assign the misunderstood
// phrasings to entries, download the comprehension cases, and compare a
// campaign with the one before. Every chart has its data table.
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const status = $("#status");
  const charts = {};
  let report = null;

  const say = (text, error) => { status.textContent = text; status.classList.toggle("error", !!error); };
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };
  const nf = new Intl.NumberFormat("fr-FR");
  const pct = (x) => (x === null || x === undefined ? "—" : Math.round(x * 100) + " %");
  const gql = window.parvis.gql;
  const outcomes = { ANSWERED: "répondu", CLARIFY: "choix proposés", UNANSWERED: "sans réponse", HANDOFF: "agent demandé", SMALLTALK: "politesse" };

  const fields = `campaign { id name inviteUrl scenarios } testers conversations ratedAnswers understoodRate
    byEntry { entry { id question } rated understood rate }
    byScenario { index task rated understoodRate finished done successRate }
    misunderstood { id text outcome entry { id question } assigned { id question } scenario }
    cases caseCount scoreThen scoreNow kbVersionsThen kbVersionNow`;

  function table(t, head, rows, caption) {
    t.replaceChildren(el("caption", { class: "sr-only", text: caption }),
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => i
        ? el("td", { class: typeof c === "number" ? "num" : null }, typeof c === "number" ? nf.format(c) : c)
        : el("th", { scope: "row" }, c))))));
  }

  function chart(id, config) {
    if (typeof Chart === "undefined") return;
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false,
      animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + " %" } } } }, config.options || {});
    charts[id] = new Chart($(id), config);
  }
  const asPct = (x) => (x === null || x === undefined ? null : Math.round(x * 100));

  // Task success over every scenario.
  const success = (r) => {
    let f = 0, d = 0;
    for (const s of r.byScenario) { f += s.finished; d += s.done; }
    return f ? d / f : null;
  };

  async function loadCampaigns() {
    const d = await gql("{ campaigns { id name createdAt } }");
    const keep = $("#campaign").value, keepBefore = $("#before").value;
    const opt = (c) => el("option", { value: c.id, text: `${c.name} (${new Date(c.createdAt).toLocaleDateString("fr-FR")})` });
    $("#campaign").replaceChildren(...d.campaigns.map(opt));
    $("#before").replaceChildren(el("option", { value: "", text: "— aucune —" }), ...d.campaigns.map(opt));
    if (keep) $("#campaign").value = keep;
    if (keepBefore) $("#before").value = keepBefore;
    if (!d.campaigns.length) say("Aucune campagne pour l'instant : créez-en une ci-dessous.");
    return d.campaigns.length;
  }

  async function loadEntries() {
    try {
      const d = await gql("{ kbEntries(first: 500) { id question } }");
      $("#entry-ids").replaceChildren(...d.kbEntries.map((e) => el("option", { value: e.id, text: e.question })));
    } catch (_) { /* the field stays free text */ }
  }

  async function load() {
    const id = $("#campaign").value;
    if (!id) return;
    say("Chargement…");
    try {
      const before = $("#before").value;
      const d = await gql(`query($id: ID!, $b: ID!, $cmp: Boolean!) {
        cur: campaignReport(id: $id) { ${fields} }
        prev: campaignReport(id: $b) @include(if: $cmp) { ${fields} } }`, { id, b: before || id, cmp: !!before && before !== id });
      report = d.cur;
      render(d.cur, d.prev || null);
      say(`Campagne « ${report.campaign.name} » : ${nf.format(report.conversations)} conversations de test.`);
    } catch (e) {
      handle(e);
    }
  }

  function kpi(name, value) {
    return el("li", {}, el("span", { class: "name", text: name }), el("span", { class: "value", text: value }));
  }

  function render(r, prev) {
    $("#report-title").textContent = "Résultats : " + r.campaign.name;
    $("#invite").replaceChildren("Lien d'invitation à envoyer aux testeurs : ", el("code", { text: r.campaign.inviteUrl }));
    $("#download").disabled = !r.caseCount;
    $("#versions").textContent = r.kbVersionsThen.length
      ? `Version de la base pendant la campagne : ${r.kbVersionsThen.join(", ")} ; publiée aujourd'hui : ${r.kbVersionNow}.`
      : "";
    $("#kpis").replaceChildren(
      kpi("Testeurs", nf.format(r.testers)),
      kpi("Conversations", nf.format(r.conversations)),
      kpi("Réponses notées", nf.format(r.ratedAnswers)),
      kpi("Comprises", pct(r.understoodRate)),
      kpi("Tâches réussies", pct(success(r))),
      kpi(`Cas de test (${nf.format(r.caseCount)}) : pendant la campagne`, pct(r.scoreThen)),
      kpi("Cas de test : base publiée aujourd'hui", pct(r.scoreNow)));

    const label = (s) => `Scénario ${s.index + 1}`;
    chart("#scenarios", { type: "bar", data: { labels: r.byScenario.map(label), datasets: [
      { label: "Réponses comprises", data: r.byScenario.map((s) => asPct(s.understoodRate)), backgroundColor: "#1d4e89" },
      { label: "Tâches réussies", data: r.byScenario.map((s) => asPct(s.successRate)), backgroundColor: "#9db8df" }] } });
    table($("#scenario-table"), ["Scénario", "Tâche", "Réponses notées", "Comprises", "Terminé par", "Réussi", "Réussite"],
      r.byScenario.map((s) => [label(s), s.task, s.rated, pct(s.understoodRate), s.finished, s.done, pct(s.successRate)]),
      "Réponses comprises et tâches réussies par scénario");
    if (!r.byScenario.length) $("#scenario-table").replaceChildren(el("caption", { text: "Cette campagne n'a pas de scénario." }));

    table($("#entries"), ["Entrée", "Réponses notées", "Comprises", "Taux"],
      r.byEntry.map((e) => [e.entry ? `${e.entry.question} (${e.entry.id})` : "Sans entrée (sans réponse, choix proposés)", e.rated, e.understood, pct(e.rate)]),
      "Compréhension par entrée qui a répondu");

    const t = $("#misunderstood");
    t.replaceChildren(el("caption", { class: "sr-only", text: "Formulations des testeurs que l'assistant n'a pas comprises" }),
      el("thead", {}, el("tr", {}, ...["Choisir", "Formulation", "Issue", "Réponse donnée par", "Scénario", "Attribuée à"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...r.misunderstood.map((p, i) => el("tr", {},
        el("td", {}, el("input", { type: "checkbox", value: p.id, id: "p-" + i })),
        el("th", { scope: "row" }, el("label", { for: "p-" + i, text: p.text })),
        el("td", { text: outcomes[p.outcome] || p.outcome || "—" }),
        el("td", { text: p.entry ? p.entry.question : "—" }),
        el("td", { text: p.scenario === null ? "—" : String(p.scenario + 1) }),
        el("td", { text: p.assigned ? `${p.assigned.question} (${p.assigned.id})` : "—" })))));
    if (!r.misunderstood.length) t.replaceChildren(el("caption", { text: "Aucune formulation notée « Pas compris »." }));

    const cmp = $("#compare-table");
    $("#cmp-none").hidden = !!prev;
    $("#compare").hidden = !prev;
    if (!prev) { cmp.replaceChildren(); if (charts["#compare"]) charts["#compare"].destroy(); return; }
    const rows = [
      ["Réponses comprises", prev.understoodRate, r.understoodRate],
      ["Tâches réussies", success(prev), success(r)],
      ["Cas de test, base publiée aujourd'hui", prev.scoreNow, r.scoreNow],
    ];
    chart("#compare", { type: "bar", data: { labels: rows.map((x) => x[0]), datasets: [
      { label: "Avant : " + prev.campaign.name, data: rows.map((x) => asPct(x[1])), backgroundColor: "#9db8df" },
      { label: "Après : " + r.campaign.name, data: rows.map((x) => asPct(x[2])), backgroundColor: "#1d4e89" }] } });
    table(cmp, ["Indicateur", "Avant : " + prev.campaign.name, "Après : " + r.campaign.name],
      [["Testeurs", prev.testers, r.testers], ["Réponses notées", prev.ratedAnswers, r.ratedAnswers], ...rows.map((x) => [x[0], pct(x[1]), pct(x[2])])],
      "Comparaison des deux campagnes");
  }

  async function assign(e) {
    e.preventDefault();
    const entry = $("#assign-entry").value.trim();
    const ids = [...document.querySelectorAll("#misunderstood input[type=checkbox]:checked")].map((c) => c.value);
    if (!ids.length) { say("Cochez au moins une formulation.", true); return; }
    try {
      await gql("mutation($a: [PhrasingAssignment!]!) { assignPhrasings(assignments: $a) { id } }",
        { a: ids.map((id) => ({ phrasingId: id, entryId: entry })) });
      await load();
      say(`${ids.length} formulation(s) ajoutée(s) comme autres formulations à un brouillon de « ${entry} » : à valider puis publier dans l'atelier.`);
      $("#assign-entry").focus();
    } catch (err) {
      handle(err);
    }
  }

  async function create(e) {
    e.preventDefault();
    // A date is a whole day in the town's time: from its start to its end.
    const day = (v, end) => (v ? new Date(new Date(v + "T00:00:00").getTime() + (end ? 86400000 : 0)).toISOString() : null);
    try {
      const d = await gql("mutation($n: String!, $s: [String!], $a: Time, $b: Time) { createCampaign(name: $n, scenarios: $s, startsAt: $a, endsAt: $b) { id name inviteUrl } }",
        { n: $("#c-name").value, s: $("#c-scenarios").value.split("\n").map((x) => x.trim()).filter(Boolean), a: day($("#c-start").value), b: day($("#c-end").value, true) });
      $("#create").reset();
      await loadCampaigns();
      $("#campaign").value = d.createCampaign.id;
      await load();
      say(`Campagne « ${d.createCampaign.name} » créée. Lien d'invitation : ${d.createCampaign.inviteUrl}`);
    } catch (err) {
      handle(err);
    }
  }

  function download() {
    if (!report || !report.cases) return;
    const a = el("a", { href: URL.createObjectURL(new Blob([report.cases], { type: "application/x-ndjson" })), download: "cas-campagne.jsonl" });
    document.body.append(a);
    a.click();
    a.remove();
  }

  let signedOut = () => {};
  function handle(e) {
    if (e.code === "UNAUTHENTICATED") { say("Connectez-vous avec votre compte.", true); signedOut(); return; }
    if (e.code === "FORBIDDEN") { say("Votre rôle ne permet pas cette action.", true); return; }
    say(e.message || "Le service ne répond pas. Réessayez dans un instant.", true);
  }

  async function ready() {
    try {
      loadEntries();
      if (await loadCampaigns()) await load();
    } catch (e) {
      handle(e);
    }
  }

  $("#choose").addEventListener("submit", (e) => { e.preventDefault(); load(); });
  $("#assign").addEventListener("submit", assign);
  $("#create").addEventListener("submit", create);
  $("#download").addEventListener("click", download);
  signedOut = window.parvis.wire(ready, handle);
})();
