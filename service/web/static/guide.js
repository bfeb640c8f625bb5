/* tki-cds decision guide: filters the form to the chosen cancer type and refreshes the panel in place.
   The page works without this script (the form posts and the answer comes back). Nothing is stored:
   no cookies, no browser storage, and clinical inputs only ever travel in POST bodies. */
(function () {
  "use strict";
  var form = document.getElementById("guide-form");
  var panel = document.getElementById("panel");
  var status = document.getElementById("status");
  if (!form || !panel || !window.fetch) { return; }

  var cancerType = document.getElementById("cancer_type");
  var stage = document.getElementById("stage");
  var timer = null;
  var generation = 0;

  function applyCancerType() {
    var option = cancerType.options[cancerType.selectedIndex];
    var code = cancerType.value;
    var category = option ? option.getAttribute("data-category") : "";
    Array.prototype.forEach.call(stage.querySelectorAll("optgroup"), function (group) {
      var off = Boolean(code) && group.getAttribute("data-category") !== category;
      group.disabled = off;
      group.hidden = off;
      if (off && stage.selectedOptions.length && stage.selectedOptions[0].parentNode === group) { stage.value = ""; }
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-cancer-types]"), function (element) {
      var codes = element.getAttribute("data-cancer-types").split(" ");
      var off = !code || codes.indexOf(code) === -1;
      element.hidden = off;
      if (element.tagName === "FIELDSET") { element.disabled = off; }
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-cancer-types] select, [data-cancer-types] input, [data-cancer-types] textarea"), function (control) {
      control.disabled = Boolean(control.closest("[data-cancer-types][hidden]"));
    });
  }

  function addMedicationRow() {
    var rows = document.getElementById("medication-rows");
    var last = rows.querySelector(".medication:last-child");
    var n = rows.querySelectorAll(".medication").length + 1;
    if (!last || n > 60) { return; }
    var row = last.cloneNode(true);
    var label = row.querySelector("label");
    var input = row.querySelector("input");
    label.setAttribute("for", "medication_" + n);
    label.textContent = "Medication " + n;
    input.id = "medication_" + n;
    input.name = "medication_" + n;
    input.value = "";
    rows.appendChild(row);
    input.focus();
  }

  function announce(text) { status.textContent = text; }

  function showSummary() {
    var summary = document.getElementById("summary");
    if (!summary) { return; }
    // the heading says what the options are: keep it in view above the summary
    (document.getElementById("panel-title") || summary).scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  // each problem the panel names marks its control invalid (aria-describedby points at the sentence saying what to fix, so it is read with the control)
  function markProblems() {
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (control) {
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
    });
    var items = panel.querySelectorAll("[data-problem-for]");
    Array.prototype.forEach.call(items, function (item) {
      var control = document.getElementById(item.getAttribute("data-problem-for"));
      if (!control) { return; }
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", item.id);
    });
    return items.length;
  }

  function bindPanel() {
    var button = document.getElementById("print-button");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
  }

  function refresh(focusSummary) {
    var mine = ++generation;
    var body = new URLSearchParams(new FormData(form));
    panel.setAttribute("aria-busy", "true");
    fetch("/guide/panel", {
      method: "POST",
      body: body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      if (mine !== generation) { return; }
      panel.innerHTML = html;
      panel.setAttribute("aria-busy", "false");
      bindPanel();
      var answer = panel.querySelector(".answer");
      var title = document.getElementById("panel-title");
      if (answer) {
        announce("Recommendations updated: " + (title ? title.textContent + ". " : "") +
          answer.getAttribute("data-options") + " options, " +
          answer.getAttribute("data-excluded") + " not recommended, " +
          answer.getAttribute("data-warnings") + " interaction warnings.");
        // Only an explicit request moves focus: live updates while typing leave it in the form.
        if (focusSummary) { showSummary(); }
      } else if (markProblems()) {
        announce("Recommendations not available: fix the entries listed in the panel.");
        var first = panel.querySelector(".problems a");
        if (focusSummary && first) { first.focus(); }
      } else {
        announce("Recommendations not available: see the panel.");
      }
      if (answer) { markProblems(); }
    }).catch(function () {
      if (mine !== generation) { return; }
      panel.setAttribute("aria-busy", "false");
      announce("The recommendations could not be updated. Use the Show recommendations button.");
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { refresh(false); }, 250);
  }

  // a problem's link takes the keyboard to the control to fix
  panel.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".problems a[href^='#']") : null;
    var control = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!control || control.disabled) { return; }
    event.preventDefault();
    control.focus();
    control.scrollIntoView({ block: "center" });
  });
  cancerType.addEventListener("change", applyCancerType);
  form.addEventListener("change", schedule);
  form.addEventListener("input", function (event) {
    if (event.target.type === "text" || event.target.type === "number" || event.target.tagName === "TEXTAREA") { schedule(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    refresh(true);
  });
  var step = form.querySelector(".no-js-step");
  if (step) { step.hidden = true; }
  var add = document.getElementById("add-medication");
  if (add) {
    add.hidden = false;
    add.addEventListener("click", addMedicationRow);
  }
  applyCancerType();
  bindPanel();
}());
