"use strict";
// Findings tables: filter, sort and paginate the rows embedded as JSON.
// Data from the dataset only ever reaches the page as textContent.
(function () {
  var PAGE = 25;
  var source = document.getElementById("findings-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var files = data.files;
  var numbers = new Intl.NumberFormat("en");
  var collator = new Intl.Collator("en", { numeric: true });

  function baseName(path) {
    var parts = String(path).split(/[\\/]/);
    return parts[parts.length - 1];
  }

  function location(row) {
    var file = files[row[0]];
    if (!file) { return { shown: "(dataset)", full: "(dataset)" }; }
    var where = row[1] == null ? "" : ":" + row[1] + ":" + (row[2] == null ? 1 : row[2]);
    return { shown: baseName(file) + where, full: file + where };
  }

  function compare(key, a, b) {
    if (key === 0) {
      var byFile = collator.compare(files[a[0]] || "", files[b[0]] || "");
      return byFile || (a[1] || 0) - (b[1] || 0) || (a[2] || 0) - (b[2] || 0);
    }
    return collator.compare(a[key] == null ? "" : String(a[key]),
                            b[key] == null ? "" : String(b[key]));
  }

  function cell(text, className, title) {
    var td = document.createElement("td");
    td.className = className;
    td.textContent = text;
    if (title) { td.title = title; }
    return td;
  }

  function setUp(article) {
    var rows = data.rules[article.getAttribute("data-rule")] || [];
    var haystacks = rows.map(function (row) {
      return [location(row).full, row[3], row[4], row[5]].join("\u0000").toLowerCase();
    });
    var order = rows.map(function (_, i) { return i; });
    var state = { shown: order, page: 0, key: null, direction: 1, query: "" };
    var body = article.querySelector("tbody");
    var status = article.querySelector(".status");
    var pageLabel = article.querySelector(".page");
    var buttons = article.querySelectorAll(".pager button");
    var headers = article.querySelectorAll("th[data-key]");

    function draw() {
      var pages = Math.max(1, Math.ceil(state.shown.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      var start = state.page * PAGE;
      var slice = state.shown.slice(start, start + PAGE);
      var fragment = document.createDocumentFragment();
      slice.forEach(function (index) {
        var row = rows[index];
        var where = location(row);
        var tr = document.createElement("tr");
        tr.appendChild(cell(where.shown, "loc", where.full));
        tr.appendChild(cell(row[3] || "", "ptr"));
        tr.appendChild(cell(row[4] == null ? "" : row[4], "vid"));
        tr.appendChild(cell(row[5], "msg"));
        fragment.appendChild(tr);
      });
      if (!slice.length) {
        var tr = document.createElement("tr");
        var td = cell("No finding matches the filter.", "empty");
        td.colSpan = 4;
        tr.appendChild(td);
        fragment.appendChild(tr);
      }
      body.replaceChildren(fragment);
      var matching = state.shown.length;
      status.textContent = matching
        ? "Showing " + numbers.format(start + 1) + "–" + numbers.format(start + slice.length) +
          " of " + numbers.format(matching) +
          (state.query ? " matching (" + numbers.format(rows.length) + " embedded)" : "")
        : "0 of " + numbers.format(rows.length);
      pageLabel.textContent = "Page " + numbers.format(state.page + 1) + " of " + numbers.format(pages);
      buttons[0].disabled = state.page === 0;
      buttons[1].disabled = state.page >= pages - 1;
    }

    function apply() {
      var query = state.query;
      var shown = query
        ? order.filter(function (i) { return haystacks[i].indexOf(query) !== -1; })
        : order.slice();
      if (state.key !== null) {
        var key = state.key, direction = state.direction;
        shown.sort(function (a, b) { return direction * compare(key, rows[a], rows[b]) || a - b; });
      }
      state.shown = shown;
      draw();
    }

    article.querySelector("input[type=search]").addEventListener("input", function (event) {
      state.query = event.target.value.trim().toLowerCase();
      state.page = 0;
      apply();
    });
    headers.forEach(function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = Number(th.getAttribute("data-key"));
        state.direction = state.key === key ? -state.direction : 1;
        state.key = key;
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", state.direction === 1 ? "ascending" : "descending");
        apply();
      });
    });
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        state.page += Number(button.getAttribute("data-step"));
        draw();
      });
    });
    draw();
  }

  document.querySelectorAll("article.rule[data-rule]").forEach(setUp);
})();
