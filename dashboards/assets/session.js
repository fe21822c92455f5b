// Signing in to the dashboards with a local account: the session lives in an
// HttpOnly cookie; its CSRF token, kept in this tab, goes with every API call.
window.parvis = (() => {
  "use strict";
  let csrf = sessionStorage.getItem("parvis-csrf") || "";

  async function gql(query, variables) {
    const res = await fetch("/graphql", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors && body.errors.length) {
      const e = new Error(body.errors[0].message);
      e.code = (body.errors[0].extensions || {}).code;
      throw e;
    }
    return body.data;
  }

  async function resume() {
    const res = await fetch("/auth/session", { credentials: "same-origin" });
    if (!res.ok) return null;
    const info = await res.json();
    csrf = info.csrf;
    sessionStorage.setItem("parvis-csrf", csrf);
    return info;
  }

  async function login(user, password) {
    const res = await fetch("/auth/login", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: user, password }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || "Connexion impossible.");
    csrf = body.csrf;
    sessionStorage.setItem("parvis-csrf", csrf);
    return body;
  }

  async function logout() {
    await fetch("/auth/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
    csrf = "";
    sessionStorage.removeItem("parvis-csrf");
  }

  const roles = { ADMIN: "administrateur", ANALYST: "analyste", EXPERT: "expert", ELECTED: "élu", AGENT: "agent" };

  // wire connects a page's sign-in form and sign-out button; onReady runs once
  // signed in.
  function wire(onReady, onError) {
    const $ = (s) => document.querySelector(s);
    const show = (info) => {
      $("#login").hidden = true;
      $("#who").hidden = false;
      $("#who-text").textContent = `${info.name} (${roles[info.role] || info.role})`;
      onReady(info);
    };
    const signedOut = () => { $("#login").hidden = false; $("#who").hidden = true; };
    $("#login").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const info = await login($("#user").value.trim(), $("#password").value);
        $("#password").value = "";
        show(info);
      } catch (err) {
        onError(err);
      }
    });
    $("#logout").addEventListener("click", async () => { await logout(); signedOut(); });
    fetch("/auth/config").then((r) => r.json()).then((c) => { $("#sso").hidden = !c.oidc; }).catch(() => {});
    resume().then((info) => (info ? show(info) : signedOut())).catch(signedOut);
    return signedOut;
  }

  // downloadCSV saves rows as a CSV file for a spreadsheet (semicolons, BOM for
  // Excel). A cell that a spreadsheet would run as a formula (= + - @, tab,
  // carriage return first) is prefixed with a quote: citizens' words are data.
  function downloadCSV(rows, filename) {
    const cell = (v) => {
      let s = String(v ?? "");
      if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+([.,]\d+)?$/.test(s)) s = "'" + s;
      return `"${s.replace(/"/g, '""')}"`;
    };
    const blob = new Blob(["\ufeff" + rows.map((r) => r.map(cell).join(";")).join("\r\n")], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
  }

  return { gql, wire, downloadCSV };
})();
