// The article reader: details of a highlight on hover or focus, and landing on a linked span (#c3, #target).
// Article text is never handled as HTML here: details are cloned from server-rendered (escaped) elements.
(function () {
  "use strict";
  var text = document.getElementById("doc-text");
  var tip = document.getElementById("tooltip");
  if (!text || !tip) { return; }
  var wrap = text.parentElement;
  var LAYERS = ["claims", "quotes", "events", "techniques", "places", "entities", "target"];
  var PRIORITY = ["target", "c", "q", "v", "t", "p", "e"];

  function layerOf(el) {
    for (var i = 0; i < LAYERS.length; i++) {
      if (el.classList.contains("hl-" + LAYERS[i])) { return LAYERS[i]; }
    }
    return null;
  }

  function layerShown(layer) {
    var box = document.getElementById("toggle-" + layer);
    return !box || box.checked;
  }

  // The innermost highlight under the pointer whose layer is switched on.
  function visibleMark(node) {
    var el = node && node.closest ? node.closest("mark[data-ref]") : null;
    while (el && !layerShown(layerOf(el))) {
      el = el.parentElement ? el.parentElement.closest("mark[data-ref]") : null;
    }
    return el;
  }

  function fragments(ref) {
    return text.querySelectorAll('mark[data-ref="' + CSS.escape(ref) + '"]');
  }

  var active = null;
  function setActive(ref) {
    if (active) { fragments(active).forEach(function (m) { m.classList.remove("is-active"); }); }
    active = ref;
    if (ref) { fragments(ref).forEach(function (m) { m.classList.add("is-active"); }); }
  }

  // Every visible highlight from ``mark`` outwards: overlapping layers all show their details at once.
  function chain(mark) {
    var refs = [], el = mark;
    while (el) {
      var ref = el.getAttribute("data-ref");
      if (layerShown(layerOf(el)) && refs.indexOf(ref) < 0) { refs.push(ref); }
      el = el.parentElement ? el.parentElement.closest("mark[data-ref]") : null;
    }
    // Claims first, then quotes, events, techniques, places, entities: the most telling detail leads.
    refs.sort(function (a, b) { return PRIORITY.indexOf(a.replace(/[0-9]+$/, "")) -
                                       PRIORITY.indexOf(b.replace(/[0-9]+$/, "")); });
    return refs.slice(0, 6);
  }

  function show(mark) {
    var nodes = [];
    chain(mark).forEach(function (ref) {
      var detail = document.getElementById("d-" + ref);
      if (!detail) { return; }
      var copy = detail.cloneNode(true);
      copy.removeAttribute("id");
      var part = document.createElement("div");
      part.className = "tip-part";
      part.replaceChildren.apply(part, Array.prototype.slice.call(copy.childNodes));
      nodes.push(part);
    });
    if (!nodes.length) { return hide(); }
    tip.replaceChildren.apply(tip, nodes);
    var box = mark.getBoundingClientRect();
    var outer = wrap.getBoundingClientRect();
    tip.hidden = false;
    var left = Math.max(0, Math.min(box.left - outer.left, outer.width - tip.offsetWidth));
    tip.style.left = left + "px";
    tip.style.top = (box.bottom - outer.top + 6) + "px";
    setActive(mark.getAttribute("data-ref"));
  }

  function hide() {
    tip.hidden = true;
    tip.replaceChildren();
    setActive(null);
  }

  text.addEventListener("mouseover", function (ev) {
    var mark = visibleMark(ev.target);
    if (mark) { show(mark); } else { hide(); }
  });
  text.addEventListener("mouseleave", hide);
  text.addEventListener("focusin", function (ev) {
    var mark = visibleMark(ev.target);
    if (mark) { show(mark); }
  });
  text.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });

  // Land on the span named by the URL fragment: mark every fragment of it, scroll it to the middle, focus it.
  function landOnHash() {
    text.querySelectorAll("mark.is-target").forEach(function (m) { m.classList.remove("is-target"); });
    var ref = decodeURIComponent(location.hash.slice(1));
    if (!ref) { return; }
    var parts = fragments(ref);
    if (!parts.length) { return; }
    var layer = layerOf(parts[0]);
    var box = document.getElementById("toggle-" + layer);
    if (box && !box.checked) { box.checked = true; }
    parts.forEach(function (m) { m.classList.add("is-target"); });
    parts[0].scrollIntoView({ block: "center" });
    if (parts[0].hasAttribute("tabindex")) { parts[0].focus({ preventScroll: true }); }
    document.body.setAttribute("data-landed", ref);
  }
  window.addEventListener("hashchange", landOnHash);
  landOnHash();
})();
