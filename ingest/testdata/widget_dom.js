// A minimal DOM, enough to run widget.js under node for widget_behaviour_test.go.
// Usage: node widget_dom.js WIDGET.js MODE [COLOUR]
"use strict";
const fs = require("fs");
const [, , widgetPath, mode, colour] = process.argv;

class Node {
  constructor() { this.childNodes = []; this.parentNode = null; }
  append(...cs) {
    for (const c of cs) {
      const n = typeof c === "string" || typeof c === "number" ? new Text(String(c)) : c;
      if (n.parentNode) n.parentNode._remove(n);
      n.parentNode = this;
      this.childNodes.push(n);
    }
  }
  appendChild(c) { this.append(c); return c; }
  insertBefore(n, ref) {
    if (n.parentNode) n.parentNode._remove(n);
    n.parentNode = this;
    const i = ref ? this.childNodes.indexOf(ref) : -1;
    if (i < 0) this.childNodes.push(n); else this.childNodes.splice(i, 0, n);
    return n;
  }
  _remove(n) { const i = this.childNodes.indexOf(n); if (i >= 0) this.childNodes.splice(i, 1); n.parentNode = null; }
  remove() { if (this.parentNode) this.parentNode._remove(this); }
  replaceChildren(...cs) { for (const c of this.childNodes) c.parentNode = null; this.childNodes = []; this.append(...cs); }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
  set textContent(v) { this.replaceChildren(); if (v !== "" && v != null) this.append(String(v)); }
  contains(n) { for (; n; n = n.parentNode) if (n === this) return true; return false; }
  get children() { return this.childNodes.filter((c) => c instanceof Element); }
}
class Text extends Node { constructor(s) { super(); this.data = s; } get textContent() { return this.data; } }
class Element extends Node {
  constructor(tag) {
    super(); this.tagName = tag.toUpperCase(); this.attributes = {}; this.listeners = {};
    this.hidden = false; this.disabled = false; this.value = ""; this.scrollTop = 0; this.scrollHeight = 0; this.dataset = {};
  }
  setAttribute(k, v) {
    this.attributes[k] = String(v);
    if (k === "hidden") this.hidden = true;
    if (k === "disabled") this.disabled = true;
    if (k === "id") this.id = String(v);
  }
  getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; }
  hasAttribute(k) { return k in this.attributes; }
  addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); }
  dispatchEvent(e) {
    e.target = e.target || this;
    e.defaultPrevented = false;
    e.preventDefault = () => { e.defaultPrevented = true; };
    for (let n = this; n; n = n.parentNode || n.host) {
      for (const f of (n.listeners && n.listeners[e.type]) || []) { e.currentTarget = n; f(e); }
      if (!e.bubbles) break;
    }
    return !e.defaultPrevented;
  }
  focus() { document.activeElement = this; }
  click() { if (!this.disabled) this.dispatchEvent({ type: "click", bubbles: true }); }
  requestSubmit() { this.dispatchEvent({ type: "submit", bubbles: true }); }
  attachShadow() { this.shadowRoot = new Element("#shadow-root"); this.shadowRoot.host = this; return this.shadowRoot; }
  matches(compound) {
    const m = compound.match(/^([a-z0-9-]*)((?:\.[\w-]+)*)((?:\[[\w-]+\])*)(:not\(\[([\w-]+)\]\))?$/i);
    if (!m) return false;
    if (m[1] && this.tagName !== m[1].toUpperCase()) return false;
    const cls = (this.attributes.class || "").split(/\s+/);
    for (const c of m[2].split(".").filter(Boolean)) if (!cls.includes(c)) return false;
    for (const a of (m[3].match(/[\w-]+/g) || [])) if (!(a in this.attributes)) return false;
    if (m[5] && (m[5] === "disabled" ? this.disabled : m[5] in this.attributes)) return false;
    return true;
  }
  querySelectorAll(sel) {
    const parts = sel.trim().split(/\s+/);
    const out = [];
    const walk = (n) => {
      for (const c of n.children) {
        if (c.matches(parts[parts.length - 1])) {
          let ok = true, a = c.parentNode;
          for (let i = parts.length - 2; i >= 0 && ok; i--) {
            while (a && a !== this && !(a instanceof Element && a.matches(parts[i]))) a = a.parentNode;
            if (!a || a === this) ok = false; else a = a.parentNode;
          }
          if (ok) out.push(c);
        }
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  querySelector(sel) { return this.querySelectorAll(sel)[0] || null; }
}

const store = {};
globalThis.localStorage = {
  getItem: (k) => (k in store ? store[k] : null), setItem: (k, v) => { store[k] = String(v); }, removeItem: (k) => { delete store[k]; },
};
const script = new Element("script");
script.src = "https://parvis.example/widget.js";
if (colour) script.dataset.colour = colour;
const body = new Element("body");
globalThis.document = {
  currentScript: script, body, documentElement: body, activeElement: null,
  createElement: (t) => new Element(t), querySelector: () => null,
};
globalThis.location = { href: "https://www.montclar.example/", search: "" };
globalThis.window = globalThis;
globalThis.addEventListener = () => {};

const sent = [];
const pending = [];
globalThis.fetch = (url, init) => new Promise((resolve, reject) => {
  const b = JSON.parse(init.body);
  sent.push(b);
  pending.push({ b, resolve, reject });
});
const answered = (text) => ({ json: async () => ({ data: { sendMessage: { text, outcome: "ANSWERED", confidence: 0.9, rated: null,
  entry: { id: "e", question: "q", source: "Mairie", links: [] }, suggestions: [], demande: null } } }) });
const tick = () => new Promise((r) => setTimeout(r, 0));

const storeKey = "parvis:https://parvis.example:";
localStorage.setItem(storeKey, JSON.stringify(mode === "audience-late"
  ? { conversationId: null, audience: null, items: [{ kind: "audience" }], open: true, savedAt: Date.now() }
  : { conversationId: "01J0000000000000000000000C", audience: "PARTICULIER", items: [{ kind: "audience" }], open: true, savedAt: Date.now() }));

new Function(fs.readFileSync(widgetPath, "utf8"))();
const root = body.children.find((e) => e.tagName === "PARVIS-CHAT").shadowRoot;
const input = root.querySelector("textarea");
const form = input.parentNode;
const log = root.querySelector(".log");
const type = (text) => { input.value = text; input.dispatchEvent({ type: "keydown", key: "Enter", shiftKey: false, bubbles: true }); };

(async () => {
  const out = {};
  switch (mode) {
    case "enter-while-busy": {
      type("horaires de la piscine");
      await tick();
      type("et le samedi ?"); // typed while the first reply is on its way
      await tick();
      pending.shift().resolve(answered("La piscine est ouverte de 10 h à 19 h."));
      for (let i = 0; i < 20; i++) await tick();
      while (pending.length) { pending.shift().resolve(answered("Le samedi de 9 h à 18 h.")); for (let i = 0; i < 20; i++) await tick(); }
      out.sent = sent.map((b) => b.variables && b.variables.t).filter(Boolean);
      out.input = input.value;
      break;
    }
    case "live-log": {
      type("horaires de la piscine");
      await tick();
      pending.shift().resolve(answered("La piscine est ouverte de 10 h à 19 h."));
      for (let i = 0; i < 20; i++) await tick();
      const before = log.children.slice();
      type("horaires de la médiathèque");
      await tick();
      pending.shift().resolve(answered("La médiathèque est ouverte de 10 h à 18 h."));
      for (let i = 0; i < 20; i++) await tick();
      out.before = before.length;
      out.kept = before.filter((n) => n.parentNode === log).length;
      out.after = log.children.length;
      // The first answer's « Oui / Non » would rate the second: they go.
      out.oldFeedback = before[before.length - 1].querySelectorAll("button").filter((b) => b.textContent === "Oui").length;
      out.newFeedback = log.children[log.children.length - 1].querySelectorAll("button").filter((b) => b.textContent === "Oui").length;
      break;
    }
    case "audience-late": {
      // A question typed before « vous êtes » is answered; the citizen then
      // says they are a business, and asks again.
      type("horaires de la déchetterie");
      await tick();
      pending.shift().resolve({ json: async () => ({ data: { startConversation: { id: "01J0000000000000000000000C" } } }) });
      for (let i = 0; i < 20; i++) await tick();
      pending.shift().resolve(answered("La déchetterie est ouverte..."));
      for (let i = 0; i < 20; i++) await tick();
      const btn = root.querySelectorAll(".actions button").find((b) => b.textContent === "Une entreprise");
      out.enabled = !!btn && !btn.disabled;
      if (btn) btn.click();
      for (let i = 0; i < 20; i++) await tick();
      type("horaires de la déchetterie");
      for (let i = 0; i < 20; i++) await tick();
      while (pending.length) {
        const p = pending.shift();
        p.resolve(/startConversation/.test(p.b.query)
          ? { json: async () => ({ data: { startConversation: { id: "01J0000000000000000000000D" } } }) }
          : answered("..."));
        for (let i = 0; i < 20; i++) await tick();
      }
      out.audiences = sent.map((b) => b.variables && b.variables.a).filter((a) => a !== undefined);
      out.ops = sent.map((b) => b.query.match(/\{ (\w+)/)[1]);
      out.shown = log.textContent;
      break;
    }
    case "retry": {
      // The network drops while the reply is on its way; « Réessayer » sends
      // the message again, then the citizen asks something else.
      type("horaires de la piscine");
      await tick();
      pending.shift().reject(new TypeError("Failed to fetch"));
      for (let i = 0; i < 20; i++) await tick();
      const again = root.querySelectorAll(".actions button").find((b) => b.textContent === "Réessayer");
      out.retried = !!again;
      if (again) again.click();
      for (let i = 0; i < 20; i++) await tick();
      while (pending.length) { pending.shift().resolve(answered("La piscine est ouverte de 10 h à 19 h.")); for (let i = 0; i < 20; i++) await tick(); }
      type("et le samedi ?");
      for (let i = 0; i < 20; i++) await tick();
      while (pending.length) { pending.shift().resolve(answered("Le samedi de 9 h à 18 h.")); for (let i = 0; i < 20; i++) await tick(); }
      out.messages = sent.filter((b) => /sendMessage/.test(b.query)).map((b) => ({ text: b.variables.t, id: b.variables.m }));
      out.stored = store[storeKey];
      break;
    }
    case "retry-while-busy": {
      // « Réessayer » pressed while the next question's reply is on its way.
      type("horaires de la piscine");
      await tick();
      pending.shift().reject(new TypeError("Failed to fetch"));
      for (let i = 0; i < 20; i++) await tick();
      type("et le samedi ?");
      await tick();
      const again = () => root.querySelectorAll(".actions button").find((b) => b.textContent === "Réessayer");
      if (again()) again().click();
      for (let i = 0; i < 20; i++) await tick();
      out.keptWhileBusy = !!again();
      pending.shift().resolve(answered("Le samedi de 9 h à 18 h."));
      for (let i = 0; i < 20; i++) await tick();
      if (again()) again().click();
      for (let i = 0; i < 20; i++) await tick();
      while (pending.length) { pending.shift().resolve(answered("La piscine est ouverte de 10 h à 19 h.")); for (let i = 0; i < 20; i++) await tick(); }
      out.sent = sent.filter((b) => /sendMessage/.test(b.query)).map((b) => b.variables.t);
      break;
    }
    case "css": {
      out.css = root.children.filter((e) => e.tagName === "STYLE").map((e) => e.textContent).join("\n");
      break;
    }
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
})();
