/* Suggestions for the header search box (ARIA 1.2 combobox with a listbox popup).
   Keyboard: Down/Up move through suggestions, Enter opens the chosen one (or searches),
   Escape closes the list. Without JavaScript the box is a plain search form. */
(function () {
  "use strict";
  var form = document.querySelector("form.header-search");
  if (!form) return;
  var input = form.querySelector("[role=combobox]");
  var list = form.querySelector("[role=listbox]");
  var status = form.querySelector("[role=status]");
  var url = form.getAttribute("data-autocomplete-url");
  var active = -1;
  var timer = null;
  var controller = null;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  function render(results, message) {
    list.innerHTML = "";
    active = -1;
    if (!results.length) {
      close();
      status.textContent = message || form.getAttribute("data-msg-none");
      return;
    }
    results.forEach(function (result, i) {
      var li = document.createElement("li");
      li.id = "header-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.url = result.url;
      var title = document.createElement("span");
      title.textContent = result.title;          /* textContent: never HTML */
      var kind = document.createElement("span");
      kind.className = "suggestion-kind";
      kind.textContent = result.type_label || "";
      li.appendChild(title);
      li.appendChild(kind);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.href = result.url; });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = form.getAttribute("data-msg-count").replace("%s", results.length);
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" }, signal: controller.signal, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (r) {
        if (!r.ok) { close(); status.textContent = r.data.message || form.getAttribute("data-msg-unavailable"); return; }
        render(r.data.results || [], r.data.message);
      })
      .catch(function (error) { if (error.name !== "AbortError") close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      if (list.hidden) { fetchSuggestions(); return; }
      event.preventDefault(); setActive(active + 1);
    } else if (event.key === "ArrowUp") {
      if (list.hidden) return;
      event.preventDefault(); setActive(active - 1);
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); close(); }
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = options()[active].dataset.url;
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
