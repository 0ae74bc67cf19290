// Type-to-search for long selects (people, ISO clauses): a select marked data-filter gets a
// labelled search box above it that hides the options not matching what is typed. Without
// JavaScript the plain select works as before. Matching ignores case, tones and marks, so
// "dat" finds "Đạt" and "ha" finds "Hà" and "Hải". No inline script: the CSP forbids it.
(function () {
  "use strict";

  function plain(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase();
  }

  function enhance(select, index) {
    var id = (select.id || "picker-" + index) + "-filter";
    var box = document.createElement("div");
    box.className = "picker-filter mb-1";
    var label = document.createElement("label");
    label.className = "form-label small text-muted mb-0";
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-filter");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("div");
    status.className = "picker-count small text-muted";
    status.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select);

    var options = Array.prototype.slice.call(select.options).map(function (option) {
      return {option: option, text: plain(option.text), blank: option.value === ""};
    });
    var pattern = select.getAttribute("data-filter-count") || "{shown} / {total}";
    var total = options.filter(function (o) { return !o.blank; }).length;

    function visible() {
      return options.filter(function (o) { return !o.option.hidden && !o.blank; });
    }

    function apply() {
      var words = plain(input.value).split(/\s+/).filter(Boolean);
      options.forEach(function (o) {
        // The empty choice and what is already chosen stay in view.
        var keep = o.blank || o.option.selected || words.every(function (word) {
          return o.text.indexOf(word) !== -1;
        });
        o.option.hidden = !keep;
      });
      status.textContent = words.length ? pattern.replace("{shown}", visible().length)
        .replace("{total}", total) : "";
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        // Into the list, on the first option still shown.
        event.preventDefault();
        var first = visible()[0];
        if (first && !select.multiple && !first.option.selected) {
          first.option.selected = true;
          select.dispatchEvent(new Event("change", {bubbles: true}));
        }
        select.focus();
      } else if (event.key === "Enter") {
        // Enter chooses the only match instead of sending the form half filled.
        event.preventDefault();
        var shown = visible();
        if (shown.length === 1) {
          shown[0].option.selected = true;
          select.dispatchEvent(new Event("change", {bubbles: true}));
          select.focus();
        }
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        apply();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), enhance);
})();
