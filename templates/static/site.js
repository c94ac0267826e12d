/* Minutebook: small enhancements; every page works without them.
   - A numbered paragraph's number links to it; clicking it also copies that link and says so.
   - A table wider than its space says "Scroll sideways to see more".
   - The registers of decisions filter by committee, year and status, the choice kept in the address. */
(function () {
  "use strict";

  /* One polite live region for what the enhancements announce. */
  var announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  document.body.appendChild(announcer);

  function announce(text) {
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  /* Paragraph links ---------------------------------------------------------------------------- */

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error("no clipboard"));
  }

  function confirmCopy(link, message) {
    var shown = link.parentNode.querySelector(".para-copied");
    if (!shown) {
      shown = document.createElement("span");
      shown.className = "para-copied";
      shown.setAttribute("aria-hidden", "true"); /* the live region says it once */
      link.insertAdjacentElement("afterend", shown);
    }
    shown.textContent = message;
    announce(message);
    clearTimeout(shown.timer);
    shown.timer = setTimeout(function () { shown.remove(); }, 6000);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.para-number");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    /* The browser still follows the link: the address bar shows it and the paragraph is highlighted. */
    var address = location.href.split("#")[0] + link.getAttribute("href");
    var name = (link.getAttribute("aria-label") || "Link").replace(/^Link to /, "");
    copy(address).then(function () {
      confirmCopy(link, "Link to " + name + " copied");
    }, function () {
      confirmCopy(link, "Link to " + name + ": " + address);
    });
  });

  /* Tables that scroll ------------------------------------------------------------------------- */

  var hints = 0;

  function hintScrolling(wrap) {
    var hint = wrap.previousElementSibling;
    var has = hint && hint.classList.contains("scroll-hint");
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !has) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.id = "scroll-hint-" + (++hints);
      hint.textContent = "Scroll sideways to see more of this table";
      wrap.insertAdjacentElement("beforebegin", hint);
      wrap.setAttribute("aria-describedby", hint.id);
    } else if (!scrolls && has) {
      hint.remove();
      wrap.removeAttribute("aria-describedby");
    }
  }

  var wraps = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
  function hintAll() { wraps.forEach(hintScrolling); }
  if (wraps.length) {
    hintAll();
    if (window.ResizeObserver) new ResizeObserver(hintAll).observe(document.body);
    else window.addEventListener("resize", hintAll);
  }

  /* The registers' filter ---------------------------------------------------------------------- */

  var filter = document.querySelector("form.register-filter");
  var count = document.querySelector(".register-count");
  if (!filter || !count) return;
  var selects = Array.prototype.slice.call(filter.querySelectorAll("select"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.register tbody tr"));

  function chosen() {
    var wanted = {};
    selects.forEach(function (select) { if (select.value) wanted[select.name] = select.value; });
    return wanted;
  }

  function apply(keep) {
    var wanted = chosen();
    var shown = 0;
    rows.forEach(function (row) {
      var match = Object.keys(wanted).every(function (name) { return row.getAttribute("data-" + name) === wanted[name]; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    document.querySelectorAll(".register-year").forEach(function (section) {
      section.hidden = !section.querySelector("tbody tr:not([hidden])");
    });
    var noun = rows.length === 1 ? "decision" : "decisions";
    count.textContent = Object.keys(wanted).length
      ? "Showing " + shown + " of " + rows.length + " " + noun + "."
      : "Showing all " + rows.length + " " + noun + ".";
    if (keep) {
      var params = new URLSearchParams(wanted).toString();
      history.replaceState(null, "", location.pathname + (params ? "?" + params : ""));
    }
  }

  var params = new URLSearchParams(location.search);
  selects.forEach(function (select) {
    var value = params.get(select.name);
    if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
    select.addEventListener("change", function () { apply(true); });
  });
  filter.addEventListener("submit", function (event) {
    event.preventDefault();
    apply(true);
  });
  filter.hidden = false;
  apply(false);
})();
