// The logbook page: the odometer chain filled in as the admin types, rows pasted from a
// spreadsheet (tab-separated) spread over the grid, the vehicle chosen once.
(function () {
  "use strict";
  var form = document.querySelector("form.logbook-page");
  if (!form) return;
  var COLUMNS = ["driver", "start", "end", "odometer_out", "odometer_in", "fuel_level",
    "receipt_1", "receipt_2", "note"];
  var lines = Array.prototype.slice.call(form.querySelectorAll(".logbook-line"));

  function cell(line, column) {
    return line ? line.querySelector('[data-column="' + column + '"]') : null;
  }

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function localMoment(text) {
    var french = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})(?:[ T](\d{1,2})[:h](\d{2}))?$/.exec(text);
    if (french) {
      var pad = function (n) { return ("0" + n).slice(-2); };
      return french[3] + "-" + pad(french[2]) + "-" + pad(french[1]) + "T" +
        pad(french[4] || "0") + ":" + (french[5] || "00");
    }
    var iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/.exec(text);
    return iso ? iso[1] + "T" + iso[2] : text;
  }

  function fill(input, text) {
    text = text.trim();
    if (input.tagName === "SELECT") {
      var wanted = plain(text);
      var options = Array.prototype.slice.call(input.options);
      var found = options.find(function (o) { return o.value && plain(o.text) === wanted; }) ||
        options.find(function (o) { return o.value && wanted && plain(o.text).indexOf(wanted) !== -1; });
      input.value = found ? found.value : "";
    } else if (input.type === "datetime-local") {
      input.value = localMoment(text);
    } else if (input.type === "number") {
      input.value = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".").replace(/%$/, "");
    } else {
      input.value = text;
    }
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  form.addEventListener("paste", function (event) {
    var target = event.target;
    var column = target.getAttribute && target.getAttribute("data-column");
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!column || !/[\t\n]/.test(text.trim())) return;
    event.preventDefault();
    var first = lines.indexOf(target.closest(".logbook-line"));
    var start = COLUMNS.indexOf(column);
    text.replace(/\r/g, "").split("\n").filter(function (row) { return row.trim(); })
      .forEach(function (row, r) {
        row.split("\t").forEach(function (value, c) {
          var input = cell(lines[first + r], COLUMNS[start + c]);
          if (input) fill(input, value);
        });
      });
  });

  // A line's return is the next line's departure, unless the admin typed another reading.
  form.addEventListener("change", function (event) {
    if (event.target.getAttribute("data-column") !== "odometer_in") return;
    var next = cell(lines[lines.indexOf(event.target.closest(".logbook-line")) + 1], "odometer_out");
    if (next && (next.value === "" || next.dataset.chained === "yes")) {
      next.value = event.target.value;
      next.dataset.chained = "yes";
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.getAttribute("data-column") === "odometer_out") {
      delete event.target.dataset.chained;
    }
  });

  // The vehicle is chosen once: the page reloads for it (its last reading starts line 1).
  var vehicle = form.querySelector('select[name="vehicle"]');
  if (vehicle) {
    vehicle.addEventListener("change", function () {
      var typed = lines.some(function (line) { return cell(line, "odometer_in").value; });
      if (!typed && vehicle.value) window.location.search = "?vehicle=" + vehicle.value;
    });
  }
})();
