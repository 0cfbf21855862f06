/* civgrid: small behaviours on top of pages that work without JavaScript. */
(function () {
  "use strict";

  // A form marked data-once sends one request per tap: a second tap while the page is
  // loading would only repeat it (the report form also carries a client key for that).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.classList.add("is-busy");
      });
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = false;
        b.classList.remove("is-busy");
      });
    });
  });

  // Filter forms send themselves when a select changes (htmx picks the submit up).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select") && el.form && el.form.hasAttribute("data-autosubmit")) {
      el.form.requestSubmit();
    }
    if (el.id) syncToggled(document, el.id);
  });

  // Blocks shown only while a checkbox is ticked (e.g. the fix-on-the-spot details).
  function syncToggled(root, id) {
    root.querySelectorAll("[data-toggled-by]").forEach(function (block) {
      if (id && block.dataset.toggledBy !== id) return;
      var box = document.getElementById(block.dataset.toggledBy);
      if (box) block.hidden = !box.checked;
    });
  }

  // The grouped menu (civgrid/templates/_nav.html): one drop-down open at a time, closed by
  // Escape or a tap elsewhere; on a phone the Menu button folds the whole menu away.
  function navGroups() {
    return document.querySelectorAll("details.nav-group");
  }
  document.addEventListener(
    "toggle",
    function (event) {
      var opened = event.target;
      if (!opened.matches || !opened.matches("details.nav-group") || !opened.open) return;
      navGroups().forEach(function (d) {
        if (d !== opened) d.open = false;
      });
    },
    true // toggle does not bubble
  );
  document.addEventListener("click", function (event) {
    navGroups().forEach(function (d) {
      if (d.open && !d.contains(event.target)) d.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    navGroups().forEach(function (d) {
      if (!d.open) return;
      d.open = false;
      d.querySelector("summary").focus();
    });
  });
  function initNav() {
    var toggle = document.querySelector(".nav-toggle");
    var menu = document.getElementById("nav-menu");
    if (!toggle || !menu) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function init() {
    initNav();
    syncToggled(document);
    if (window.matchMedia("(min-width: 900px)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
        d.open = true;
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
