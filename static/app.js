// searcher: the little behaviour the pages need. Served from /static (CSP allows no inline script).
// Copy buttons: copy the text of the element named by data-copy-target, announce the result.
(function () {
  "use strict";

  function announce(message) {
    var live = document.getElementById("live");
    if (live) { live.textContent = ""; live.textContent = message; }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) { return; }
    var text = target.textContent.trim();
    var done = function (ok) {
      var message = ok ? button.getAttribute("data-copied") : button.getAttribute("data-failed");
      button.setAttribute("data-state", ok ? "copied" : "failed");
      document.body.setAttribute("data-last-copied", ok ? text : "");
      announce(message);
      var label = button.firstChild;
      var original = label.nodeValue;
      label.nodeValue = message;
      window.setTimeout(function () { label.nodeValue = original; button.removeAttribute("data-state"); }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy-target]");
    if (button) { copy(button); }
  });

})();
