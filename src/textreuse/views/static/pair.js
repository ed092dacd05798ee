/* textreuse side-by-side view: a click on a passage (or a paired sentence) scrolls the other side to its
   counterpart and flashes both. Works on every .tr-pair element of the page; reads only data-* attributes. */
(function () {
  "use strict";
  function flash(el) {
    el.classList.remove("tr-flash");
    void el.offsetWidth; /* restart the animation */
    el.classList.add("tr-flash");
    window.setTimeout(function () { el.classList.remove("tr-flash"); }, 1600);
  }
  function find(root, anchor) {
    var all = root.querySelectorAll("[data-anchor]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-anchor") === anchor) { return all[i]; }
    }
    return null;
  }
  function show(root, el) {
    var target = find(root, el.getAttribute("data-target"));
    if (!target) { return; }
    target.scrollIntoView({ block: "center", inline: "nearest" });
    flash(target);
    flash(el);
  }
  function attach(root) {
    if (root.hasAttribute("data-tr-live")) { return; } /* a page with several views runs this once per view */
    root.setAttribute("data-tr-live", "");
    root.addEventListener("click", function (event) {
      var el = event.target.closest("[data-target]");
      if (!el || !root.contains(el)) { return; }
      event.preventDefault();
      show(root, el);
    });
    root.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      var el = event.target.closest("[data-target]");
      if (el && root.contains(el)) { event.preventDefault(); show(root, el); }
    });
  }
  var roots = document.querySelectorAll(".tr-pair");
  for (var i = 0; i < roots.length; i++) { attach(roots[i]); }
})();
