// The agents' service desk: demandes filtered by kind, status and lateness,
// one opened with the citizen's details, updated (status, public message,
// internal note, assignee) with its history; and the figures of the service.
// An agent sees the demandes of their territory only; one who sees several
// communes (an intercommunalité's, the platform's) picks one or all of them.
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const status = $("#status");
  const say = (text, error) => { status.textContent = text; status.classList.toggle("error", !!error); };
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };
  const gql = window.parvis.gql;
  const day = (t) => new Date(t).toLocaleDateString("fr-FR");
  const when = (t) => new Date(t).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
  const labels = { RECUE: "reçue", EN_COURS: "en cours", TRAITEE: "traitée", REJETEE: "close sans suite" };
  const events = { "demande.filed": "Déposée", "demande.status_changed": "Mise à jour", "demande.delivered": "Transmise à la plateforme",
    "demande.delivery_failed": "Transmission abandonnée", "demande.contact_erased": "Coordonnées effacées" };
  let me = null, current = null, kinds = [], territories = new Map();

  const caseFields = `demande { trackingCode kind kindLabel status statusLabel filedAt updatedAt due processingTime late message }
    tenant audience description redactedDescription address point { lat lon } place email phone photo consent erased assignee note
    history { at type status message note assignee by } delivery { connector delivered url attempts dead error }`;

  async function loadKinds() {
    kinds = (await gql("{ demandeKinds { id label } }")).demandeKinds;
    $("#f-kind").replaceChildren(el("option", { value: "", text: "tous" }), ...kinds.map((k) => el("option", { value: k.id, text: k.label })));
  }

  // The territory picker, shown when the caller sees several tenants.
  async function loadTerritories() {
    const ts = (await gql("{ demandeTerritories { id name } }")).demandeTerritories;
    territories = new Map(ts.map((t) => [t.id, t.name]));
    $("#f-tenant-label").hidden = ts.length < 2;
    $("#f-tenant").replaceChildren(el("option", { value: "", text: "tout mon territoire" }), ...ts.map((t) => el("option", { value: t.id, text: t.name })));
  }
  const picked = () => $("#f-tenant").value || null;

  async function list() {
    say("Chargement…");
    const v = { tenant: picked(), kind: $("#f-kind").value || null, status: $("#f-status").value || null, late: $("#f-late").checked || null,
      assignee: $("#f-mine").checked && me ? me.name : null };
    try {
      const d = await gql(`query($kind: String, $status: DemandeStatus, $late: Boolean, $assignee: String, $tenant: ID) {
        demandes(kind: $kind, status: $status, late: $late, assignee: $assignee, tenant: $tenant) { ${caseFields} } }`, v);
      drawList(d.demandes);
      say(d.demandes.length ? `${d.demandes.length} demande(s).` : "Aucune demande ne correspond à ces filtres.");
    } catch (e) {
      say(e.message, true);
    }
  }

  function drawList(rows) {
    const several = territories.size > 1;
    const head = el("thead", {}, el("tr", {}, ...[...(several ? ["Commune"] : []), "Code", "Type", "Déposée le", "Statut", "À traiter avant", "Assignée à", "Lieu"].map((h) => el("th", { scope: "col", text: h }))));
    const body = el("tbody");
    for (const c of rows) {
      const d = c.demande;
      body.append(el("tr", { "aria-selected": current && current.demande.trackingCode === d.trackingCode ? "true" : "false" },
        several ? el("td", { text: territories.get(c.tenant) || c.tenant || "—" }) : null,
        el("td", {}, el("button", { type: "button", class: "code-btn", text: d.trackingCode, onclick: () => open(d.trackingCode) })),
        el("td", { text: d.kindLabel }),
        el("td", { text: day(d.filedAt) }),
        el("td", {}, el("span", { class: "tag s-" + d.status, text: labels[d.status] })),
        el("td", {}, day(d.due), d.late ? el("span", { class: "tag late", text: "en retard" }) : null),
        el("td", { text: c.assignee || "—" }),
        el("td", { text: c.place || "—" })));
    }
    $("#list").replaceChildren(el("caption", { class: "sr-only", text: "Demandes, les plus récentes d'abord" }), head, body);
  }

  // open reads one demande in full (its photo too) and shows it.
  async function open(code) {
    try {
      const d = await gql(`query($c: String!) { demandeCase(trackingCode: $c) { ${caseFields} } }`, { c: code });
      if (d.demandeCase) show(d.demandeCase);
    } catch (err) {
      say(err.message, true);
    }
  }

  function show(c) {
    current = c;
    const d = c.demande;
    $("#d-title").textContent = `${d.trackingCode} — ${d.kindLabel}`;
    $("#d-meta").textContent = `Déposée le ${when(d.filedAt)}, ${d.statusLabel}, à traiter avant le ${day(d.due)} (${d.processingTime})` + (d.late ? " — en retard" : "") + ".";
    const facts = [];
    const fact = (k, v) => facts.push(el("dt", { text: k }), el("dd", {}, v));
    if (territories.size > 1) fact("Commune", territories.get(c.tenant) || c.tenant || "—");
    if (c.erased) fact("Coordonnées", "effacées (durée de conservation écoulée ou demande de l'habitant)");
    fact("Description", c.description || c.redactedDescription);
    if (c.address) fact("Adresse", c.address);
    if (c.point) fact("Point", `${c.point.lat}, ${c.point.lon}`);
    if (c.email) fact("Courriel", el("a", { href: "mailto:" + c.email, text: c.email }));
    if (c.phone) fact("Téléphone", el("a", { href: "tel:" + c.phone, text: c.phone }));
    if (c.email || c.phone) fact("Accord pour être contacté", c.consent ? "oui" : "non");
    if (c.photo) fact("Photo", el("img", { src: c.photo, alt: "Photo jointe par l'habitant" }));
    if (c.audience) fact("Public", c.audience.toLowerCase());
    if (c.delivery) fact("Plateforme", c.delivery.delivered ? `transmise (${c.delivery.connector})` : c.delivery.dead ? `transmission abandonnée : ${c.delivery.error || ""}` : `transmission en attente (${c.delivery.attempts} essai(s))`);
    if (d.message) fact("Dernier message public", d.message);
    if (c.note) fact("Dernière note interne", c.note);
    $("#d-facts").replaceChildren(...facts);
    $("#u-status").value = d.status;
    $("#u-message").value = "";
    $("#u-note").value = "";
    $("#u-assignee").value = c.assignee || "";
    $("#d-history").replaceChildren(...c.history.slice().reverse().map((h) => el("li", {},
      `${when(h.at)} — ${events[h.type] || h.type} : ${labels[h.status]}`,
      h.by ? ` (par ${h.by})` : "", h.assignee ? `, assignée à ${h.assignee}` : "",
      h.message ? el("div", { text: "Message : « " + h.message + " »" }) : null,
      h.note ? el("div", { class: "meta", text: "Note : " + h.note }) : null)));
    $("#detail").hidden = false;
    $("#detail").focus();
    for (const tr of document.querySelectorAll("#list tbody tr")) {
      tr.setAttribute("aria-selected", tr.querySelector(".code-btn").textContent === d.trackingCode ? "true" : "false");
    }
  }

  async function update(e) {
    e.preventDefault();
    if (!current) return;
    const v = { c: current.demande.trackingCode, s: $("#u-status").value, m: $("#u-message").value.trim() || null,
      n: $("#u-note").value.trim() || null, a: $("#u-assignee").value.trim() };
    try {
      await gql(`mutation($c: String!, $s: DemandeStatus!, $m: String, $n: String, $a: String) {
        updateDemandeStatus(trackingCode: $c, status: $s, message: $m, note: $n, assignee: $a) { status } }`, v);
      const d = await gql(`query($c: String!) { demandeCase(trackingCode: $c) { ${caseFields} } }`, { c: v.c });
      say("Demande mise à jour.");
      show(d.demandeCase);
      list();
    } catch (err) {
      say(err.message, true);
    }
  }

  async function figures() {
    const to = new Date(), from = new Date(to.getTime() - 90 * 86400000);
    try {
      const where = picked();
      $("#fig-where").textContent = where ? " — " + (territories.get(where) || where) : "";
      const f = (await gql(`query($f: Time!, $t: Time!, $w: ID) { demandeFigures(from: $f, to: $t, tenant: $w) {
        filed closed closedInTime inTimeRate averageDays byKind { kind label status count closed closedInTime averageDays announcedDays } } }`,
      { f: from.toISOString(), t: to.toISOString(), w: where })).demandeFigures;
      const pct = (x) => (x === null || x === undefined ? "—" : Math.round(x * 100) + " %");
      const days = (x) => (x === null || x === undefined ? "—" : x.toLocaleString("fr-FR", { maximumFractionDigits: 1 }));
      $("#fig-summary").textContent = `${f.filed} demande(s) déposée(s), ${f.closed} close(s), dont ${pct(f.inTimeRate)} dans le délai annoncé ; délai moyen : ${days(f.averageDays)} jour(s).`;
      const byKind = new Map();
      for (const r of f.byKind) {
        const k = byKind.get(r.kind) || { label: r.label, announced: r.announcedDays, count: 0, open: 0, closed: 0, inTime: 0, sum: 0 };
        k.count += r.count; k.closed += r.closed; k.inTime += r.closedInTime;
        if (r.status === "RECUE" || r.status === "EN_COURS") k.open += r.count;
        if (r.averageDays !== null) k.sum += r.averageDays * r.closed;
        byKind.set(r.kind, k);
      }
      $("#figures").replaceChildren(
        el("caption", { class: "sr-only", text: "Demandes par type sur 90 jours" }),
        el("thead", {}, el("tr", {}, ...["Type", "Déposées", "Ouvertes", "Closes", "Dans le délai", "Délai moyen (jours)", "Délai annoncé (jours)"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, ...[...byKind.values()].map((k) => el("tr", {},
          el("th", { scope: "row", text: k.label }), el("td", { class: "num", text: k.count }), el("td", { class: "num", text: k.open }),
          el("td", { class: "num", text: k.closed }), el("td", { class: "num", text: k.closed ? pct(k.inTime / k.closed) : "—" }),
          el("td", { class: "num", text: k.closed ? days(k.sum / k.closed) : "—" }), el("td", { class: "num", text: k.announced || "—" })))));
    } catch (e) {
      $("#fig-summary").textContent = e.message;
    }
  }

  $("#filters").addEventListener("submit", (e) => { e.preventDefault(); list(); figures(); });
  $("#update").addEventListener("submit", update);
  $("#u-me").addEventListener("click", () => { if (me) $("#u-assignee").value = me.name; });
  window.parvis.wire(async (info) => {
    me = info;
    try { await loadKinds(); await loadTerritories(); } catch (e) { say(e.message, true); return; }
    list();
    figures();
  }, (err) => say(err.message, true));
})();
