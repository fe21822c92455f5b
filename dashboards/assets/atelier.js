// The experts' studio: browse and filter the whole knowledge base, open an
// entry, edit it as a draft version, validate, publish, retire or restore it,
// and compare its versions word by word. Talks to /graphql with the signed-in
// session (see session.js); answers are previewed with answer.js.
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const gql = window.parvis.gql;
  const status = $("#status");
  let entries = [];
  let current = null; // the open StudioEntry
  let history = [];
  let signedOut = () => {};

  const say = (text, error) => { status.textContent = text; status.classList.toggle("error", !!error); };

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

  const statusLabels = { draft: "brouillon", validated: "validée", published: "publiée", retired: "retirée" };
  const day = (t) => (t ? new Date(t).toLocaleDateString("fr-FR") : "—");
  const when = (t) => new Date(t).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
  const pct = (r) => (r === null || r === undefined ? "—" : Math.round(r * 100) + " %");

  const ENTRY = `id question answer alternatives audiences service theme source demande status reviewBy links { label url }`;

  async function load(quiet) {
    if (!quiet) say("Chargement…");
    const v = {
      s: $("#f-search").value.trim() || null, sv: $("#f-service").value || null, a: $("#f-audience").value || null,
      so: $("#f-source").value || null, st: $("#f-status").value || null,
      stale: $("#f-stale").checked || null, lh: $("#f-helpful").checked || null,
    };
    try {
      const d = await gql(`query($s: String, $sv: String, $a: Audience, $so: String, $st: String, $stale: Boolean, $lh: Boolean) {
        kbStudio(search: $s, service: $sv, audience: $a, source: $so, status: $st, stale: $stale, leastHelpful: $lh, first: 2000) {
          entry { ${ENTRY} } published { ${ENTRY} } author updatedAt answered feedback helpfulRate reviewBy stale unhelpful deadLinks version } }`, v);
      entries = d.kbStudio;
      render();
      if (!quiet) say(entries.length ? `${entries.length} entrées.` : "Aucune entrée ne correspond aux filtres.");
    } catch (e) {
      handle(e);
    }
  }

  // fillChoices lists the services and sources met, once, for the filters.
  function fillChoices() {
    const fill = (sel, values, keep) => {
      const cur = sel.value;
      sel.replaceChildren(sel.options[0], ...[...values].sort().map((v) => el("option", { value: v, text: v })));
      if (keep) sel.value = cur;
    };
    const services = new Set(entries.map((x) => x.entry.service).filter(Boolean));
    fill($("#f-service"), services, true);
    fill($("#f-source"), new Set(entries.map((x) => x.entry.source).filter(Boolean)), true);
    $("#services").replaceChildren(...[...services].sort().map((v) => el("option", { value: v })));
  }

  function render() {
    $("#kb tbody").replaceChildren(...entries.map((x) => el("tr", {},
      el("td", {}, el("button", { type: "button", class: "label-btn", text: x.entry.question, onclick: () => open(x) })),
      el("td", { text: x.entry.service || "—" }),
      el("td", {}, el("span", { class: "tag st-" + x.entry.status, text: statusLabels[x.entry.status] || x.entry.status }),
        x.published ? el("span", { class: "tag", text: "version publiée en ligne" }) : null),
      el("td", { class: "num", text: String(x.answered) }),
      el("td", { class: "num" }, document.createTextNode(x.feedback ? `${pct(x.helpfulRate)} (${x.feedback} avis)` : "—"),
        x.unhelpful ? el("span", { class: "tag warn", text: "peu utile" }) : null,
        x.deadLinks.length ? el("span", { class: "tag warn", text: `${x.deadLinks.length} lien(s) mort(s)` }) : null),
      el("td", {}, x.stale ? el("span", { class: "tag warn", text: "à relire : " + day(x.reviewBy) }) : document.createTextNode(day(x.reviewBy))))));
  }

  async function open(x) {
    current = x;
    const e = x.entry;
    $("#editor").hidden = false;
    $("#editor-title").textContent = e.question;
    $("#editor-meta").textContent = `${e.id} — ${statusLabels[e.status] || e.status}` +
      (x.author ? `, dernière modification par ${x.author} le ${when(x.updatedAt)}` : "") + (e.source ? ` — source : ${e.source}` : "");
    const pub = $("#editor-published");
    pub.hidden = !x.published;
    if (x.published) pub.textContent = "Les habitants reçoivent la version publiée tant que cette nouvelle version n'est pas publiée.";
    $("#e-question").value = e.question;
    $("#e-alternatives").value = e.alternatives.join("\n");
    $("#e-answer").value = e.answer;
    for (const c of document.querySelectorAll('input[name="e-aud"]')) c.checked = e.audiences.includes(c.value);
    $("#e-links").value = e.links.map((l) => `${l.label} | ${l.url}`).join("\n");
    $("#e-service").value = e.service || "";
    $("#e-demande").value = e.demande || "";
    $("#e-review").value = e.reviewBy || "";
    preview();
    buttons();
    $("#try-results").hidden = true;
    $("#collisions").hidden = true;
    $("#editor-title").focus();
    if (e.id) await loadHistory();
    else { history = []; $("#history tbody").replaceChildren(); $("#c-from").replaceChildren(); $("#c-to").replaceChildren(); $("#diff").replaceChildren(); }
  }

  // create opens an empty editor: saving drafts a new entry.
  function create() {
    const blank = { id: "", question: "", answer: "", alternatives: [], audiences: ["PARTICULIER"], links: [], service: $("#f-service").value,
      demande: "", reviewBy: "", status: "new" };
    open({ entry: blank, published: null, author: "", updatedAt: null });
    $("#editor-title").textContent = "Nouvelle entrée";
    $("#editor-meta").textContent = "Enregistrée comme brouillon, elle sera en ligne une fois validée puis publiée.";
  }

  // buttons offers the steps the entry's status allows.
  function buttons() {
    const s = current.entry.status;
    for (const id of ["#try", "#t-collisions"]) $(id).hidden = s === "new";
    $("#a-validate").hidden = s !== "draft";
    $("#a-publish").hidden = s !== "validated";
    $("#a-retire").hidden = s === "retired" || s === "new";
    $("#a-restore").hidden = s !== "retired";
  }

  function preview() {
    const box = $("#e-preview");
    box.replaceChildren(window.parvisAnswer.render($("#e-answer").value));
  }

  // input reads the form; a link line that is not « libellé | adresse » is refused here with its line.
  function input() {
    const links = [];
    const lines = $("#e-links").value.split("\n").map((l) => l.trim()).filter(Boolean);
    for (const [i, line] of lines.entries()) {
      const at = line.lastIndexOf("|");
      if (at < 0) throw new Error(`Lien ligne ${i + 1} : écrivez « libellé | adresse ».`);
      links.push({ label: line.slice(0, at).trim(), url: line.slice(at + 1).trim() });
    }
    return {
      question: $("#e-question").value.trim(),
      alternatives: $("#e-alternatives").value.split("\n").map((l) => l.trim()).filter(Boolean),
      answer: $("#e-answer").value,
      audiences: [...document.querySelectorAll('input[name="e-aud"]:checked')].map((c) => c.value),
      links, service: $("#e-service").value.trim(), demande: $("#e-demande").value.trim(), reviewBy: $("#e-review").value,
    };
  }

  async function save(ev) {
    ev.preventDefault();
    try {
      const done = "Brouillon enregistré : il sera en ligne une fois validé puis publié.";
      if (!current.entry.id) {
        const d = await gql(`mutation($in: KbEntryInput!) { draftKbEntry(input: $in) { id } }`, { in: input() });
        await reopen(d.draftKbEntry.id, done);
        return;
      }
      // The version opened: a change someone saved meanwhile is not overwritten.
      const d = await gql(`mutation($id: ID!, $in: KbEntryInput!) { updateKbEntry(id: $id, input: $in) { id } }`,
        { id: current.entry.id, in: { ...input(), version: current.version } });
      await reopen(d.updateKbEntry.id, done);
    } catch (e) {
      handle(e);
    }
  }

  async function step(mutation, done) {
    try {
      // The version read: a draft someone saved meanwhile is not validated or published unread.
      await gql(`mutation($id: ID!, $v: String) { ${mutation}(id: $id, version: $v) { id } }`, { id: current.entry.id, v: current.version });
      await reopen(current.entry.id, done);
    } catch (e) {
      handle(e);
    }
  }

  // reopen reloads the list and the open entry after a change, and says what happened.
  async function reopen(id, message) {
    await load(true);
    let x = entries.find((y) => y.entry.id === id);
    if (!x) { // the filters leave it out: show everything so that it can be opened
      $("#kb-filters").reset();
      await load(true);
      x = entries.find((y) => y.entry.id === id);
    }
    if (x) {
      current = x;
      await open(x);
    }
    say(message);
  }

  async function loadHistory() {
    try {
      const d = await gql(`query($id: ID!) { kbEntryHistory(id: $id) { at author status question answer alternatives } }`, { id: current.entry.id });
      history = d.kbEntryHistory;
      $("#history tbody").replaceChildren(...history.map((c, i) => el("tr", {},
        el("td", { text: when(c.at) }), el("td", { text: c.author || "import" }),
        el("td", { text: statusLabels[c.status] || c.status }),
        el("td", {}, i > 0 ? el("button", { type: "button", text: "Voir ce qui a changé",
          "aria-label": `Voir ce qui a changé le ${when(c.at)}`, onclick: () => compare(i - 1, i) }) : null))));
      const opts = () => history.map((c, i) => el("option", { value: String(i), text: `${i + 1}. ${when(c.at)} — ${statusLabels[c.status] || c.status} (${c.author || "import"})` }));
      $("#c-from").replaceChildren(...opts());
      $("#c-to").replaceChildren(...opts());
      $("#c-from").value = String(Math.max(0, history.length - 2));
      $("#c-to").value = String(history.length - 1);
      $("#diff").replaceChildren();
    } catch (e) {
      handle(e);
    }
  }

  // words splits a text into words and the spaces between them, kept, so that
  // the diff shows the text as written.
  const words = (s) => s.match(/\s+|[^\s]+/g) || [];

  // diffWords is a word-level diff (longest common subsequence): a list of
  // [op, text] with op " " (same), "-" (removed) or "+" (added).
  function diffWords(a, b) {
    const x = words(a), y = words(b);
    if (x.length * y.length > 4e6) return [["-", a], ["+", b]]; // too long to align: show both
    const n = x.length, m = y.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    const out = [];
    const push = (op, t) => { if (out.length && out[out.length - 1][0] === op) out[out.length - 1][1] += t; else out.push([op, t]); };
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) { push(" ", x[i]); i++; j++; }
      else if (lcs[i + 1][j] >= lcs[i][j + 1]) push("-", x[i++]);
      else push("+", y[j++]);
    }
    while (i < n) push("-", x[i++]);
    while (j < m) push("+", y[j++]);
    return out;
  }

  function diffBlock(title, a, b) {
    const p = el("p", { class: "diff-text" });
    for (const [op, t] of diffWords(a, b)) {
      if (op === " ") p.append(t);
      else p.append(el(op === "+" ? "ins" : "del", { text: t }, el("span", { class: "sr-only", text: op === "+" ? " (ajouté)" : " (supprimé)" })));
    }
    return el("div", {}, el("h4", { text: title + (a === b ? " : inchangée" : "") }), a === b ? null : p);
  }

  function compare(i, j) {
    const a = history[i], b = history[j];
    if (!a || !b) return;
    $("#c-from").value = String(i);
    $("#c-to").value = String(j);
    $("#diff").replaceChildren(
      el("p", { class: "meta", text: `De la version ${i + 1} (${when(a.at)}) à la version ${j + 1} (${when(b.at)}) : ajouts soulignés, suppressions barrées.` }),
      diffBlock("Question", a.question, b.question),
      diffBlock("Réponse", a.answer, b.answer),
      diffBlock("Autres formulations", a.alternatives.join("\n"), b.alternatives.join("\n")));
  }

  function days() {
    const to = new Date();
    const from = new Date(to.getTime() - Number($("#c-period").value) * 86400000);
    const iso = (d) => d.toISOString().replace(/\.\d+Z$/, "Z");
    return { f: iso(from), t: iso(to) };
  }

  // loadCoverage shows each service's figures; a service's name filters the list below.
  async function loadCoverage() {
    try {
      const d = await gql(`query($f: Time!, $t: Time!) { me { services } kbCoverage(from: $f, to: $t) {
        service entries published waiting stale asked answered answerRate feedback helpfulRate unmetNeeds unmetQuestions } }`, days());
      const scope = $("#scope");
      scope.hidden = !d.me || !d.me.services.length;
      if (!scope.hidden) scope.textContent = "Votre compte est limité aux services : " + d.me.services.join(", ") + ".";
      $("#coverage tbody").replaceChildren(...d.kbCoverage.map((c) => el("tr", {},
        el("th", { scope: "row" }, el("button", { type: "button", class: "label-btn", text: c.service,
          "aria-label": `${c.service} : afficher ses entrées`, onclick: () => { $("#f-service").value = c.service; load(); } })),
        el("td", { class: "num", text: `${c.entries} (${c.published})` }),
        el("td", { class: "num", text: String(c.waiting) }),
        el("td", { class: "num", text: String(c.stale) }),
        el("td", { class: "num", text: String(c.asked) }),
        el("td", { class: "num", text: pct(c.answerRate) }),
        el("td", { class: "num", text: c.feedback ? `${pct(c.helpfulRate)} (${c.feedback} avis)` : "—" }),
        el("td", { class: "num", text: c.unmetNeeds ? `${c.unmetNeeds} (${c.unmetQuestions} questions)` : "0" }))));
    } catch (e) {
      handle(e);
    }
  }

  const outcomes = { ANSWERED: "répond", CLARIFY: "propose des choix", UNANSWERED: "sans réponse", HANDOFF: "passe la main", SMALLTALK: "politesse" };

  // replyCell says which entry answers and how sure the bot is.
  const replyCell = (r) => el("td", {}, r.entry ? el("span", { text: r.entry.question }) : el("span", { text: "—" }),
    el("br"), el("span", { class: "meta", text: `${outcomes[r.outcome] || r.outcome}, confiance ${Math.round(r.confidence * 100)} %` }));

  async function tryIt(ev) {
    ev.preventDefault();
    const lines = $("#t-text").value.split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 20);
    if (!lines.length) { say("Tapez au moins une formulation.", true); return; }
    try {
      say("Essai en cours…");
      const rows = [];
      for (const text of lines) {
        const d = await gql(`query($t: String!, $id: ID) { tryPhrasing(text: $t, draftId: $id) {
          published { outcome confidence entry { id question } } draft { outcome confidence entry { id question } } } }`, { t: text, id: current.entry.id });
        const r = d.tryPhrasing;
        const changed = (r.published.entry || {}).id !== (r.draft.entry || {}).id;
        rows.push(el("tr", { class: changed ? "changed" : null }, el("th", { scope: "row", text: text }), replyCell(r.published), replyCell(r.draft)));
      }
      $("#try-results tbody").replaceChildren(...rows);
      $("#try-results").hidden = false;
      say(`${lines.length} formulation(s) essayée(s).`);
    } catch (e) {
      handle(e);
    }
  }

  async function collisions() {
    try {
      say("Recherche des collisions…");
      const d = await gql(`query($id: ID!) { kbCollisions(draftId: $id) { text origin published { question } draft { question } } }`, { id: current.entry.id });
      const name = (e) => (e ? e.question : "sans réponse");
      $("#collisions tbody").replaceChildren(...d.kbCollisions.map((c) => el("tr", {},
        el("th", { scope: "row", text: c.text }), el("td", { text: c.origin === "PHRASING" ? "formulation de l'entrée" : "question d'un habitant" }),
        el("td", { text: name(c.published) }), el("td", { text: name(c.draft) }))));
      $("#collisions").hidden = false;
      say(d.kbCollisions.length ? `${d.kbCollisions.length} collision(s) : vérifiez-les avant de publier.` : "Aucune collision : les formulations de l'entrée y mènent et les questions récentes ne changent pas d'entrée.");
    } catch (e) {
      handle(e);
    }
  }

  // loadReminders says what needs an expert: answers past their review date,
  // answers judged unhelpful, dead links.
  async function loadReminders() {
    try {
      const d = await gql(`{ kbStudio(first: 2000) { entry { id status } stale unhelpful } deadLinks { url status error entries { id question } } }`);
      const live = d.kbStudio.filter((x) => x.entry.status !== "retired");
      const stale = live.filter((x) => x.stale).length, unhelpful = live.filter((x) => x.unhelpful).length;
      const items = [];
      const show = (text, apply) => el("li", {}, el("button", { type: "button", class: "label-btn", text, onclick: () => { apply(); load(); } }));
      if (stale) items.push(show(`${stale} réponse(s) ont dépassé leur date de relecture`, () => { $("#f-stale").checked = true; $("#f-helpful").checked = false; }));
      if (unhelpful) items.push(show(`${unhelpful} réponse(s) jugées peu utiles par les habitants`, () => { $("#f-helpful").checked = true; $("#f-stale").checked = false; }));
      $("#reminder-list").replaceChildren(...items);
      $("#dead-list").replaceChildren(...d.deadLinks.map((l) => el("li", {}, el("span", { class: "url", text: l.url }),
        document.createTextNode(` — ${l.status ? "erreur " + l.status : "pas de réponse"} — dans : `),
        ...l.entries.map((e, i) => el("span", {}, i ? ", " : "", el("button", { type: "button", class: "label-btn", text: e.question,
          onclick: () => { const x = entries.find((y) => y.entry.id === e.id); if (x) open(x); } }))))));
      $("#dead").hidden = !d.deadLinks.length;
      $("#reminders").hidden = !items.length && !d.deadLinks.length;
    } catch (e) {
      handle(e);
    }
  }

  const readBase64 = (file) => new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new Error("Fichier illisible."));
    r.readAsDataURL(file);
  });

  async function importSheet(dryRun) {
    const file = $("#i-file").files[0];
    if (!file) { say("Choisissez un fichier.", true); $("#i-file").focus(); return; }
    if (!dryRun && !confirm("Importer ce fichier ? Les entrées ajoutées, modifiées ou retirées le seront aussitôt.")) return;
    try {
      say(dryRun ? "Essai à blanc…" : "Import…");
      const d = await gql(`mutation($f: String!, $n: String!, $d: Boolean) { importKb(file: $f, filename: $n, dryRun: $d) {
        dryRun added changed retired unchanged errors { cell message } } }`, { f: await readBase64(file), n: file.name, d: dryRun });
      const r = d.importKb;
      const box = $("#import-report");
      if (r.errors.length) {
        box.replaceChildren(el("p", { class: "status error", text: `${r.errors.length} problème(s) : rien n'est importé. Corrigez ces cellules :` }),
          el("ul", {}, ...r.errors.map((e) => el("li", {}, el("strong", { text: e.cell }), document.createTextNode(" : " + e.message)))));
        say("Le fichier a des erreurs : rien n'est importé.", true);
        return;
      }
      const list = (title, ids) => el("li", { text: `${ids.length} ${title}` + (ids.length ? " : " + ids.slice(0, 50).join(", ") + (ids.length > 50 ? "…" : "") : "") });
      box.replaceChildren(el("p", { text: r.dryRun ? "Essai à blanc, rien n'est importé :" : "Import fait :" }),
        el("ul", {}, list("ajoutée(s)", r.added), list("modifiée(s)", r.changed), list("retirée(s)", r.retired), el("li", { text: `${r.unchanged} inchangée(s)` })));
      say(r.dryRun ? "Essai à blanc terminé." : "Import terminé.");
      if (!r.dryRun) load(true);
    } catch (e) {
      handle(e);
    }
  }

  async function exportSheet(format) {
    try {
      const d = await gql(`query($f: String!) { exportKb(format: $f) }`, { f: format });
      const bytes = Uint8Array.from(atob(d.exportKb), (c) => c.charCodeAt(0));
      const a = el("a", { href: URL.createObjectURL(new Blob([bytes])), download: `base-de-connaissances.${format}` });
      document.body.append(a);
      a.click();
      a.remove();
      say(`Export .${format} téléchargé.`);
    } catch (e) {
      handle(e);
    }
  }

  function handle(e) {
    if (e.code === "UNAUTHENTICATED") {
      say("Connectez-vous avec votre compte.", true);
      signedOut();
      return;
    }
    say(e.message || "Le service ne répond pas. Réessayez dans un instant.", true);
  }

  $("#kb-filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
  $("#edit").addEventListener("submit", save);
  $("#new-entry").addEventListener("click", create);
  $("#try").addEventListener("submit", tryIt);
  $("#import").addEventListener("submit", (e) => { e.preventDefault(); importSheet(true); });
  $("#i-apply").addEventListener("click", () => importSheet(false));
  for (const b of document.querySelectorAll("button.export")) b.addEventListener("click", () => exportSheet(b.dataset.format));
  $("#t-collisions").addEventListener("click", collisions);
  $("#coverage-filters").addEventListener("submit", (e) => { e.preventDefault(); loadCoverage(); });
  $("#e-answer").addEventListener("input", preview);
  $("#a-validate").addEventListener("click", () => step("validateKbEntry", "Entrée validée : elle peut être publiée."));
  $("#a-publish").addEventListener("click", () => step("publishKbEntry", "Entrée publiée : le robot répond avec elle dès le prochain message."));
  $("#a-retire").addEventListener("click", () => {
    if (confirm("Retirer cette entrée ? Le robot cessera aussitôt de l'utiliser.")) step("retireKbEntry", "Entrée retirée : le robot ne l'utilise plus.");
  });
  $("#a-restore").addEventListener("click", () => step("restoreKbEntry", "Entrée restaurée comme brouillon : validez-la puis publiez-la."));
  $("#compare").addEventListener("submit", (e) => { e.preventDefault(); compare(Number($("#c-from").value), Number($("#c-to").value)); });
  signedOut = window.parvis.wire(async (info) => {
    if (!["ADMIN", "ANALYST", "EXPERT"].includes(info.role)) {
      say("Votre rôle ne donne pas accès à cet atelier : il est réservé aux experts et à l'équipe communication.", true);
      return;
    }
    await load();
    fillChoices();
    loadCoverage();
    loadReminders();
  }, handle);
})();
