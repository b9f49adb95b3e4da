// password.js - the live strength hint under password fields that carry
// data-strength-meter="<id of the hint element>" (sign-up, change password).
// The same estimate as the server's (src/password.c: length and character
// classes, repeated characters discounted); the forms work without it.
(function () {
  "use strict";
  function strength(pw) {
    var chars = Array.from(pw), seen = new Set(chars), pool = 0;
    if (/[a-z]/.test(pw)) pool += 26;
    if (/[A-Z]/.test(pw)) pool += 26;
    if (/[0-9]/.test(pw)) pool += 10;
    if (/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(pw)) pool += 33;
    if (/[^\x00-\x7f]/.test(pw)) pool += 100;
    if (!pool) return "weak";
    var eff = Math.min(seen.size * 3, chars.length);
    var bits = eff * Math.log2(pool);
    return bits < 50 ? "weak" : bits < 64 ? "fair" : bits < 80 ? "good" : "strong";
  }
  document.querySelectorAll("input[data-strength-meter]").forEach(function (input) {
    var out = document.getElementById(input.getAttribute("data-strength-meter"));
    if (!out) return;
    input.addEventListener("input", function () {
      out.textContent = input.value ? "Strength: " + strength(input.value) +
        (Array.from(input.value).length < 10 ? " (too short: at least 10 characters)" : "") : "";
    });
  });
})();
