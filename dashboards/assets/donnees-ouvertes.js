// Open data page: pick a territory and a month, download its CSV file from
// /opendata/<tenant>/<month>.csv with the session.
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const status = $("#status");
  const say = (text, error) => { status.textContent = text; status.classList.toggle("error", !!error); };
  let signedOut = () => {};

  function handle(e) {
    if (e.code === "UNAUTHENTICATED") { say("Connectez-vous avec votre compte.", true); signedOut(); return; }
    if (e.code === "FORBIDDEN") { say(e.message || "Votre rôle ne donne pas accès aux données ouvertes.", true); return; }
    say(e.message || "Le service ne répond pas. Réessayez dans un instant.", true);
  }

  // The previous month is the last one whole.
  const last = new Date();
  last.setDate(1);
  last.setMonth(last.getMonth() - 1);
  $("#month").value = `${last.getFullYear()}-${String(last.getMonth() + 1).padStart(2, "0")}`;
  $("#month").max = new Date().toISOString().slice(0, 7);

  $("#file").addEventListener("submit", async (e) => {
    e.preventDefault();
    const tenant = $("#territory").value;
    const month = $("#month").value;
    if (!tenant) { say("Choisissez un territoire.", true); return; }
    if (!/^\d{4}-\d{2}$/.test(month)) { say("Choisissez un mois (AAAA-MM).", true); return; }
    say("Préparation du fichier…");
    try {
      await parvis.download(`/opendata/${encodeURIComponent(tenant)}/${month}.csv`);
      say(`Fichier de ${parvis.tenantName(tenant)} pour ${month} téléchargé.`);
    } catch (err) {
      handle(err);
    }
  });

  signedOut = window.parvis.wire(async () => {
    try {
      const tenants = await parvis.territory(() => {});
      // A file is one tenant's: no « whole territory » choice here.
      const sel = $("#territory");
      sel.querySelector('option[value=""]').remove();
      $("#territory-box").hidden = false;
      if (!tenants.length) say("Aucune collectivité n'est déclarée dans votre périmètre.", true);
      const wanted = new URLSearchParams(location.search).get("territoire");
      sel.value = tenants.some((t) => t.id === wanted) ? wanted : tenants.length ? tenants[0].id : "";
    } catch (err) {
      handle(err);
    }
  }, handle);
})();
