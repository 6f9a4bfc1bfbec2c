/* imdi-analysis: readable tables without any library or network access.
 *
 * - every table in the article sits in a scroll box; when it is wider than the page the box
 *   gets the class imdi-overflowing, which shows a shadow at the cut edge and a hint;
 * - cells holding a Norwegian number ("4 953,07", "-12", "3,5 %") or a Statistics Norway symbol
 *   get the class imdi-num (right-aligned by imdi.css);
 * - rows and columns of totals ("I alt") in appendix tables get the class imdi-total (bold);
 * - long tables (more than LONG_TABLE rows) get a filter box and sortable column headers. The
 *   table stays a plain <table>: filtering only hides rows, and print shows every row.
 */
(function () {
  "use strict";
  var LONG_TABLE = 15;
  var NUMBER = /^[-\u2212\u2013]?\d{1,3}([ \u00a0\u202f]\d{3})*(,\d+)?([ \u00a0\u202f]?%)?$/;
  var SYMBOL = /^(:|\.\.|\.|-|\u2013)$/;
  var TOTAL = "I alt";

  function article() {
    return document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  }

  function wrap(table) {
    if (table.closest(".imdi-scroll")) return table.closest(".imdi-scroll");
    var box = document.createElement("div");
    box.className = "imdi-scroll";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    return box;
  }

  function addHint(box) {
    if (box.querySelector(":scope > .imdi-scroll-hint")) return;
    var hint = document.createElement("p");
    hint.className = "imdi-scroll-hint";
    hint.textContent = "Tabellen er bredere enn siden: rull sideveis for å se alle kolonnene.";
    box.insertBefore(hint, box.firstChild);
  }

  function markOverflow(box) {
    var table = box.querySelector("table");
    var wide = table && table.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("imdi-overflowing", !!wide);
    if (wide) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var caption = table.querySelector("caption");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabell");
    }
  }

  function markNumbers(table) {
    table.querySelectorAll("td").forEach(function (cell) {
      var text = cell.textContent.trim();
      if (text && (NUMBER.test(text) || SYMBOL.test(text))) cell.classList.add("imdi-num");
    });
  }

  function markTotals(table) {
    var header = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var offset = 0;
    var totalColumns = [];
    if (header) {
      Array.prototype.forEach.call(header.cells, function (th, i) {
        if (th.textContent.trim() === TOTAL) totalColumns.push(i);
      });
    }
    Array.prototype.forEach.call(table.tBodies.length ? table.tBodies[0].rows : [], function (row) {
      var heads = row.querySelectorAll("th[scope=row]");
      heads.forEach(function (th) {
        if (th.textContent.trim() === TOTAL) row.classList.add("imdi-total");
      });
      totalColumns.forEach(function (i) {
        if (row.cells[i + offset]) row.cells[i + offset].classList.add("imdi-total");
      });
    });
  }

  function numberOf(text) {
    var clean = text.replace(/[\s\u00a0\u202f%]/g, "").replace("\u2212", "-").replace(",", ".");
    return clean !== "" && !isNaN(clean) ? parseFloat(clean) : null;
  }

  function sortBy(table, column, button) {
    var body = table.tBodies[0];
    var ascending = button.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    button.parentNode.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    button.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column] ? a.cells[column].textContent.trim() : "";
      var y = b.cells[column] ? b.cells[column].textContent.trim() : "";
      var nx = numberOf(x), ny = numberOf(y);
      var order = nx !== null && ny !== null ? nx - ny : x.localeCompare(y, "nb");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function addControls(table, box) {
    if (!table.tBodies.length || table.tBodies[0].rows.length <= LONG_TABLE) return;
    if (box.previousElementSibling && box.previousElementSibling.classList.contains("imdi-controls")) return;
    var controls = document.createElement("div");
    controls.className = "imdi-controls";
    var label = document.createElement("label");
    label.textContent = "Filtrer rader: ";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "f.eks. kommune eller år";
    label.appendChild(input);
    var count = document.createElement("span");
    count.setAttribute("aria-live", "polite");
    controls.appendChild(label);
    controls.appendChild(count);
    box.parentNode.insertBefore(controls, box);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase("nb");
      var shown = 0;
      rows.forEach(function (row) {
        var hit = !needle || row.textContent.toLocaleLowerCase("nb").indexOf(needle) >= 0;
        row.hidden = !hit;
        if (hit) shown += 1;
      });
      count.textContent = needle ? shown + " av " + rows.length + " rader" : "";
    });
    var header = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!header) return;
    Array.prototype.forEach.call(header.cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "imdi-sort";
      button.title = "Sorter etter denne kolonnen";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, button); });
    });
  }

  function setup() {
    var boxes = [];
    article().querySelectorAll("table").forEach(function (table) {
      if (table.closest(".highlight")) return;
      var box = wrap(table);
      addHint(box);
      markNumbers(table);
      if (table.classList.contains("imdi-table")) {
        markTotals(table);
        addControls(table, box);
      }
      boxes.push(box);
    });
    var check = function () { boxes.forEach(markOverflow); };
    check();
    window.addEventListener("resize", check);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
