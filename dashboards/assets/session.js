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
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || "Connexion impossible : réessayez.");
    csrf = body.csrf;
    sessionStorage.setItem("parvis-csrf", csrf);
    return body;
  }

  // logout ends the session and says whether it did: when the server cannot
  // record it, the page stays signed in and says so.
  async function logout() {
    const r = await fetch("/auth/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
    if (!r.ok) {
      const e = await r.json().catch(() => ({}));
      alert(e.error || "Déconnexion impossible pour le moment : réessayez.");
      return false;
    }
    csrf = "";
    sessionStorage.removeItem("parvis-csrf");
    return true;
  }

  const roles = { ADMIN: "administrateur", ANALYST: "analyste", EXPERT: "expert", ELECTED: "élu", AGENT: "agent" };

  // The dashboards and the roles each is for (what the API lets them read): a
  // person's navigation offers theirs only, and a page that is not for them
  // sends them on to their first.
  const pages = [
    ["./", "Demandes sans réponse", ["ADMIN", "ANALYST", "EXPERT"]],
    ["elus.html", "Tableau de bord des élus", ["ADMIN", "ANALYST", "ELECTED"]],
    ["atelier.html", "Atelier des experts", ["ADMIN", "ANALYST", "EXPERT"]],
    ["demandes.html", "Demandes des habitants", ["ADMIN", "AGENT"]],
    ["campagnes.html", "Campagnes de test", ["ADMIN", "ANALYST", "EXPERT"]],
    ["donnees-ouvertes.html", "Données ouvertes", ["ADMIN", "ANALYST", "ELECTED"]],
  ];

  function currentPage() {
    const file = location.pathname.split("/").pop();
    return file === "" || file === "index.html" ? "./" : file;
  }

  // navigation fills the header's navigation for a role and returns its pages.
  function navigation(role) {
    const mine = pages.filter(([, , r]) => r.includes(role));
    const links = mine.map(([href, label]) => {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = label;
      if (href === currentPage()) a.setAttribute("aria-current", "page");
      return a;
    });
    document.querySelector(".dnav").replaceChildren(...links.flatMap((a, i) => (i ? [" ", a] : [a])));
    return mine.map(([href]) => href);
  }

  // signInPage builds the page a signed-out visitor sees instead of the
  // dashboard: one for every page, so that each keeps its address and the
  // visitor lands, once signed in, where they were going.
  function signInPage() {
    const page = document.createElement("section");
    page.id = "signin";
    page.className = "signin";
    page.hidden = true;
    page.setAttribute("aria-labelledby", "signin-title");
    page.innerHTML = `
      <h2 id="signin-title">Connexion</h2>
      <p>Les tableaux de bord sont réservés aux agents, experts et élus de la collectivité.</p>
      <form id="login" hidden>
        <label for="user">Identifiant</label>
        <input id="user" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required>
        <label for="password">Mot de passe</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <p id="login-error" class="login-error" role="alert"></p>
        <button type="submit">Se connecter</button>
      </form>
      <p id="sso" class="sso-choice" hidden>ou <a class="sso" href="/auth/oidc/login">se connecter avec le compte de la collectivité</a></p>`;
    document.querySelector("header").after(page);
    return page;
  }

  // wire shows the sign-in page while nobody is signed in, and the dashboard
  // once someone is; onReady runs on each sign-in. It returns a function that
  // signs the page out (a session that ended meanwhile). A failed sign-in is
  // told in the form itself: the page behind it is hidden.
  function wire(onReady) {
    const $ = (s) => document.querySelector(s);
    document.querySelector("#login")?.remove(); // a page of an older release
    const page = signInPage();
    document.body.classList.add("signing-in"); // nothing of the dashboard before we know
    const show = (info) => {
      const mine = navigation(info.role);
      if (mine.length && !mine.includes(currentPage())) {
        location.replace(mine[0]);
        return;
      }
      document.body.classList.remove("signing-in", "signed-out");
      page.hidden = $("#login").hidden = true;
      $("#who").hidden = false;
      $("#who-text").textContent = `${info.name} (${roles[info.role] || info.role})`;
      onReady(info);
    };
    const signedOut = () => {
      document.body.classList.remove("signing-in");
      document.body.classList.add("signed-out");
      page.hidden = $("#login").hidden = false;
      $("#who").hidden = true;
      $(".dnav").replaceChildren();
    };
    $("#login").addEventListener("submit", async (e) => {
      e.preventDefault();
      const error = $("#login-error");
      error.textContent = "";
      try {
        const info = await login($("#user").value.trim(), $("#password").value);
        $("#password").value = "";
        show(info);
      } catch (err) {
        error.textContent = err.message || "Connexion impossible : réessayez.";
        $("#password").select();
      }
    });
    $("#logout").addEventListener("click", async () => { if (await logout()) signedOut(); });
    const sso = $("#sso a");
    sso.href = "/auth/oidc/login?next=" + encodeURIComponent(location.pathname + location.search);
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

  // download fetches a file of the API with the session (and its CSRF
  // header) and saves it under the name the server gives; a refusal throws
  // the server's French message.
  async function download(url) {
    const res = await fetch(url, { credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
    if (!res.ok) {
      const e = new Error((await res.text()).trim() || "Le fichier n'a pas pu être téléchargé.");
      e.code = res.status === 401 ? "UNAUTHENTICATED" : res.status === 403 ? "FORBIDDEN" : "";
      throw e;
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
    const a = document.createElement("a");
    a.href = URL.createObjectURL(await res.blob());
    a.download = name ? name[1] : "parvis.csv";
    document.body.append(a);
    a.click();
    a.remove();
  }

  // ---- Territory picker ----
  // territory fills a page's picker (#territory in #territory-box) with the
  // tenants the caller sees, and shows it when they are several (an
  // intercommunalité, the platform); a commune's caller sees its own figures
  // without it. The choice is kept in the address (?territoire=), so that a
  // page can be bookmarked or sent per commune. onChange runs on a new choice.
  let tenants = [];
  async function territory(onChange) {
    const sel = document.querySelector("#territory");
    const box = document.querySelector("#territory-box");
    const d = await gql(`{ tenants { id name parent population members } }`);
    tenants = d.tenants;
    const option = (value, text) => { const o = document.createElement("option"); o.value = value; o.textContent = text; return o; };
    sel.replaceChildren(option("", "Tout mon territoire"),
      ...tenants.map((t) => option(t.id, (t.parent && tenants.some((p) => p.id === t.parent) ? "— " : "") + t.name)));
    const wanted = new URLSearchParams(location.search).get("territoire");
    sel.value = wanted && tenants.some((t) => t.id === wanted) ? wanted : "";
    box.hidden = tenants.length < 2;
    if (!sel.dataset.wired) {
      sel.dataset.wired = "1";
      sel.addEventListener("change", () => {
        const url = new URL(location.href);
        if (sel.value) url.searchParams.set("territoire", sel.value); else url.searchParams.delete("territoire");
        history.replaceState(null, "", url);
        onChange();
      });
    }
    return tenants;
  }

  // chosen is the tenant the picker narrows the page to, or null for the
  // caller's whole territory.
  function chosen() {
    const sel = document.querySelector("#territory");
    return sel && sel.value ? sel.value : null;
  }

  // communes returns the communes of the chosen territory: the members of an
  // intercommunalité, the commune itself, or every commune the caller sees.
  function communes() {
    const id = chosen();
    const byID = new Map(tenants.map((t) => [t.id, t]));
    if (id) {
      const t = byID.get(id);
      if (!t) return [];
      return t.members.length ? t.members.map((m) => byID.get(m)).filter(Boolean) : [t];
    }
    return tenants.filter((t) => !t.members.length);
  }

  const tenantName = (id) => (tenants.find((t) => t.id === id) || { name: id }).name;

  return { gql, wire, downloadCSV, download, territory, chosen, communes, tenantName };
})();
