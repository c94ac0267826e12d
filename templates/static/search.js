/* Site search: the search page's plain form, driven by Pagefind's JavaScript API (no framework).
   The index lives in <base>pagefind/ (the form's data-base), so the page works under any sub-path.
   The query and filters are kept in the address (?q=…&committee=…), so a search can be linked. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-pagefind-ui]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !status || !list) return;

  var input = form.querySelector("#search-input");
  var selects = {
    committee: form.querySelector("#filter-committee"),
    year: form.querySelector("#filter-year"),
    kind: form.querySelector("#filter-kind"),
  };
  var PAGE_SIZE = 20;
  var TYPING_PAUSE_MS = 300;
  var KIND_ORDER = ["Agenda", "Report", "Appendix", "Minutes", "Decision"];

  var loading = null;     // the Pagefind module, once loaded
  var latest = 0;         // number of the newest search: older answers are dropped
  var pending = [];       // results not shown yet
  var timer = null;
  var more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = "Show more results";
  more.hidden = true;
  list.insertAdjacentElement("afterend", more);

  /* The index is in shards (a committee's year each), listed newest first in shards.json: the first shard's
     pagefind.js is loaded, and the other shards are merged into it, so one search covers them all. */
  function loadPagefind() {
    if (!loading) {
      var base = form.getAttribute("data-base");
      // Result URLs in the index already carry the site's base path.
      var where = { baseUrl: "/" };
      loading = fetch(base + "shards.json", { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error("no search index");
        return response.json();
      }).then(function (shards) {
        if (!shards.length) return null;  // nothing on the site to search yet
        return import(base + shards[0] + "/pagefind.js").then(function (pagefind) {
          return pagefind.options(where).then(function () {
            return Promise.all(shards.slice(1).map(function (shard) {
              return pagefind.mergeIndex(base + shard + "/", where);
            }));
          }).then(function () { return pagefind; });
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  /* Each shard is searched on its own, and a shard with no word starting with a term answers with the longest word
     it has that the term starts with ("d" for "dementia"). One index of the whole site does that only when no page
     anywhere has a word starting with the term, and then only with the longest such word on the site. So, term by
     term (as Pagefind stemmed them), the results that matched a word starting with it stay when there are any, and
     otherwise those that matched the longest word the term starts with. Pagefind reports the words each result
     matched (its "scores"), as the build asks it to. */
  function asOneIndex(response) {
    var results = response.results;
    (response.query_term_idfs || []).forEach(function (queried) {
      var reach = results.map(function (result) { return reachOf(result, queried.term); });
      var best = Math.max.apply(null, [-1].concat(reach.filter(function (r) { return r !== null; })));
      results = results.filter(function (result, i) { return reach[i] === null || reach[i] === best; });
    });
    return results;
  }

  /* How well a result matched a term: Infinity for a word starting with it, else the length of the longest word
     matched that the term starts with; null when Pagefind reported no words (a quoted phrase): such results stay. */
  function reachOf(result, term) {
    var words = matchedWords(result);
    if (!words.length) return null;
    var reach = -1;
    words.forEach(function (word) {
      if (word.indexOf(term) === 0) reach = Infinity;
      else if (term.indexOf(word) === 0) reach = Math.max(reach, word.length);
    });
    return reach;
  }

  /* The index words a result matched, in its text ("scores") and in its metadata, such as the committee's name. */
  function matchedWords(result) {
    var words = (result.scores || []).map(function (score) { return score.search_term; });
    (result.verbose_meta_scores || []).forEach(function (field) { words = words.concat(field.matched_terms); });
    return words;
  }

  function chosenFilters() {
    var filters = {};
    Object.keys(selects).forEach(function (name) {
      if (selects[name] && selects[name].value) filters[name] = selects[name].value;
    });
    return filters;
  }

  function keepInAddress(term, filters) {
    var params = new URLSearchParams();
    if (term) params.set("q", term);
    Object.keys(filters).forEach(function (name) { params.set(name, filters[name]); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  /* A Pagefind excerpt is page text in which pagefind.js wrote < and > as &lt; and &gt; (nothing else is escaped)
     and put <mark> around the matched words. Everything but the marks becomes text nodes, so it can never be HTML. */
  function excerptNodes(excerpt) {
    var fragment = document.createDocumentFragment();
    var marked = false;
    excerpt.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>" || part === "</mark>") {
        marked = part === "<mark>";
      } else if (part) {
        var text = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          fragment.appendChild(mark);
        } else {
          fragment.appendChild(text);
        }
      }
    });
    return fragment;
  }

  /* Where in the page the best match is: the numbered paragraph or the section (a heading with an id) it sits in.
     Pagefind records every element with an id as an anchor, at the word it starts on. */
  function placeOf(data) {
    var anchors = (data.anchors || []).filter(function (a) {
      return a.id && (/^(para|item)-/.test(a.id) || /^h[2-6]$/i.test(a.element));
    });
    var found = (data.weighted_locations || []).slice().sort(function (a, b) {
      return b.balanced_score - a.balanced_score || a.location - b.location;
    });
    var word = found.length ? found[0].location : (data.locations || [])[0];
    if (word === undefined) return null;
    var place = null;
    anchors.forEach(function (a) {
      if (a.location <= word && (!place || a.location >= place.location)) place = a;
    });
    return place;
  }

  function placeName(place) {
    if (/^para-/.test(place.id)) return "Paragraph " + place.id.slice(5);
    if (/^item-/.test(place.id)) return "Agenda item " + place.id.slice(5);
    return "Section: " + (place.text || "").trim();
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    var place = placeOf(data);
    link.href = place ? data.url.split("#")[0] + "#" + encodeURIComponent(place.id) : data.url;
    link.textContent = meta.title || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta.kind, meta.committee, meta.date, place && placeName(place)].filter(Boolean);
    if (facts.length) {
      var about = document.createElement("p");
      about.className = "meta";
      about.textContent = facts.join(" · ");
      item.appendChild(about);
    }
    if (data.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerpt.appendChild(excerptNodes(data.excerpt));
      item.appendChild(excerpt);
    }
    return item;
  }

  function showMore(ticket, moveFocus) {
    var batch = pending.splice(0, PAGE_SIZE);
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (all) {
      if (ticket !== latest) return;
      var items = all.map(resultItem);
      items.forEach(function (item) { list.appendChild(item); });
      more.hidden = pending.length === 0;
      if (moveFocus && items.length) items[0].querySelector("a").focus();
    });
  }

  function describe(count, term, filters) {
    var noun = count === 1 ? "result" : "results";
    var chosen = Object.keys(filters).map(function (name) { return filters[name]; });
    var within = chosen.length ? " (" + chosen.join(", ") + ")" : "";
    if (!term) return count + " " + noun + " for the chosen filters" + within;
    return count + " " + noun + " for “" + term + "”" + within;
  }

  function search() {
    clearTimeout(timer);
    var term = input.value.trim();
    var filters = chosenFilters();
    var ticket = ++latest;
    keepInAddress(term, filters);
    if (!term && Object.keys(filters).length === 0) {
      pending = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    return loadPagefind().then(function (pagefind) {
      return pagefind ? pagefind.search(term || null, { filters: filters }) : { results: [] };
    }).then(function (response) {
      if (ticket !== latest || !response) return;
      pending = asOneIndex(response);
      var count = pending.length;
      list.replaceChildren();
      return showMore(ticket, false).then(function () {
        if (ticket === latest) status.textContent = describe(count, term, filters);
      });
    }).catch(function () {
      if (ticket !== latest) return;
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "Search is not available at the moment. Please try again later, or browse meetings and decisions.";
    });
  }

  function fillSelect(select, values, wanted) {
    if (!select) return;
    values.forEach(function (value) { select.add(new Option(value, value)); });
    if (wanted && values.indexOf(wanted) !== -1) select.value = wanted;
  }

  function fillFilters(params) {
    return loadPagefind().then(function (pagefind) {
      return pagefind ? pagefind.filters() : {};
    }).then(function (available) {
      var years = Object.keys(available.year || {}).sort().reverse();
      var kinds = Object.keys(available.kind || {}).sort(function (a, b) {
        return (KIND_ORDER.indexOf(a) + 1 || 99) - (KIND_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b);
      });
      fillSelect(selects.year, years, params.get("year"));
      fillSelect(selects.kind, kinds, params.get("kind"));
    }).catch(function () { /* the search itself reports an unavailable index */ });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, TYPING_PAUSE_MS);
  });
  Object.keys(selects).forEach(function (name) {
    if (selects[name]) selects[name].addEventListener("change", search);
  });
  more.addEventListener("click", function () { showMore(latest, true); });

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (selects.committee && params.get("committee")) selects.committee.value = params.get("committee");
  fillFilters(params).then(function () {
    if (input.value || params.get("committee") || params.get("year") || params.get("kind")) search();
  });
})();
