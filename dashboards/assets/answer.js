// The answers' small safe format, rendered as DOM nodes (never HTML): a blank
// line separates paragraphs; lines starting with « - » or « * » make a list,
// « 1. » a numbered list; [texte](https://…) makes a link, as does a bare
// https:// address; a French phone number becomes a tel: link. Only http(s)
// and tel: addresses become links; anything else stays text. The same rules
// as kb/answer.go on the server and the widget's copy in ingest/widget/widget.js.
window.parvisAnswer = (() => {
  "use strict";
  const INLINE = /\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"»])|((?:\+33 ?|\b0)[1-9](?:[ .-]?\d{2}){4}\b)/g;

  // safe: http(s) with a host, or tel: with a number (kb.SafeURL on the server).
  const safe = (url) => {
    if (/^tel:\+?[\d .\-()]+$/i.test(url)) return true;
    try {
      const u = new URL(url);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch (e) {
      return false;
    }
  };
  const telOf = (num) => "tel:" + num.replace(/[\s.\-]/g, "");

  function link(href, text) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (/^https?:/i.test(href)) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    return a;
  }

  // inline appends a line's text, links and phone numbers to a node.
  function inline(node, text) {
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
      node.append(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[1] !== undefined) node.append(safe(m[2]) ? link(m[2], m[1]) : m[0]);
      else if (m[3] !== undefined) node.append(safe(m[3]) ? link(m[3], m[3]) : m[3]);
      else node.append(link(telOf(m[4]), m[4]));
    }
    node.append(text.slice(last));
  }

  const bullet = /^\s*[-*•]\s+/, numbered = /^\s*\d{1,3}[.)]\s+/;

  // render returns a fragment of paragraphs and lists.
  function render(text) {
    const out = document.createDocumentFragment();
    const blocks = String(text || "").replace(/\r\n?/g, "\n").split(/\n\s*\n/);
    for (const block of blocks) {
      const lines = block.split("\n").filter((l) => l.trim() !== "");
      if (!lines.length) continue;
      for (let i = 0; i < lines.length;) {
        const kind = bullet.test(lines[i]) ? "ul" : numbered.test(lines[i]) ? "ol" : "p";
        const re = kind === "ul" ? bullet : numbered;
        if (kind === "p") {
          const p = document.createElement("p");
          for (let first = true; i < lines.length && !bullet.test(lines[i]) && !numbered.test(lines[i]); i++, first = false) {
            if (!first) p.append(document.createElement("br"));
            inline(p, lines[i].trim());
          }
          out.append(p);
          continue;
        }
        const list = document.createElement(kind);
        for (; i < lines.length && re.test(lines[i]); i++) {
          const li = document.createElement("li");
          inline(li, lines[i].replace(re, "").trim());
          list.append(li);
        }
        out.append(list);
      }
    }
    return out;
  }

  return { render };
})();
