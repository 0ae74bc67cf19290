// Asks for confirmation before forms marked with data-confirm are sent (no inline script: CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Evidence pack progress: polls the pack's status (JSON) and moves the bar; reloads at the end.
(function () {
  var box = document.querySelector("[data-pack-status]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector(".pack-progress");
  var step = box.querySelector(".pack-step");
  function show(state) {
    var percent = Math.max(0, Math.min(100, state.progress || 0));
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    bar.setAttribute("data-progress", String(percent));
    bar.parentNode.setAttribute("aria-valuenow", String(percent));
    if (step) {
      step.textContent = state.step_label || "";
    }
  }
  function poll() {
    fetch(box.getAttribute("data-pack-status"), {credentials: "same-origin",
                                                  headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.status === "ready" || state.status === "failed") {
          window.setTimeout(function () { window.location.reload(); }, 600);
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  bar.style.width = (bar.getAttribute("data-progress") || "0") + "%";
  poll();
})();

// Buttons marked data-print print the page (the comparison of revisions).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

// Phones (issue 16): a table wider than the screen scrolls inside its box (app.css). One
// with no link or field to reach by keyboard takes the focus itself, so that the arrow keys
// can scroll it; it gives the focus back up when it fits again.
(function () {
  var reachable = "a[href], button, input, select, textarea, [tabindex]";
  function mark() {
    var boxes = document.querySelectorAll("main table, main .table-responsive");
    Array.prototype.forEach.call(boxes, function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.querySelector(reachable) && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();

// After a refused form, the keyboard's focus starts at the first field to correct: the page
// would otherwise start at its top, far from the message (issue 16, keyboard paths).
(function () {
  var wrong = document.querySelector("main [aria-invalid='true'], main .is-invalid");
  if (!wrong) {
    var feedback = document.querySelector("main .invalid-feedback.d-block");
    var group = feedback && feedback.parentElement;
    wrong = group && group.querySelector("input:not([type=hidden]), select, textarea");
  }
  if (wrong && typeof wrong.focus === "function") {
    wrong.focus();
  }
})();
