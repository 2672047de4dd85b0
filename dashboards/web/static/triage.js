// Keyboard shortcuts of the triage queue and a story's page. Served by the app itself; every page works without
// it (the shortcuts only move the focus and submit the forms that are on the page).
// Queue: j/k next/previous story, x select it, c confirm, d dismiss (focus the reason), l relabel, m merge.
// Story page: c confirm, d dismiss (focus the reason), l relabel, m the first merge suggestion.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-story]"));
  var current = -1;

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || (target && target.isContentEditable);
  }

  function show(index) {
    if (!rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("current"); }
    current = Math.max(0, Math.min(rows.length - 1, index));
    var row = rows[current];
    row.classList.add("current");
    var link = row.querySelector("a.story-link");
    if (link) { link.focus(); }
    row.scrollIntoView({ block: "nearest" });
  }

  function submit(form) {
    if (!form) { return; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function storyPage(key) {
    var target = {
      c: "#xac-nhan button[type=submit]",
      d: "#reason",
      l: "#topic",
      m: "#goi-y-gop button[type=submit], #target"
    }[key];
    var element = target && document.querySelector(target);
    if (!element) { return false; }
    if (key === "c") { submit(element.form); } else { element.focus(); }
    return true;
  }

  function queue(key) {
    if (key === "j") { show(current + 1); return true; }
    if (key === "k") { show(current < 0 ? 0 : current - 1); return true; }
    if (current < 0) { return false; }
    var row = rows[current];
    var id = row.getAttribute("data-story");
    if (key === "x") { var box = row.querySelector("input[type=checkbox]"); box.checked = !box.checked; return true; }
    if (key === "c") { submit(row.querySelector("form.confirm")); return true; }
    if (key === "d") { var reason = row.querySelector("form.dismiss input[name=reason]"); if (reason) { reason.focus(); } return true; }
    if (key === "l") { window.location.href = "/phan-loai/" + id + "#sua-nhan"; return true; }
    if (key === "m") { window.location.href = "/phan-loai/" + id + "#gop"; return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    if ("jkxcdlm".indexOf(key) < 0 || key.length !== 1) { return; }
    var done = rows.length ? queue(key) : storyPage(key);
    if (done) { event.preventDefault(); }
  });

  if (!rows.length && window.location.hash) {  // arrived from the queue with l or m
    storyPage({ "#sua-nhan": "l", "#gop": "m" }[window.location.hash] || "");
  }
}());
