// Workbench of unmet demand: groups of unanswered questions, their examples, CSV
// export, drafting an entry from a group, the experts' validation queue and the
// suggestions drawn from the conversations (accept or reject). Talks
// to /graphql with the signed-in session (see session.js).
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const status = $("#status");
  let groups = [];
  let current = null;
  // subject is the subject whose groups alone are listed, "" for all.
  let subject = "";

  const say = (text, error) => { status.textContent = text; status.classList.toggle("error", !!error); };

  const gql = window.parvis.gql;

  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };

  function sparkline(values) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("viewBox", "0 0 120 28");
    svg.setAttribute("role", "img");
    const total = values.reduce((a, b) => a + b, 0);
    svg.setAttribute("aria-label", `${total} questions sur ${values.length} jours, au plus ${Math.max(0, ...values)} par jour`);
    if (values.length > 1) {
      const max = Math.max(1, ...values);
      const d = values.map((v, i) => `${i ? "L" : "M"}${(i * 118 / (values.length - 1) + 1).toFixed(1)},${(26 - v * 24 / max).toFixed(1)}`).join(" ");
      const path = document.createElementNS(ns, "path");
      path.setAttribute("d", d);
      svg.append(path);
    }
    return svg;
  }

  const growth = (g) => {
    if (g === null || g === undefined) return el("span", { class: "tag", text: "nouveau" });
    const pct = Math.round(g * 100);
    return el("span", { class: pct > 0 ? "up" : pct < 0 ? "down" : "", text: (pct > 0 ? "+" : "") + pct + " %" });
  };

  function period() {
    const days = Number($("#period").value);
    const to = new Date();
    const from = new Date(to.getTime() - days * 86400000);
    return { from: from.toISOString().replace(/\.\d+Z$/, "Z"), to: to.toISOString().replace(/\.\d+Z$/, "Z") };
  }

  // The list holds the 100 largest groups at most: when it is full, more exist.
  const maxGroups = 100;
  function groupsSentence(n) {
    if (!n) return "Aucune question sans réponse sur la période.";
    if (n >= maxGroups) return `Les ${n} groupes les plus importants de la période ; il y en a d'autres : affinez avec les filtres (public, signal, thème) ou une période plus courte.`;
    return n === 1 ? "1 groupe sur la période." : `${n} groupes sur la période.`;
  }

  const groupFields = `id label size growth examples covered coveredBy coveredQuestion subject conversations firstSeen lastSeen audiences daily reasons demande noise tenants`;

  async function loadGroups(quiet) {
    if (!quiet) say("Chargement…");
    const { from, to } = period();
    const vars = { f: from, t: to, a: $("#audience").value || null, r: $("#reason").value || null, th: $("#theme").value || null, tn: parvis.chosen() };
    try {
      const d = await gql(`query($f: Time!, $t: Time!, $a: Audience, $r: SignalReason, $th: String, $tn: ID) {
        unansweredClusters(from: $f, to: $t, limit: ${maxGroups}, audience: $a, reason: $r, theme: $th, tenant: $tn) { ${groupFields} }
        emerging: unansweredClusters(from: $f, to: $t, limit: 12, audience: $a, reason: $r, theme: $th, tenant: $tn, newOnly: true) { ${groupFields} } }`, vars);
      groups = d.unansweredClusters;
      renderEmerging(d.emerging);
      renderGroups();
      if (!quiet) say(groupsSentence(groups.length));
    } catch (e) {
      handle(e);
    }
  }

  const audienceLabels = { PARTICULIER: "particuliers", ENTREPRISE: "entreprises", ASSOCIATION: "associations" };

  // renderSubjects lists the subjects of everyday life the groups are about,
  // with their questions and groups: a need said in several ways often makes
  // several groups of one subject. Choosing one lists its groups alone.
  function renderSubjects() {
    const by = new Map();
    for (const g of groups) {
      if (!g.subject || g.noise) continue;
      const s = by.get(g.subject) || { questions: 0, groups: 0 };
      s.questions += g.size;
      s.groups += 1;
      by.set(g.subject, s);
    }
    if (subject && !by.has(subject)) subject = "";
    const top = [...by.entries()].sort((a, b) => b[1].questions - a[1].questions || a[0].localeCompare(b[0], "fr")).slice(0, 8);
    const box = $("#subjects");
    box.hidden = top.length === 0;
    const pick = (name) => () => { subject = name; renderGroups(); say(name ? `Groupes du sujet « ${name} ».` : "Tous les groupes."); };
    box.replaceChildren(el("span", { class: "meta", text: "Par sujet :" }),
      el("button", { type: "button", "aria-pressed": String(subject === ""), text: "Tous", onclick: pick("") }),
      ...top.map(([name, s]) => el("button", { type: "button", "aria-pressed": String(subject === name), onclick: pick(name),
        text: `${name} : ${s.questions} question${s.questions > 1 ? "s" : ""}, ${s.groups} groupe${s.groups > 1 ? "s" : ""}` })));
  }

  // renderEmerging lists the needs that appeared in the period: asked by two
  // people at least, three times at least, and by nobody in the previous period
  // of the same length. Ranked by volume, they would sit below the town's
  // long-standing needs; when every group is new (a town that just started),
  // the list itself says it and the block stays hidden.
  function renderEmerging(fresh) {
    const box = $("#emerging");
    const worth = fresh.filter((g) => !g.noise && !g.covered && g.size >= 3 && g.conversations >= 2);
    box.hidden = worth.length === 0 || !groups.some((g) => g.growth !== null);
    box.querySelector("ul").replaceChildren(...worth.map((g) => el("li", {},
      el("button", { type: "button", class: "label-btn", text: g.label, onclick: () => show(g) }),
      el("span", { class: "meta", text: ` — ${g.size} questions de ${g.conversations} habitants` + (g.subject ? ` (${g.subject})` : "") }))));
  }

  function renderGroups() {
    renderSubjects();
    const body = $("#groups tbody");
    body.replaceChildren(...groups.filter((g) => !subject || g.subject === subject).map((g) => el("tr", { "aria-selected": current && current.id === g.id ? "true" : "false", onclick: () => show(g) },
      el("td", {}, el("button", { type: "button", class: "label-btn", text: g.label, onclick: (e) => { e.stopPropagation(); show(g); } }),
        g.subject ? el("span", { class: "tag subject", text: g.subject }) : null,
        g.demande ? el("span", { class: "tag demande", text: "Demande possible", title: "Les habitants signalent un problème à traiter sur place, plus qu'ils ne cherchent une information." }) : null,
        g.noise ? el("span", { class: "tag", text: "Hors sujet", title: "Questions sans rapport avec les services de la ville." }) : null),
      el("td", { class: "num", text: String(g.size) }),
      el("td", { class: "num", text: String(g.conversations) }),
      el("td", { class: "num" }, growth(g.growth)),
      el("td", { text: g.audiences.map((a) => audienceLabels[a] || a).join(", ") }),
      el("td", { class: "why", text: g.reasons.map((r) => reasonLabels[r] || r).join(", ") }),
      el("td", {}, sparkline(g.daily)),
      el("td", {}, el("span", { class: g.covered ? "tag covered" : "tag", text: g.covered ? "Couvert" : "À traiter" })))));
  }

  const reasonLabels = { NON_REPONDU: "sans réponse", CLARIFICATION: "choix proposés sans suite", CONFIANCE_FAIBLE: "réponse incertaine",
    MARGE_FAIBLE: "réponse disputée", PAS_UTILE: "jugée pas utile", REFORMULATION: "reformulée", ABANDON: "abandon",
    HUMAIN_DEMANDE: "personne demandée", PUBLIC_INADAPTE: "réponse d'un autre public", AUTRE_SUJET: "réponse hors sujet" };
  const pct = (x) => (x === null || x === undefined ? "—" : Math.round(x * 100) + " %");

  // prefilled is what the draft form's other phrasings were filled with.
  let prefilled = "";

  async function show(g) {
    current = g;
    renderGroups();
    $("#detail").hidden = false;
    $("#transcript").hidden = true;
    $("#detail-title").textContent = g.label;
    const fmt = (s) => new Date(s).toLocaleDateString("fr-FR");
    $("#detail-meta").textContent = `${g.size} questions de ${g.conversations} habitants, du ${fmt(g.firstSeen)} au ${fmt(g.lastSeen)}` +
      (g.demande ? " — demande possible : à transmettre au service concerné plutôt qu'une réponse à rédiger" : "") +
      (g.covered ? ` — couvert par l'entrée « ${g.coveredQuestion || g.coveredBy} »` : "") +
      (g.tenants.length > 1 ? ` — partagé par ${g.tenants.map(parvis.tenantName).join(", ")}` : "");
    $("#examples").replaceChildren(...g.examples.map((x) => el("li", { text: x })));
    const { from, to } = period();
    gql(`query($id: ID!, $f: Time!, $t: Time!, $tn: ID) { unansweredCluster(id: $id, from: $f, to: $t, tenant: $tn) {
        questions { text at conversationId reasons } coveredAt answerRateBefore answerRateAfter } }`, { id: g.id, f: from, t: to, tn: parvis.chosen() })
      .then((d) => {
        const det = d.unansweredCluster;
        if (!det || current !== g) return;
        $("#examples").replaceChildren(...det.questions.slice(0, 30).map((q) => el("li", {},
          el("button", { type: "button", class: "label-btn", text: q.text, onclick: () => transcript(q.conversationId) }),
          el("span", { class: "why", text: " — " + q.reasons.map((r) => reasonLabels[r] || r).join(", ") + ", le " + new Date(q.at).toLocaleString("fr-FR") }))));
        // Every question of the group becomes another phrasing of the draft,
        // not only the few examples of the list, unless the officer has
        // already edited them.
        const alternatives = $("#d-alternatives");
        if (alternatives.value === prefilled) {
          alternatives.value = prefilled = [...new Set(det.questions.map((q) => q.text))].filter((x) => x !== g.label).slice(0, 50).join("\n");
        }
        const effect = $("#effect");
        effect.hidden = !det.coveredAt;
        if (det.coveredAt) {
          effect.textContent = `Entrée publiée le ${new Date(det.coveredAt).toLocaleString("fr-FR")} : taux de réponse ${pct(det.answerRateBefore)} avant, ${pct(det.answerRateAfter)} après.`;
        }
      }).catch(handle);
    $("#d-question").value = g.label;
    $("#d-alternatives").value = prefilled = [...new Set(g.examples)].filter((x) => x !== g.label).join("\n");
    $("#d-answer").value = "";
    $("#d-question").focus();
  }

  async function transcript(id) {
    try {
      const d = await gql(`query($id: ID!) { conversation(id: $id) { messages { role text outcome at } } }`, { id });
      const list = $("#transcript-list");
      list.replaceChildren(...((d.conversation && d.conversation.messages) || []).map((m) =>
        el("li", { class: m.role }, el("strong", { text: m.role === "citizen" ? "Habitant : " : "Assistant : " }), m.text)));
      $("#transcript").hidden = false;
      $("#transcript-title").focus();
    } catch (e) {
      handle(e);
    }
  }

  async function loadThemes() {
    try {
      const d = await gql(`query($tn: ID) { unansweredThemes(tenant: $tn) }`, { tn: parvis.chosen() });
      const sel = $("#theme");
      const keep = sel.value;
      sel.replaceChildren(el("option", { value: "", text: "Tous" }), ...d.unansweredThemes.map((t) => el("option", { value: t, text: t })));
      sel.value = keep;
    } catch (_) { /* the filter stays at « Tous » */ }
  }

  async function draft(e) {
    e.preventDefault();
    if (!current) return;
    const input = {
      question: $("#d-question").value.trim(),
      answer: $("#d-answer").value.trim(),
      alternatives: $("#d-alternatives").value.split("\n").map((s) => s.trim()).filter(Boolean),
      audiences: [...document.querySelectorAll("input[name=aud]:checked")].map((c) => c.value),
      clusterId: current.id,
    };
    try {
      const d = await gql(`mutation($i: KbEntryInput!) { draftKbEntry(input: $i) { id } }`, { i: input });
      await loadQueue();
      say(`Brouillon ${d.draftKbEntry.id} créé : il attend la validation d'un expert.`);
    } catch (err) {
      handle(err);
    }
  }

  async function loadQueue() {
    try {
      const d = await gql(`{ kbQueue { id question answer status } }`);
      const body = $("#queue tbody");
      body.replaceChildren(...d.kbQueue.map((x) => el("tr", {},
        el("td", { text: x.question }), el("td", { text: x.answer }),
        el("td", { text: x.status === "draft" ? "Brouillon" : "Validée" }),
        el("td", {}, el("button", { type: "button", text: x.status === "draft" ? "Valider" : "Publier",
          onclick: () => step(x.status === "draft" ? "validateKbEntry" : "publishKbEntry", x.id) })))));
      if (!d.kbQueue.length) body.append(el("tr", {}, el("td", { colspan: "4", text: "Rien à valider." })));
    } catch (e) {
      handle(e);
    }
  }

  const kinds = { ALTERNATIVE: "Autre formulation", NEGATIVE: "Mauvaise réponse" };
  const sources = { CHOIX: "choix cliqué", REFORMULATION: "reformulation", PAS_UTILE: "jugée inutile" };

  async function loadSuggestions() {
    try {
      const d = await gql(`query($tn: ID) { kbSuggestions(first: 50, tenant: $tn) { id kind text examples count conversations sources entry { id question } } }`, { tn: parvis.chosen() });
      const body = $("#suggestions tbody");
      body.replaceChildren(...d.kbSuggestions.map((x) => {
        const others = x.examples.filter((t) => t !== x.text);
        return el("tr", {},
          el("td", {}, x.text, others.length ? el("div", { class: "meta", text: "Aussi : " + others.join(" · ") }) : null),
          el("td", { text: x.entry.question }),
          el("td", { text: kinds[x.kind] || x.kind }),
          el("td", { text: x.sources.map((s) => sources[s] || s).join(", ") }),
          el("td", { text: `${x.count} (${x.conversations})` }),
          el("td", {},
            el("button", { type: "button", text: "Accepter",
              // The accessible name starts with the visible text (WCAG 2.5.3).
              "aria-label": (x.kind === "ALTERNATIVE" ? "Accepter « " + x.text + " » comme autre formulation de l'entrée « "
                : "Accepter « " + x.text + " » comme mauvaise réponse de l'entrée « ") + x.entry.question + " »",
              onclick: () => review("acceptSuggestion", x) }),
            " ",
            el("button", { type: "button", text: "Rejeter", "aria-label": "Rejeter « " + x.text + " »",
              onclick: () => review("rejectSuggestion", x) })));
      }));
      if (!d.kbSuggestions.length) body.append(el("tr", {}, el("td", { colspan: "6", text: "Aucune suggestion en attente." })));
    } catch (e) {
      handle(e);
    }
  }

  async function review(mutation, x) {
    try {
      await gql(mutation === "acceptSuggestion" ? `mutation($id: ID!) { acceptSuggestion(id: $id) { id } }` : `mutation($id: ID!) { rejectSuggestion(id: $id) }`, { id: x.id });
      await Promise.all([loadQueue(), loadSuggestions()]);
      say(mutation === "rejectSuggestion" ? `Suggestion « ${x.text} » rejetée.`
        : `« ${x.text} » ajoutée ${x.kind === "ALTERNATIVE" ? "comme autre formulation" : "comme mauvaise réponse"} à un brouillon de l'entrée « ${x.entry.question} » : validez-le puis publiez-le.`);
      $("#suggestions-title").focus();
    } catch (e) {
      handle(e);
    }
  }

  async function step(mutation, id) {
    try {
      await gql(`mutation($id: ID!) { ${mutation}(id: $id) { id status } }`, { id });
      await Promise.all([loadQueue(), loadGroups(true)]);
      say(mutation === "publishKbEntry" ? "Entrée publiée : l'assistant l'utilise dès le prochain message." : "Entrée validée : elle peut être publiée.");
    } catch (e) {
      handle(e);
    }
  }

  function csv() {
    const rows = [["id", "question_type", "questions", "evolution", "conversations", "premiere", "derniere", "couvert", "publics", "signaux",
      "demande_possible", "hors_sujet", "exemples"]]
      .concat(groups.map((g) => [g.id, g.label, g.size, g.growth === null ? "" : g.growth.toFixed(3), g.conversations,
        g.firstSeen, g.lastSeen, g.covered ? "oui" : "non", g.audiences.join(" "), g.reasons.join(" "),
        g.demande ? "oui" : "non", g.noise ? "oui" : "non", g.examples.join(" | ")]));
    parvis.downloadCSV(rows, "demandes-sans-reponse.csv");
  }

  let signedOut = () => {};

  function handle(e) {
    if (e.code === "UNAUTHENTICATED" || e.code === "FORBIDDEN") {
      say(e.code === "FORBIDDEN" ? "Votre rôle ne donne pas accès à cette page." : "Connectez-vous avec votre compte.", true);
      if (e.code === "UNAUTHENTICATED") signedOut();
      return;
    }
    say(e.message || "Le service ne répond pas. Réessayez dans un instant.", true);
  }

  $("#filters").addEventListener("submit", (e) => { e.preventDefault(); loadGroups(); loadQueue(); loadSuggestions(); });
  $("#csv").addEventListener("click", csv);
  $("#draft").addEventListener("submit", draft);
  signedOut = window.parvis.wire((info) => {
    if (!["ADMIN", "ANALYST", "EXPERT"].includes(info.role)) {
      say("Votre rôle ne donne pas accès à cette page : elle est réservée à l'équipe communication et aux experts.", true);
      return;
    }
    const all = () => { loadThemes(); loadGroups(); loadQueue(); loadSuggestions(); };
    parvis.territory(all).then(all, handle);
  }, handle);
})();
