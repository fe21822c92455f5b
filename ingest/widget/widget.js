/*
 * Parvis — widget de conversation citoyenne.
 *
 * One tag on any page:
 *   <script src="https://parvis.example/widget.js" defer
 *           data-title="Assistant de la Ville" data-colour="#1d4e89"
 *           data-position="right" data-tenant="montclar"
 *           data-privacy-url="https://ville.example/confidentialite"></script>
 *
 * Everything lives in a shadow root: no global variable, no CSS leaking in or
 * out. Styles go through a constructed stylesheet, so a host page with a strict
 * Content-Security-Policy (no 'unsafe-inline') only needs to allow this origin in
 * script-src and connect-src. The conversation is kept in localStorage for 30
 * minutes, so it survives navigation between the site's pages; what the citizen
 * wrote is never stored there (the host site's scripts can read it), only the
 * bot's side, and an expired state is deleted.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || document.querySelector("parvis-chat")) return;

  const base = new URL(script.src, location.href).origin;
  const data = script.dataset;
  const title = data.title || "Une question ? L'assistant de la ville";
  const position = data.position === "left" ? "left" : "right";
  const colour = /^#[0-9a-f]{6}$/i.test(data.colour || "") ? data.colour : "#1d4e89";
  const privacyURL = data.privacyUrl || base + "/confidentialite";
  const storeKey = "parvis:" + base + ":" + (data.tenant || "");
  const maxLength = 2000;
  const keepFor = 30 * 60 * 1000;

  // Text on the accent colour (launcher, header, the citizen's bubbles, buttons):
  // white or black, whichever contrasts more. Pure black, not a near black: the
  // two ratios meet at 4.58:1, so one of them always passes WCAG AA (4.5:1),
  // whereas #111111 left colours such as #2980b9 or #e91e63 below it.
  const luminance = (hex) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const onWhite = 1.05 / (luminance(colour) + 0.05), onBlack = (luminance(colour) + 0.05) / 0.05;
  const onAccent = onWhite >= onBlack ? "#ffffff" : "#000000";

  const css = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .launcher { position: fixed; bottom: 16px; ${position}: 16px; z-index: 2147483000;
      background: ${colour}; color: ${onAccent}; border: 2px solid transparent; border-radius: 999px;
      padding: 12px 18px; font-size: 16px; font-weight: 600; cursor: pointer;
      box-shadow: 0 4px 14px rgba(0,0,0,.25); display: flex; align-items: center; gap: 8px; }
    .launcher:focus-visible, button:focus-visible, a:focus-visible, textarea:focus-visible {
      outline: 3px solid #ffbf47; outline-offset: 2px; }
    .panel { position: fixed; bottom: 16px; ${position}: 16px; z-index: 2147483001;
      width: min(400px, calc(100vw - 16px)); height: min(640px, calc(100vh - 32px)); height: min(640px, calc(100dvh - 32px));
      background: #fff; color: #1a1a1a; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3);
      display: flex; flex-direction: column; overflow: hidden; font-size: 16px; line-height: 1.45; }
    /* Phones: 100vh is the viewport without the browser's toolbars, taller than the screen while they show (the
       header or the input would fall outside); 100dvh is the visible height, 100vh the fallback for older browsers. */
    @media (max-width: 480px) { .panel { inset: 0; width: 100%; height: 100vh; height: 100dvh; border-radius: 0; } }
    .panel[hidden], [hidden] { display: none !important; }
    header { background: ${colour}; color: ${onAccent}; padding: 12px 12px 12px 16px;
      display: flex; align-items: center; justify-content: space-between; gap: 8px; }
    header h2 { font-size: 17px; margin: 0; font-weight: 700; }
    header button { background: transparent; color: ${onAccent}; border: 2px solid currentColor;
      border-radius: 8px; min-width: 44px; min-height: 44px; font-size: 20px; cursor: pointer; }
    .privacy { font-size: 14px; background: #f3f5f8; padding: 10px 16px; margin: 0; border-bottom: 1px solid #d8dde6; }
    .privacy a { color: #0b4a8b; }
    .log { flex: 1; overflow-y: auto; padding: 12px 16px; display: flex; flex-direction: column; gap: 10px; }
    .msg { max-width: 88%; padding: 10px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
    .msg.citizen { align-self: flex-end; background: ${colour}; color: ${onAccent}; border-bottom-right-radius: 4px; }
    .msg.earlier { font-style: italic; }
    .msg.bot { align-self: flex-start; background: #eef1f5; color: #1a1a1a; border-bottom-left-radius: 4px; }
    .msg.bot .answer { white-space: normal; } .msg.bot .answer p { margin: 0 0 6px; } .msg.bot .answer p:last-child { margin-bottom: 0; }
    .msg.bot .answer ul, .msg.bot .answer ol { margin: 0 0 6px; padding-left: 20px; } .msg.bot .answer a { color: #0b4a8b; }
    .msg.notice { align-self: center; background: #fff4e5; color: #5c3b00; border: 1px solid #e8b26a; font-size: 15px; }
    .source { display: block; margin-top: 6px; font-size: 13px; color: #4a4f57; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
    .actions button, .actions a { display: inline-flex; align-items: center; min-height: 44px; padding: 8px 12px;
      border-radius: 8px; border: 2px solid ${colour}; background: #fff; color: #0b3b6f; font-size: 15px;
      text-decoration: none; cursor: pointer; text-align: left; }
    .actions a::after { content: " ↗"; }
    .typing { align-self: flex-start; color: #4a4f57; font-style: italic; font-size: 15px; }
    form { border-top: 1px solid #d8dde6; padding: 10px 12px; display: flex; gap: 8px; align-items: flex-end; }
    textarea { flex: 1; resize: none; min-height: 44px; max-height: 120px; padding: 10px; font-size: 16px;
      border: 2px solid #6b7280; border-radius: 8px; color: #1a1a1a; background: #fff; }
    form button { min-height: 44px; min-width: 44px; padding: 0 14px; border-radius: 8px; border: 2px solid transparent;
      background: ${colour}; color: ${onAccent}; font-size: 16px; font-weight: 600; cursor: pointer; }
    form button[disabled] { opacity: .6; cursor: not-allowed; }
    .footer { display: flex; justify-content: space-between; align-items: center; gap: 8px; padding: 0 12px 10px; font-size: 14px; }
    .footer button { background: none; border: none; color: #0b4a8b; text-decoration: underline; cursor: pointer;
      font-size: 14px; min-height: 32px; padding: 4px; }
    .counter { color: #4a4f57; }
    .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
      clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
    /* Demandes: the guided form, one question at a time. */
    .demande { border-top: 1px solid #d8dde6; padding: 10px 12px; display: flex; flex-direction: column; gap: 8px;
      align-items: stretch; max-height: 60%; overflow-y: auto; }
    .demande h3 { font-size: 16px; margin: 0; }
    .demande h3:focus { outline: none; }
    .demande .step { font-size: 13px; color: #4a4f57; margin: 0; }
    .demande label { font-weight: 600; }
    .demande .help { font-size: 14px; color: #4a4f57; margin: 0; }
    .demande input[type=text], .demande input[type=email], .demande input[type=tel], .demande textarea {
      width: 100%; min-height: 44px; padding: 10px; font-size: 16px; border: 2px solid #6b7280; border-radius: 8px;
      color: #1a1a1a; background: #fff; max-height: none; }
    .demande textarea { min-height: 96px; resize: vertical; }
    .demande [aria-invalid=true] { border-color: #b3261e; }
    .demande .error { color: #b3261e; font-size: 15px; margin: 0; }
    .demande .check { display: flex; gap: 8px; align-items: flex-start; font-weight: 400; }
    .demande .check input { width: 24px; height: 24px; flex: none; margin: 0; }
    .demande dl { margin: 0; display: grid; grid-template-columns: 1fr; gap: 2px; font-size: 15px; }
    .demande dt { font-weight: 600; } .demande dd { margin: 0 0 6px; overflow-wrap: anywhere; }
    .demande .buttons { display: flex; flex-wrap: wrap; gap: 8px; justify-content: flex-end;
      position: sticky; bottom: -10px; background: #fff; padding: 6px 0 10px; }
    .demande .buttons button { min-height: 44px; padding: 0 14px; border-radius: 8px; font-size: 16px; cursor: pointer;
      border: 2px solid ${colour}; background: #fff; color: #0b3b6f; }
    .demande .buttons button.primary { background: ${colour}; color: ${onAccent}; border-color: transparent; font-weight: 600; }
    .demande input:focus-visible, .demande textarea:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
    .code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 17px; font-weight: 700; letter-spacing: .04em; }
    .testmode { background: #fff8c5; color: #1a1a1a; border-bottom: 2px solid #8a6d00; padding: 8px 16px; font-size: 14px; }
    .testmode h3 { margin: 0 0 4px; font-size: 15px; }
    .testmode p { margin: 0 0 6px; }
    .testmode .actions { margin-top: 4px; }
    .testmode .actions button { font-size: 14px; min-height: 44px; }
    .testmode .error { color: #8a1c1c; font-weight: 600; }
    @media (prefers-reduced-motion: no-preference) { .panel:not([hidden]) { animation: rise .18s ease-out; } }
    @keyframes rise { from { transform: translateY(12px); } to { transform: none; } }
  `;

  const host = document.createElement("parvis-chat");
  const root = host.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement("style");
    style.textContent = css;
    root.appendChild(style);
  }

  // DOM helper: el("button", {class: "x", onclick: f}, "text", child...).
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  };

  // The privacy notice in full until the conversation starts, then its link only.
  const privacyText = el("span", { text: "Vos messages servent à vous répondre et à améliorer le service. N'indiquez pas de données personnelles : elles sont masquées automatiquement. " });
  const launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "parvis-panel" },
    el("span", { "aria-hidden": "true", text: "💬" }), el("span", { text: "Une question ?" }));
  const closeBtn = el("button", { type: "button", "aria-label": "Fermer l'assistant", text: "×" });
  const log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation" });
  const typing = el("p", { class: "typing", role: "status", hidden: true, text: "L'assistant écrit…" });
  const input = el("textarea", { id: "parvis-input", rows: "1", maxlength: String(maxLength), autocomplete: "off",
    "aria-describedby": "parvis-hint" });
  const send = el("button", { type: "submit", text: "Envoyer" });
  const counter = el("span", { class: "counter", id: "parvis-hint", "aria-live": "polite" });
  const humanBtn = el("button", { type: "button", text: "Parler à un agent" });
  const restartBtn = el("button", { type: "button", text: "Nouvelle conversation" });
  const demandeBox = el("form", { class: "demande", hidden: true, novalidate: true, "aria-labelledby": "parvis-demande-q" });
  const form = el("form", { "aria-label": "Écrire un message" },
    el("label", { for: "parvis-input", class: "sr-only", text: "Votre question" }), input, send);
  const panel = el("div", { class: "panel", id: "parvis-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "parvis-title", hidden: true },
    el("header", {}, el("h2", { id: "parvis-title", text: title }), closeBtn),
    el("p", { class: "privacy" }, privacyText,
      el("a", { href: privacyURL, target: "_blank", rel: "noopener", text: "Vos données (RGPD)" })),
    log, typing, demandeBox, form, el("div", { class: "footer" }, humanBtn, counter, restartBtn));

  // Test mode: the page was opened from a test campaign's invite URL
  // (?campaign=TOKEN). A banner says so, gives the current scenario and a way
  // to say whether its task was done; every reply is rated « Compris / Pas
  // compris »; the conversation is tagged with the campaign by the server.
  const campaignToken = new URLSearchParams(location.search).get("campaign") || "";
  const testBanner = el("section", { class: "testmode", "aria-labelledby": "parvis-test-title", hidden: !campaignToken });
  const testStatus = el("p", { class: "sr-only", role: "status" });
  let campaign = null; // {name, scenarios} once the server knows the token
  let campaignError = "";
  panel.insertBefore(testBanner, panel.querySelector(".privacy"));
  panel.append(testStatus);
  root.append(launcher, panel);

  // State, kept across pages.
  let state = load();
  if ((state.campaign || "") !== campaignToken && campaignToken) {
    // Another invite: a conversation of its own.
    state = { conversationId: null, audience: null, items: [], open: true, savedAt: Date.now(), campaign: campaignToken, scenario: 0 };
  }
  const testing = () => !!(state.campaign && campaign);
  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (s && Date.now() - s.savedAt < keepFor) return s;
      localStorage.removeItem(storeKey); // expired or corrupt: nothing is left behind
    } catch (_) { /* storage unavailable: start afresh */ }
    return { conversationId: null, audience: null, items: [], open: false, savedAt: Date.now() };
  }
  function save() {
    state.savedAt = Date.now();
    state.items = state.items.slice(-60);
    // The citizen's own words stay in this page's memory only.
    const kept = { ...state, items: state.items.map((it) =>
      it.kind === "citizen" ? { kind: "citizen" } : it.retry ? { ...it, retry: undefined, retryId: undefined } : it) };
    try { localStorage.setItem(storeKey, JSON.stringify(kept)); } catch (_) { /* private mode: no persistence */ }
  }

  async function gql(query, variables) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 20000);
    try {
      const res = await fetch(base + "/graphql", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query, variables }), signal: ctl.signal, credentials: "omit",
      });
      const body = await res.json();
      if (body.errors && body.errors.length) {
        const e = new Error(body.errors[0].message);
        e.code = (body.errors[0].extensions || {}).code;
        throw e;
      }
      return body.data;
    } catch (e) {
      if (!e.code) e.code = "NETWORK";
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  // Rendering: every item of the conversation is drawn from state.items, so a
  // page load redraws the same conversation. Afterwards the log is only added
  // to, or changed in place through drawn: it is a live region (additions), and
  // nodes drawn anew would have a screen reader read the whole conversation again.
  const drawn = new WeakMap(); // item → {node, tail: its rating or feedback box, or null}
  function render(item, live) {
    let node, t = null;
    switch (item.kind) {
      case "citizen":
        node = item.text === undefined
          ? el("div", { class: "msg citizen earlier" }, el("span", { class: "sr-only", text: "Vous : " }), "Votre message (non conservé d'une page à l'autre)")
          : el("div", { class: "msg citizen" }, el("span", { class: "sr-only", text: "Vous : " }), item.text);
        break;
      case "demande":
        node = renderFiled(item);
        break;
      case "notice":
        node = el("div", { class: "msg notice", role: live ? "alert" : null }, item.text,
          item.retry ? el("div", { class: "actions" }, el("button", { type: "button", text: "Réessayer", onclick: (e) => {
            // Once: a second press would send the message twice; a new failure
            // brings a new button. Pressed while another reply is on its way, it
            // stays, or the message would be lost.
            const text = item.retry, id = item.retryId;
            if (!ask(text, null, id).taken) return;
            item.retry = item.retryId = undefined;
            e.currentTarget.parentNode.remove();
            input.focus();
          } })) : null);
        break;
      case "audience":
        node = el("div", { class: "msg bot" }, el("span", { class: "sr-only", text: "Assistant : " }),
          "Bonjour ! Pour mieux vous répondre, vous êtes :",
          el("div", { class: "actions", role: "group", "aria-label": "Vous êtes" },
            ...[["PARTICULIER", "Un particulier"], ["ENTREPRISE", "Une entreprise"], ["ASSOCIATION", "Une association"]]
              .map(([value, label]) => el("button", { type: "button", text: label, disabled: !!state.audience, onclick: () => chooseAudience(value, label) }))));
        break;
      default: {
        const r = item.reply;
        const actions = [];
        // A CLARIFY's suggestions are its choices, sent as such; after an
        // answer, the suggestion is another question of the message: asked.
        for (const s of r.suggestions || []) {
          actions.push(el("button", { type: "button", text: s.question, onclick: () => ask(s.question, r.outcome === "CLARIFY" ? s.id : null) }));
        }
        for (const l of (r.entry && r.entry.links) || []) {
          actions.push(el("a", { href: l.url, target: "_blank", rel: "noopener", text: l.label }));
        }
        if (r.demande) {
          actions.push(el("button", { type: "button", text: "Déposer la demande : " + r.demande.label, onclick: () => startDemande(r.demande) }));
        }
        t = tail(item);
        node = el("div", { class: "msg bot" }, el("span", { class: "sr-only", text: "Assistant : " }), answerNodes(r.text),
          r.entry && r.entry.source && r.outcome === "ANSWERED" ? el("span", { class: "source", text: "Source : " + r.entry.source }) : null,
          actions.length ? el("div", { class: "actions" }, ...actions) : null, t);
      }
    }
    drawn.set(item, { node, tail: t });
    log.append(node);
    if (live) log.scrollTop = log.scrollHeight;
    return node;
  }

  // tail is what goes under a reply: a tester's rating, or a citizen's feedback.
  function tail(item) {
    const r = item.reply;
    return testing() && item.rate ? rating(item) : r.outcome === "ANSWERED" && !testing() ? feedback(item) : null;
  }
  // retail redraws a reply's tail alone, in place, once its rating changed.
  function retail(item) {
    const d = drawn.get(item);
    if (!d || !d.node.parentNode) return;
    const t = tail(item);
    if (t) d.node.insertBefore(t, d.tail);
    if (d.tail) d.tail.remove();
    d.tail = t;
  }

  // --- Answers' safe format (the same rules as kb/answer.go and the studio's
  // dashboards/assets/answer.js): paragraphs, lists, http(s) links, phone
  // numbers as tel: links. Built as DOM nodes from text: no HTML is ever parsed.
  const ANSWER_INLINE = /\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"»])|((?:\+33 ?|\b0)[1-9](?:[ .-]?\d{2}){4}\b)/g;
  const safeURL = (url) => {
    if (/^tel:\+?[\d .\-()]+$/i.test(url)) return true;
    try {
      const u = new URL(url);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch (e) {
      return false;
    }
  };
  const answerLink = (href, text) => el("a", /^https?:/i.test(href) ? { href, target: "_blank", rel: "noopener noreferrer", text } : { href, text });
  function answerInline(node, text) {
    let last = 0;
    for (const m of text.matchAll(ANSWER_INLINE)) {
      node.append(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[1] !== undefined) node.append(safeURL(m[2]) ? answerLink(m[2], m[1]) : m[0]);
      else if (m[3] !== undefined) node.append(safeURL(m[3]) ? answerLink(m[3], m[3]) : m[3]);
      else node.append(answerLink("tel:" + m[4].replace(/[\s.\-]/g, ""), m[4]));
    }
    node.append(text.slice(last));
  }
  function answerNodes(text) {
    const out = el("div", { class: "answer" });
    const bullet = /^\s*[-*•]\s+/, numbered = /^\s*\d{1,3}[.)]\s+/;
    for (const block of String(text || "").replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
      const lines = block.split("\n").filter((l) => l.trim() !== "");
      for (let i = 0; i < lines.length;) {
        if (!bullet.test(lines[i]) && !numbered.test(lines[i])) {
          const p = el("p");
          for (let first = true; i < lines.length && !bullet.test(lines[i]) && !numbered.test(lines[i]); i++, first = false) {
            if (!first) p.append(el("br"));
            answerInline(p, lines[i].trim());
          }
          out.append(p);
          continue;
        }
        const re = bullet.test(lines[i]) ? bullet : numbered;
        const list = el(re === bullet ? "ul" : "ol");
        for (; i < lines.length && re.test(lines[i]); i++) {
          const li = el("li");
          answerInline(li, lines[i].replace(re, "").trim());
          list.append(li);
        }
        out.append(list);
      }
    }
    return out;
  }
  // --- end of the answers' format

  function feedback(item) {
    if (item.feedback === "later") return null; // a newer answer came before any rating
    if (item.feedback) return el("p", { class: "source", text: "Merci pour votre retour." });
    const box = el("div", { class: "actions", role: "group", "aria-label": "Cette réponse vous a-t-elle aidé ?" },
      el("span", { text: "Cette réponse vous a-t-elle aidé ?" }));
    const answer = async (helpful) => {
      item.feedback = helpful ? "oui" : "non";
      save();
      box.replaceChildren(el("span", { role: "status", text: "Merci pour votre retour." }));
      input.focus(); // the pressed button is gone: keep the focus in the panel
      try {
        await gql("mutation($c: ID!, $h: Boolean!) { giveFeedback(conversationId: $c, helpful: $h) }", { c: state.conversationId, h: helpful });
      } catch (_) { /* feedback is best effort */ }
      if (!helpful) add({ kind: "notice", text: "Désolé. Vous pouvez reformuler votre question, ou choisir « Parler à un agent »." });
    };
    box.append(el("button", { type: "button", text: "Oui", onclick: () => answer(true) }),
      el("button", { type: "button", text: "Non", onclick: () => answer(false) }));
    return box;
  }

  // rating asks a tester whether the reply showed the question was understood.
  function rating(item) {
    if (item.rated) return el("p", { class: "source", text: item.rated === "skipped" ? "Non noté." : "Noté : " + item.rated + "." });
    const box = el("div", { class: "actions", role: "group", "aria-label": "L'assistant a-t-il compris votre question ?" },
      el("span", { text: "L'assistant a-t-il compris votre question ?" }));
    const answer = async (understood) => {
      item.rated = understood ? "compris" : "pas compris";
      save();
      box.replaceChildren(el("span", { role: "status", text: "Merci : noté « " + item.rated + " »." }));
      input.focus(); // the pressed button is gone: keep the focus in the panel
      try {
        await gql("mutation($c: ID!, $u: Boolean!) { rateAnswer(conversationId: $c, understood: $u) }", { c: state.conversationId, u: understood });
      } catch (e) {
        add({ kind: "notice", text: e.code === "NETWORK" ? "Votre note n'a pas pu être envoyée (connexion)." : e.message });
      }
    };
    box.append(el("button", { type: "button", text: "Compris", onclick: () => answer(true) }),
      el("button", { type: "button", text: "Pas compris", onclick: () => answer(false) }));
    return box;
  }

  function drawBanner() {
    if (!state.campaign) { testBanner.hidden = true; return; }
    testBanner.hidden = false;
    const heading = el("h3", { id: "parvis-test-title", text: "Mode test" + (campaign ? " : " + campaign.name : "") });
    if (!campaign) {
      testBanner.replaceChildren(heading, el("p", { class: "error", role: "alert", text: campaignError || "Chargement de la campagne…" }));
      return;
    }
    const n = campaign.scenarios.length;
    const i = state.scenario || 0;
    const body = [heading, el("p", { text: "Vos messages servent à tester l'assistant : ils ne comptent pas dans les chiffres de la ville. Notez chaque réponse." })];
    if (n === 0) {
      body.push(el("p", { text: "Posez les questions que vous poseriez à la mairie." }));
    } else if (i >= n) {
      body.push(el("p", { text: "Tous les scénarios sont terminés. Merci de votre participation !" }));
    } else {
      body.push(el("p", {}, el("strong", { text: `Scénario ${i + 1} sur ${n} : ` }), campaign.scenarios[i]),
        el("div", { class: "actions", role: "group", "aria-label": "Avez-vous pu faire cette tâche ?" },
          el("button", { type: "button", text: "Tâche réussie", onclick: () => finish(true) }),
          el("button", { type: "button", text: "Tâche non réussie", onclick: () => finish(false) })));
    }
    testBanner.replaceChildren(...body);
  }

  async function finish(done) {
    const i = state.scenario || 0;
    try {
      if (state.conversationId) {
        await gql("mutation($c: ID!, $s: Int!, $d: Boolean!) { finishScenario(conversationId: $c, scenario: $s, done: $d) }",
          { c: state.conversationId, s: i, d: done });
      }
    } catch (e) {
      add({ kind: "notice", text: e.code === "NETWORK" ? "Connexion impossible : réessayez." : e.message });
      return;
    }
    state.scenario = i + 1;
    save();
    drawBanner();
    const n = campaign.scenarios.length;
    testStatus.textContent = state.scenario < n ? `Scénario ${state.scenario + 1} sur ${n} : ${campaign.scenarios[state.scenario]}` : "Tous les scénarios sont terminés.";
    input.focus(); // the pressed button is gone: on to the next task's question
  }

  async function loadCampaign() {
    if (!state.campaign) return;
    drawBanner();
    try {
      campaign = (await gql("query($t: String!) { testCampaign(token: $t) { name scenarios } }", { t: state.campaign })).testCampaign;
    } catch (e) {
      campaignError = e.code === "NETWORK" ? "Connexion impossible avec le service : rechargez la page." : e.message;
      input.disabled = true;
      send.disabled = true;
    }
    drawBanner();
    // Test mode or not, replies take a rating or a feedback box: changed in place.
    for (const it of state.items) if (it.reply) retail(it);
  }

  function add(item) {
    state.items.push(item);
    save();
    return render(item, true);
  }

  // redraw draws the whole log anew: on the first opening of the panel on a
  // page, and for a new conversation, never for a change in the conversation.
  let logDrawn = false;
  function redraw() {
    logDrawn = true;
    privacyText.hidden = !!state.audience;
    log.replaceChildren();
    for (const item of state.items) render(item, false);
    log.scrollTop = log.scrollHeight;
  }

  async function ensureConversation() {
    if (state.conversationId) return state.conversationId;
    if (state.campaign && !campaign) throw Object.assign(new Error(campaignError || "Mode test indisponible."), { code: "BAD_USER_INPUT" });
    // data-tenant names the commune (or intercommunalité) whose assistant this
    // is; the server checks that this site may embed it.
    const d = await gql("mutation($a: Audience, $ch: String, $t: ID, $k: String) { startConversation(audience: $a, channel: $ch, tenant: $t, campaign: $k) { id } }",
      { a: state.audience, ch: "widget", t: data.tenant || null, k: state.campaign || null });
    state.conversationId = d.startConversation.id;
    save();
    return state.conversationId;
  }

  // onConversation runs call with the conversation's id. The server ends a
  // conversation idle for 30 minutes, while the page may keep it longer (a
  // demande form left open): a conversation it no longer knows is replaced by a
  // new one and call runs again, so that nothing the citizen wrote is lost.
  async function onConversation(call) {
    try {
      return await call(await ensureConversation());
    } catch (e) {
      if (e.code !== "BAD_USER_INPUT" || !/conversation/i.test(e.message)) throw e;
      state.conversationId = null;
      return call(await ensureConversation());
    }
  }

  async function chooseAudience(value, label) {
    state.audience = value;
    privacyText.hidden = true;
    // Answered: the buttons are disabled where they are (see drawn).
    for (const it of state.items) {
      const d = it.kind === "audience" && drawn.get(it);
      if (d) for (const b of d.node.querySelectorAll("button")) b.disabled = true;
    }
    add({ kind: "citizen", text: label });
    // The audience is given when a conversation starts, and only then: chosen
    // after a question (or while one is on its way), it takes a new
    // conversation, begun with the next question, and the citizen is told so.
    const late = !!state.conversationId || busy;
    if (late) state.restartForAudience = true;
    add({ kind: "bot", reply: { text: late
      ? `Merci, c'est noté. Votre prochaine question ouvrira une nouvelle conversation, avec les réponses prévues pour ${label.toLowerCase()}.`
      : "Merci. Posez votre question, je vous réponds tout de suite.", outcome: "SMALLTALK", suggestions: [] } });
    input.focus();
  }

  let busy = false;
  let queued = false; // Enter was pressed while busy: the field's text goes once the reply is in
  // ask sends a message; choice is the entry of a CLARIFY choice clicked, sent as
  // such so that the town learns what the ambiguous question meant. Its result's
  // taken says, at once, whether the text was accepted, so that the caller may
  // clear the field; the promise settles when the reply is shown. messageId is
  // the id of a message sent again (« Réessayer »): the server answers a message
  // it already logged with its reply, without logging it twice.
  function ask(text, choice, messageId) {
    text = (text || "").trim();
    if (!text || busy) return { taken: false };
    if (text.length > maxLength) {
      add({ kind: "notice", text: `Votre message est trop long (${text.length} caractères, ${maxLength} au maximum).` });
      return { taken: false };
    }
    busy = true;
    return { taken: true, done: exchange(text, choice, messageId || newMessageId()) };
  }
  function newMessageId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  async function exchange(text, choice, messageId) {
    send.disabled = true;
    typing.hidden = false;
    add({ kind: "citizen", text });
    if (state.restartForAudience) {
      // An audience chosen late: this question starts the new conversation.
      // Older replies' rating buttons would rate in the new one: they go.
      state.restartForAudience = false;
      state.conversationId = null;
      for (const it of state.items) {
        if (testing() && it.rate && !it.rated) { it.rated = "skipped"; retail(it); }
        if (it.reply && it.reply.outcome === "ANSWERED" && !it.feedback) { it.feedback = "later"; retail(it); }
      }
      save();
    }
    const fields = `text outcome confidence rated entry { id question source links { label url } } suggestions { id question }
      demande { id label prompt processingTime location photo contact }`;
    const query = `mutation($c: ID!, $t: String!, $m: ID) { sendMessage(conversationId: $c, text: $t, messageId: $m) { ${fields} } }`;
    try {
      let reply;
      if (choice && state.conversationId) {
        try {
          reply = (await gql(`mutation($c: ID!, $e: ID!) { chooseSuggestion(conversationId: $c, entryId: $e) { ${fields} } }`,
            { c: state.conversationId, e: choice })).chooseSuggestion;
        } catch (e) {
          if (e.code !== "BAD_USER_INPUT") throw e; // no longer offered: the question is asked instead
        }
      }
      if (!reply) reply = (await onConversation(async (c) => gql(query, { c, t: text, m: messageId }))).sendMessage;
      if (testing()) {
        // A rating goes to the latest reply: the older boxes go.
        for (const it of state.items) if (it.rate && !it.rated) { it.rated = "skipped"; retail(it); }
      }
      if (reply.rated === true || reply.rated === false) {
        // A « oui » or « non » typed under an answer rated it: its buttons go.
        for (let i = state.items.length - 1; i >= 0; i--) {
          const it = state.items[i];
          if (it.kind === "bot" && it.reply && it.reply.outcome === "ANSWERED") {
            if (!it.feedback) {
              it.feedback = reply.rated ? "oui" : "non";
              retail(it);
            }
            break;
          }
        }
      }
      if (reply.outcome === "ANSWERED" && !testing()) {
        // The server rates the latest answer not rated yet: the buttons of an
        // older answer would rate this one in its name, so they go.
        const older = state.items.filter((it) => it.kind === "bot" && it.reply && it.reply.outcome === "ANSWERED" && !it.feedback);
        for (const it of older) { it.feedback = "later"; retail(it); }
      }
      add({ kind: "bot", reply, rate: true });
    } catch (e) {
      if (e.code === "RATE_LIMITED") add({ kind: "notice", text: e.message });
      else if (e.code === "NETWORK") add({ kind: "notice", text: "Connexion impossible avec le service. Vérifiez votre connexion Internet, puis réessayez.", retry: text, retryId: messageId });
      else if (e.code === "BAD_USER_INPUT" || e.code === "FORBIDDEN") add({ kind: "notice", text: e.message }); // a refused site says why
      else add({ kind: "notice", text: "Le service rencontre un problème. Réessayez dans un instant.", retry: text, retryId: messageId });
    } finally {
      busy = false;
      send.disabled = false;
      typing.hidden = true;
      if (queued) {
        // The message typed meanwhile, as it now reads in the field; while a
        // demande is being filled in, it waits there for the citizen to send it.
        queued = false;
        showCounter();
        if (!draft) form.requestSubmit();
      }
    }
  }


  // Demandes: a guided form, one question at a time, each checked with a clear
  // message; a summary to confirm; then the tracking code, with a copy button.
  // What the citizen types here stays in this page's memory, never in storage.
  const emailRe = /^[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;
  const phoneOK = (v) => /^(?:0|\+33|0033)[1-9][0-9]{8}$/.test(v.replace(/[\s.\-\u00a0]/g, "").replace("(0)", ""));
  const maxPhoto = 256 * 1024;
  let draft = null;

  function demandeSteps(kind) {
    const steps = [{ id: "description" }];
    if (kind.location !== "NONE") steps.push({ id: "location" });
    if (kind.photo) steps.push({ id: "photo" });
    if (kind.contact !== "NONE") steps.push({ id: "contact" });
    steps.push({ id: "summary" });
    return steps;
  }

  function startDemande(kind) {
    draft = { kind, steps: demandeSteps(kind), at: 0, description: "", address: "", point: null, photo: null, photoName: "", contact: "", consent: false };
    form.hidden = true;
    demandeBox.hidden = false;
    drawStep();
  }

  function endDemande() {
    draft = null;
    demandeBox.hidden = true;
    demandeBox.replaceChildren();
    form.hidden = false;
    input.focus();
  }

  // check validates the current step's answer; it returns a message or "".
  function check(stepId) {
    const d = draft;
    switch (stepId) {
      case "description": {
        const n = d.description.trim().length;
        if (n < 10) return "La description est trop courte : décrivez la demande en 10 caractères au moins.";
        if (n > 2000) return `La description est trop longue : ${n} caractères, 2000 au plus.`;
        return "";
      }
      case "location":
        if (d.kind.location === "REQUIRED" && !d.address.trim() && !d.point) return "Indiquez où se trouve le problème : une adresse, un lieu (par exemple « devant le 3 rue de la Paix ») ou votre position.";
        if (d.address.length > 200) return "L'adresse est trop longue : 200 caractères au plus.";
        return "";
      case "contact": {
        const v = d.contact.trim();
        if (!v) return d.kind.contact === "REQUIRED" ? "Cette demande a besoin d'un moyen de vous joindre : une adresse électronique ou un numéro de téléphone." : "";
        if (v.includes("@") && !emailRe.test(v)) return "L'adresse électronique n'est pas valide : vérifiez-la (par exemple prenom.nom@exemple.fr).";
        if (!v.includes("@") && !phoneOK(v)) return "Le numéro de téléphone n'est pas valide : donnez un numéro français à 10 chiffres (06 12 34 56 78) ou une adresse électronique.";
        if (!d.consent) return "Pour laisser vos coordonnées, cochez « J'accepte d'être contacté(e) au sujet de cette demande », ou effacez-les.";
        return "";
      }
    }
    return "";
  }

  function field(id, labelText, control, help) {
    const hid = "parvis-d-help", eid = "parvis-d-error";
    control.id = id;
    control.setAttribute("aria-describedby", "parvis-d-step " + (help ? hid + " " : "") + eid);
    return [el("label", { for: id, text: labelText }), help ? el("p", { class: "help", id: hid, text: help }) : null, control];
  }

  function drawStep(error) {
    const d = draft;
    const step = d.steps[d.at];
    const total = d.steps.length;
    const heading = el("h3", { id: "parvis-demande-q", tabindex: "-1" });
    const parts = [];
    let control = null;
    switch (step.id) {
      case "description":
        heading.textContent = d.kind.label;
        control = el("textarea", { maxlength: "2000", required: true });
        control.value = d.description;
        control.addEventListener("input", () => { d.description = control.value; });
        parts.push(...field("parvis-d-description", "Votre demande", control, (d.kind.prompt || "Décrivez votre demande") + ` (délai de traitement annoncé : ${d.kind.processingTime}).`));
        break;
      case "location":
        heading.textContent = "Où ?";
        control = el("input", { type: "text", maxlength: "200", autocomplete: "street-address", required: d.kind.location === "REQUIRED" });
        control.value = d.address;
        control.addEventListener("input", () => { d.address = control.value; });
        parts.push(...field("parvis-d-address", "Adresse ou lieu" + (d.kind.location === "REQUIRED" ? "" : " (facultatif)"), control, "Rue et numéro, ou un repère : « devant l'école Jean Moulin »."));
        if (navigator.geolocation) {
          const where = el("p", { class: "help", role: "status", text: d.point ? `Position jointe (${d.point.lat.toFixed(5)}, ${d.point.lon.toFixed(5)}).` : "" });
          parts.push(el("div", { class: "buttons" }, el("button", { type: "button", text: d.point ? "Retirer ma position" : "Joindre ma position",
            onclick: () => {
              if (d.point) { d.point = null; drawStep(); return; }
              where.textContent = "Recherche de votre position…";
              navigator.geolocation.getCurrentPosition(
                (pos) => { d.point = { lat: pos.coords.latitude, lon: pos.coords.longitude }; drawStep(); },
                () => { where.textContent = "Position indisponible : indiquez l'adresse ou un repère."; },
                { enableHighAccuracy: true, timeout: 15000 });
            } })), where);
        }
        break;
      case "photo": {
        heading.textContent = "Une photo ? (facultatif)";
        control = el("input", { type: "file", accept: "image/*" });
        control.addEventListener("change", () => readPhoto(control.files && control.files[0]));
        parts.push(...field("parvis-d-photo", "Photo du problème (facultatif)", control, d.photo ? "Photo jointe : " + d.photoName + "." : "Une image, réduite automatiquement si elle est lourde."));
        break;
      }
      case "contact": {
        heading.textContent = "Comment vous joindre ?";
        control = el("input", { type: "text", inputmode: "email", autocomplete: "email", maxlength: "254", required: d.kind.contact === "REQUIRED" });
        control.value = d.contact;
        control.addEventListener("input", () => { d.contact = control.value; });
        parts.push(...field("parvis-d-contact", "Adresse électronique ou téléphone" + (d.kind.contact === "REQUIRED" ? "" : " (facultatif)"), control, "Seul le service qui traite la demande les voit ; ils sont effacés ensuite."));
        const consent = el("input", { type: "checkbox", id: "parvis-d-consent" });
        consent.checked = d.consent;
        consent.addEventListener("change", () => { d.consent = consent.checked; });
        parts.push(el("label", { class: "check", for: "parvis-d-consent" }, consent, el("span", { text: "J'accepte d'être contacté(e) au sujet de cette demande." })));
        break;
      }
      case "summary": {
        heading.textContent = "Vérifiez votre demande";
        const rows = [["Demande", d.kind.label], ["Description", d.description.trim()]];
        if (d.kind.location !== "NONE") rows.push(["Lieu", [d.address.trim(), d.point ? "position jointe" : ""].filter(Boolean).join(", ") || "non précisé"]);
        if (d.kind.photo) rows.push(["Photo", d.photo ? d.photoName : "aucune"]);
        if (d.kind.contact !== "NONE") rows.push(["Contact", d.contact.trim() || "aucun"]);
        rows.push(["Délai annoncé", d.kind.processingTime]);
        parts.push(el("dl", {}, ...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])));
        break;
      }
    }
    const err = el("p", { class: "error", id: "parvis-d-error", role: "alert", hidden: !error, text: error || "" });
    if (control && error) control.setAttribute("aria-invalid", "true");
    const back = el("button", { type: "button", text: d.at === 0 ? "Annuler" : "Précédent",
      onclick: () => { if (d.at === 0) { endDemande(); add({ kind: "notice", text: "Demande abandonnée : rien n'a été envoyé." }); } else { d.at--; drawStep(); } } });
    const next = el("button", { type: "submit", class: "primary", text: step.id === "summary" ? "Envoyer la demande" : "Suivant" });
    const buttons = [back];
    if (step.id === "summary") buttons.push(el("button", { type: "button", text: "Annuler", onclick: () => { endDemande(); add({ kind: "notice", text: "Demande abandonnée : rien n'a été envoyé." }); } }));
    buttons.push(next);
    demandeBox.replaceChildren(el("p", { class: "step", id: "parvis-d-step", text: `Étape ${d.at + 1} sur ${total}` }), heading, ...parts, err,
      el("div", { class: "buttons" }, ...buttons));
    // Focus: on the field to answer (its label and help are read), or on the
    // question when there is none, so that a screen reader follows each step.
    (control || heading).focus();
  }

  async function readPhoto(file) {
    const d = draft;
    if (!file) { d.photo = null; return; }
    if (!/^image\//.test(file.type)) { drawStep("La photo doit être une image (JPEG, PNG, WebP ou GIF)."); return; }
    try {
      let blob = file;
      if (file.size > maxPhoto) blob = await shrink(file);
      if (blob.size > maxPhoto) { drawStep("La photo est trop lourde, même réduite : choisissez-en une autre."); return; }
      d.photo = await new Promise((ok, ko) => { const r = new FileReader(); r.onload = () => ok(r.result); r.onerror = ko; r.readAsDataURL(blob); });
      d.photoName = file.name;
      drawStep();
    } catch (_) {
      drawStep("Cette photo n'a pas pu être lue : choisissez-en une autre, ou passez cette étape.");
    }
  }

  // shrink redraws a photo at 1280 px at most, in JPEG, smaller until it fits.
  async function shrink(file) {
    const img = await createImageBitmap(file);
    let scale = Math.min(1, 1280 / Math.max(img.width, img.height));
    for (let q = 0.8; ; q -= 0.15) {
      const c = document.createElement("canvas");
      c.width = Math.round(img.width * scale); c.height = Math.round(img.height * scale);
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", q));
      if (!blob || blob.size <= maxPhoto || q < 0.3) return blob || file;
      scale *= 0.8;
    }
  }

  demandeBox.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = draft;
    if (!d) return;
    const step = d.steps[d.at];
    const problem = check(step.id);
    if (problem) { drawStep(problem); return; }
    if (step.id !== "summary") { d.at++; drawStep(); return; }
    if (busy) return;
    busy = true;
    try {
      const v = { k: d.kind.id, d: d.description.trim(),
        contact: d.contact.trim() || null, a: d.address.trim() || null, consent: !!d.consent,
        photo: d.photo ? { name: d.photoName, base64: d.photo } : null, point: d.point };
      const r = (await onConversation(async (c) => gql(`mutation($c: ID!, $k: String!, $d: String!, $contact: String, $a: String, $consent: Boolean, $photo: PhotoInput, $point: PointInput) {
        fileDemande(conversationId: $c, kind: $k, description: $d, contact: $contact, address: $a, consent: $consent, photo: $photo, point: $point) {
          trackingCode kindLabel processingTime statusLabel } }`, { ...v, c }))).fileDemande;
      endDemande();
      const node = add({ kind: "demande", code: r.trackingCode, label: r.kindLabel, delay: r.processingTime });
      const copy = node.querySelector("button");
      if (copy) copy.focus();
    } catch (err) {
      drawStep(err.code === "NETWORK" ? "Connexion impossible avec le service : votre demande n'est pas encore envoyée. Vérifiez votre connexion, puis réessayez." : err.message);
    } finally {
      busy = false;
    }
  });

  function renderFiled(item) {
    const status = el("span", { role: "status", class: "source" });
    const copy = el("button", { type: "button", text: "Copier le code", "aria-label": "Copier le code de suivi " + item.code,
      onclick: async () => {
        try { await navigator.clipboard.writeText(item.code); status.textContent = "Code copié."; } catch (_) {
          const range = document.createRange(); range.selectNodeContents(code);
          const sel = root.getSelection ? root.getSelection() : window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
          status.textContent = "Code sélectionné : copiez-le (Ctrl+C).";
        }
      } });
    const code = el("span", { class: "code", text: item.code });
    return el("div", { class: "msg bot" }, el("span", { class: "sr-only", text: "Assistant : " }),
      `Votre demande « ${item.label} » est enregistrée. Votre code de suivi : `, code,
      `. Gardez-le : demandez-moi « où en est ma demande ${item.code} ? » pour la suivre. Délai de traitement annoncé : ${item.delay}.`,
      el("div", { class: "actions" }, copy), status);
  }

  function open() {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    if (!state.items.length) state.items.push({ kind: "audience" });
    save();
    if (!logDrawn) redraw();
    if (draft) { drawStep(); return; } // back to the demande being filled in
    const first = state.audience ? input : log.querySelector(".actions button:not([disabled])");
    (first || input).focus();
  }
  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }

  launcher.addEventListener("click", open);
  closeBtn.addEventListener("click", close);
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); close(); } });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (busy) {
      // Enter submits even while « Envoyer » is disabled: the message stays in
      // the field, where it can still be edited, and goes once the reply is in.
      queued = true;
      showCounter();
      return;
    }
    // The field is emptied only once ask has taken the text: a refused text
    // (too long) stays there to be corrected.
    if (ask(text).taken) {
      input.value = "";
      showCounter();
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  input.addEventListener("input", showCounter);
  function showCounter() {
    const left = maxLength - input.value.length;
    counter.textContent = queued && input.value.trim() ? "Votre message partira dès que l'assistant aura répondu."
      : left < 200 ? `${left} caractères restants` : "";
  }
  humanBtn.addEventListener("click", () => ask("Je voudrais parler à un agent"));
  restartBtn.addEventListener("click", () => {
    if (draft) endDemande();
    // A campaign the server refused is left: the visitor chats as a citizen.
    const keep = state.campaign && campaign;
    state = { conversationId: null, audience: null, items: [{ kind: "audience" }], open: true, savedAt: Date.now(),
      campaign: keep ? state.campaign : undefined, scenario: keep ? state.scenario : undefined };
    if (!keep) { input.disabled = false; send.disabled = false; }
    drawBanner();
    save();
    redraw();
    const first = log.querySelector(".actions button");
    if (first) first.focus();
  });
  window.addEventListener("online", () => {
    const last = state.items[state.items.length - 1];
    if (last && last.kind === "notice" && last.retry) add({ kind: "notice", text: "Connexion rétablie : vous pouvez réessayer." });
  });

  (document.body || document.documentElement).appendChild(host);
  if (state.open) open();
  loadCampaign();
})();
