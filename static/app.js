// dossier serve: names as you type. The pages work without this file;
// it only lists the names that start with what is typed, as links.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("offers");
  if (!input || !list || !window.fetch) { return; }
  var asked = 0;
  function clear() { list.hidden = true; list.textContent = ""; }
  input.addEventListener("input", function () {
    var typed = input.value.trim();
    var mine = ++asked;
    if (typed.length < 2) { clear(); return; }
    fetch("/api/names?q=" + encodeURIComponent(typed))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (names) {
        if (mine !== asked) { return; }
        list.textContent = "";
        names.forEach(function (n) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = "/entity/" + n.id;
          link.textContent = n.name + " (" + n.kind + ", " + n.mentions + ")";
          item.appendChild(link);
          list.appendChild(item);
        });
        list.hidden = names.length === 0;
      })
      .catch(clear);
  });
  input.addEventListener("keydown", function (e) { if (e.key === "Escape") { clear(); } });
  document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== input) { clear(); } });
}());
