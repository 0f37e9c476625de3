"use strict";
// The dashboard's only script: search, filter, sort and show. Every text it shows
// was formatted by Python; it sets textContent only, never HTML.
(function () {
  const page = JSON.parse(document.getElementById("dashboard-data").textContent);
  const words = page.words;
  const PAGE = 250;
  // Latin digits in every locale, as babel formats the rest of the page (CLDR's default for ar).
  const numbers = new Intl.NumberFormat(document.documentElement.lang, { numberingSystem: "latn" });

  // The folding of p2c_pledges.query.fold: case-fold, decompose (twice), drop the
  // characters of a nonzero combining class (Python's list: not \p{Mn}).
  const hex = (code) => "\\u{" + code.toString(16) + "}";
  const marks = new RegExp(
    "[" + page.marks.map(([first, last]) => hex(first) + "-" + hex(last)).join("") + "]", "gu");
  function fold(text) {
    let out = "";
    for (const char of text) {
      out += page.fold[char] !== undefined ? page.fold[char] : char.toLowerCase();
    }
    out = out.normalize("NFKD");
    let again = "";
    for (const char of out) {
      again += page.fold[char] !== undefined ? page.fold[char] : char.toLowerCase();
    }
    return again.normalize("NFKD").replace(marks, "");
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => values[name]);
  }

  function cell(row, text) {
    const td = document.createElement("td");
    const bdi = document.createElement("bdi");
    bdi.textContent = text;
    td.appendChild(bdi);
    row.appendChild(td);
    return td;
  }

  function compare(key) {
    return (a, b) => {
      const x = a[key], y = b[key];
      if (key === "usd" || key === "pledges") {
        const p = x === null ? -Infinity : Number(x), q = y === null ? -Infinity : Number(y);
        return p - q;
      }
      return String(x).localeCompare(String(y), document.documentElement.lang);
    };
  }

  function explorer(options) {
    const table = document.getElementById(options.table);
    const body = table.querySelector("tbody");
    const count = document.getElementById(options.count);
    const more = document.getElementById(options.more);
    let shown = PAGE, sortKey = null, ascending = true, matches = options.rows;

    function draw() {
      const fragment = document.createDocumentFragment();
      for (const item of matches.slice(0, shown)) {
        const tr = document.createElement("tr");
        tr.dataset.id = item[options.id];
        options.cells(tr, item);
        fragment.appendChild(tr);
      }
      body.replaceChildren(fragment);
      count.textContent = matches.length
        ? format(words.shown, {
          shown: numbers.format(Math.min(shown, matches.length)),
          total: numbers.format(matches.length),
        })
        : words.none;
      more.hidden = matches.length <= shown;
    }

    function update() {
      matches = options.rows.filter(options.keeps);
      if (sortKey !== null) {
        matches.sort(compare(sortKey));
        if (!ascending) matches.reverse();
      }
      shown = PAGE;
      draw();
    }

    for (const th of table.querySelectorAll("th[data-sort]")) {
      th.querySelector("button").addEventListener("click", () => {
        ascending = sortKey === th.dataset.sort ? !ascending : true;
        sortKey = th.dataset.sort;
        for (const other of table.querySelectorAll("th[data-sort]")) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        update();
      });
    }
    more.addEventListener("click", () => { shown += PAGE; draw(); });
    update();
    return update;
  }

  function words_of(input) {
    return fold(input.value).split(/\s+/).filter(Boolean);
  }

  // Pledges.
  const search = document.getElementById("search");
  const selects = Array.from(document.querySelectorAll("select[data-filter]"));
  const usdFrom = document.getElementById("usd-from");
  const usdTo = document.getElementById("usd-to");
  function keepsPledge(p) {
    for (const word of wanted) if (!p.find.includes(word)) return false;
    for (const select of selects) {
      if (select.value && !p[select.dataset.filter].includes(select.value)) return false;
    }
    if (usdFrom.value !== "" || usdTo.value !== "") {
      if (p.usd === null) return false;
      const usd = Number(p.usd);
      if (usdFrom.value !== "" && usd < Number(usdFrom.value)) return false;
      if (usdTo.value !== "" && usd > Number(usdTo.value)) return false;
    }
    return true;
  }
  let wanted = [];
  const updatePledges = explorer({
    table: "pledge-table", count: "pledge-count", more: "pledge-more", id: "id",
    rows: page.pledges, keeps: keepsPledge,
    cells(tr, p) {
      cell(tr, p.id);
      const title = cell(tr, "");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "open";
      open.textContent = p.title;
      open.addEventListener("click", () => detail(p));
      title.replaceChildren(open);
      cell(tr, [p.pledger, ...p.co].join(" · "));
      cell(tr, p.date_text);
      cell(tr, p.usd_text);
    },
  });
  search.addEventListener("input", () => { wanted = words_of(search); updatePledges(); });
  for (const control of [...selects, usdFrom, usdTo]) control.addEventListener("input", updatePledges);
  document.getElementById("pledge-filters").addEventListener("submit", (event) => event.preventDefault());

  // Contributors.
  const searchContributors = document.getElementById("search-contributors");
  let wantedContributors = [];
  const updateContributors = explorer({
    table: "contributor-table", count: "contributor-count", more: "contributor-more", id: "name",
    rows: page.contributors,
    keeps: (c) => wantedContributors.every((word) => c.find.includes(word)),
    cells(tr, c) {
      cell(tr, c.name);
      cell(tr, c.sector_text);
      cell(tr, c.region_text);
      cell(tr, c.country_text);
      cell(tr, c.pledges_text);
      cell(tr, c.usd_text);
    },
  });
  searchContributors.addEventListener("input", () => {
    wantedContributors = words_of(searchContributors);
    updateContributors();
  });

  // The detail view of one pledge.
  const dialog = document.getElementById("detail");
  function entry(list, term, value) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    list.append(dt, dd);
  }
  function detail(p) {
    document.getElementById("detail-title").textContent = p.title;
    const list = document.createElement("dl");
    if (p.amount) entry(list, words.amount, p.amount);
    entry(list, words.targets, p.targets.length ? p.targets.join("; ") : words.no_targets);
    entry(list, words.co, p.co.length ? p.co.join("; ") : words.no_co);
    const usd = p.provenance;
    if (usd.none !== undefined) {
      entry(list, words.provenance, usd.none);
    } else {
      entry(list, words.provenance, p.usd_text);
      for (const key of ["rate", "rate_date", "source", "rule", "fallback", "date_from"]) {
        entry(list, words[key], usd[key]);
      }
    }
    if (p.url && /^https?:\/\//i.test(p.url)) {
      const link = document.createElement("a");
      link.href = p.url;
      link.rel = "noopener noreferrer";
      link.textContent = p.url;
      entry(list, words.link, link);
    }
    document.getElementById("detail-body").replaceChildren(list);
    dialog.showModal();
  }
})();
