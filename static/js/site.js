/*
 * site.js - progressive enhancement for every page; the site works without it.
 *
 * Search suggestions: the header's search field becomes an ARIA 1.2
 * combobox.  While the visitor types (2+ characters, 150 ms pause) it asks
 * /search/suggest?q= for videos, performers and collections and lists them
 * in a listbox under the field.  Arrow keys move through the options, Enter
 * opens the highlighted one (or submits the search as usual when none is),
 * Escape closes the list.  Labels go in as text, never as HTML.
 *
 * Loaded as an external deferred script: the Content-Security-Policy allows
 * no inline script.
 */
(function () {
	"use strict";

	var MIN_CHARS = 2;
	var DELAY_MS = 150;
	var GROUPS = [["videos", "Videos"], ["performers", "Performers"], ["collections", "Collections"]];

	function initSuggest(form) {
		var input = form.querySelector("input[name=q]");
		if (!input || !window.fetch) return;

		var list = document.createElement("ul");
		list.id = input.id + "-suggest";
		list.className = "suggest";
		list.setAttribute("role", "listbox");
		list.setAttribute("aria-label", "Suggestions");
		list.hidden = true;
		var status = document.createElement("span");
		status.className = "visually-hidden";
		status.setAttribute("role", "status");
		form.appendChild(list);
		form.appendChild(status);

		input.setAttribute("role", "combobox");
		input.setAttribute("aria-autocomplete", "list");
		input.setAttribute("aria-expanded", "false");
		input.setAttribute("aria-controls", list.id);

		var options = [];
		var active = -1;
		var timer = null;
		var seq = 0;
		var controller = null;

		function setActive(i) {
			if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
			active = i;
			if (active >= 0 && options[active]) {
				options[active].setAttribute("aria-selected", "true");
				input.setAttribute("aria-activedescendant", options[active].id);
				options[active].scrollIntoView({ block: "nearest" });
			} else {
				input.removeAttribute("aria-activedescendant");
			}
		}

		function close() {
			list.hidden = true;
			input.setAttribute("aria-expanded", "false");
			setActive(-1);
		}

		function go(option) {
			window.location.href = option.getAttribute("data-url");
		}

		function render(data) {
			while (list.firstChild) list.removeChild(list.firstChild);
			options = [];
			active = -1;
			GROUPS.forEach(function (g) {
				var items = Array.isArray(data[g[0]]) ? data[g[0]] : [];
				if (items.length === 0) return;
				var head = document.createElement("li");
				head.className = "suggest__group";
				head.setAttribute("role", "presentation");
				head.textContent = g[1];
				list.appendChild(head);
				items.forEach(function (it) {
					if (typeof it.url !== "string" || it.url.charAt(0) !== "/" || it.url.charAt(1) === "/") return;
					var li = document.createElement("li");
					li.className = "suggest__option";
					li.id = list.id + "-" + options.length;
					li.setAttribute("role", "option");
					li.setAttribute("aria-selected", "false");
					li.setAttribute("data-url", it.url);
					li.textContent = String(it.label);
					// mousedown, not click: it comes before the field's blur closes the list.
					li.addEventListener("mousedown", function (e) { e.preventDefault(); go(li); });
					list.appendChild(li);
					options.push(li);
				});
			});
			if (options.length === 0) {
				close();
				status.textContent = "No suggestions";
				return;
			}
			list.hidden = false;
			input.setAttribute("aria-expanded", "true");
			status.textContent = options.length + (options.length === 1 ? " suggestion" : " suggestions") +
				", use the arrow keys to choose";
		}

		function fetchSuggestions() {
			var q = input.value.trim();
			if (q.length < MIN_CHARS) { close(); return; }
			var mine = ++seq;
			if (controller) controller.abort();
			controller = window.AbortController ? new AbortController() : null;
			fetch("/search/suggest?q=" + encodeURIComponent(q), {
				headers: { Accept: "application/json" },
				signal: controller ? controller.signal : undefined
			}).then(function (r) {
				return r.ok ? r.json() : null;
			}).then(function (data) {
				if (mine !== seq || !data) return;
				if (document.activeElement !== input) return;
				render(data);
			}).catch(function () { /* offline or aborted: the plain search still works */ });
		}

		input.addEventListener("input", function () {
			clearTimeout(timer);
			timer = setTimeout(fetchSuggestions, DELAY_MS);
		});

		input.addEventListener("keydown", function (e) {
			var open = !list.hidden && options.length > 0;
			if (e.key === "ArrowDown") {
				if (!open) { fetchSuggestions(); return; }
				e.preventDefault();
				setActive(active + 1 >= options.length ? 0 : active + 1);
			} else if (e.key === "ArrowUp") {
				if (!open) return;
				e.preventDefault();
				setActive(active <= 0 ? options.length - 1 : active - 1);
			} else if (e.key === "Enter") {
				if (open && active >= 0) { e.preventDefault(); go(options[active]); }
			} else if (e.key === "Escape") {
				if (open) { e.preventDefault(); close(); }
			}
		});

		input.addEventListener("blur", function () { close(); });
	}

	var forms = document.querySelectorAll("form.site-search");
	for (var i = 0; i < forms.length; i++) initSuggest(forms[i]);
})();
