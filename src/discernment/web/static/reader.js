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
  var narrow = window.matchMedia("(max-width: 640px)");
  var landing = false;  // focus moved by the landing itself opens no details

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

  // The innermost highlight under the pointer whose layer is switched on (furniture and repeats are muted).
  function shown(el) { return layerShown(layerOf(el)) && !el.classList.contains("hl-muted"); }

  function visibleMark(node) {
    var el = node && node.closest ? node.closest("mark[data-ref]") : null;
    while (el && !shown(el)) {
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
      if (shown(el) && refs.indexOf(ref) < 0) { refs.push(ref); }
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
    tip.hidden = false;
    setActive(mark.getAttribute("data-ref"));
    // On a narrow screen the details dock at the bottom (at most a third of it) instead of covering the text.
    if (narrow.matches) { tip.classList.add("docked"); tip.style.left = ""; tip.style.top = ""; return; }
    tip.classList.remove("docked");
    var box = mark.getBoundingClientRect();
    var outer = wrap.getBoundingClientRect();
    var left = Math.max(0, Math.min(box.left - outer.left, outer.width - tip.offsetWidth));
    tip.style.left = left + "px";
    tip.style.top = (box.bottom - outer.top + 6) + "px";
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
    if (landing) { return; }
    var mark = visibleMark(ev.target);
    if (mark) { show(mark); }
  });
  text.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });

  // Land on the span named by the URL fragment (#c3), or on the ?span= target: mark every fragment of it,
  // scroll it to the vertical centre and focus it, with no details open. Landing runs again once the page has
  // loaded, since the browser's own jump to the fragment (to the top of the window) comes after this script.
  if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
  function landingRef() {
    var ref = decodeURIComponent(location.hash.slice(1));
    if (ref && fragments(ref).length) { return ref; }
    return fragments("target").length ? "target" : null;
  }

  function landOnHash() {
    text.querySelectorAll("mark.is-target").forEach(function (m) { m.classList.remove("is-target"); });
    text.querySelectorAll("mark.is-claimant-target").forEach(function (m) { m.classList.remove("is-claimant-target"); });
    var ref = landingRef();
    if (!ref) { return; }
    var parts = fragments(ref);
    var layer = layerOf(parts[0]);
    var box = document.getElementById("toggle-" + layer);
    if (box && !box.checked) { box.checked = true; }
    parts.forEach(function (m) {
      m.classList.add(m.classList.contains("hl-claimant") ? "is-claimant-target" : "is-target");
    });
    var first = Array.prototype.filter.call(parts, function (m) { return !m.classList.contains("hl-claimant"); })[0]
      || parts[0];
    centre(first, ref);
    hide();
    var anchor = document.getElementById(ref);
    if (anchor && anchor.hasAttribute("tabindex")) {
      landing = true;
      anchor.focus({ preventScroll: true });
      landing = false;
    }
    document.body.setAttribute("data-landed", ref);
  }

  function centre(el, ref) {
    var all = fragments(ref);
    var top = Infinity, bottom = -Infinity;
    all.forEach(function (m) {
      if (m.classList.contains("hl-claimant") && all.length > 1) { return; }
      var r = m.getBoundingClientRect();
      top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
    });
    if (!isFinite(top)) { var r0 = el.getBoundingClientRect(); top = r0.top; bottom = r0.bottom; }
    var middle = window.scrollY + (top + bottom) / 2;
    window.scrollTo({ top: Math.max(0, middle - window.innerHeight / 2), behavior: "instant" });
  }

  window.addEventListener("hashchange", landOnHash);
  landOnHash();
  window.addEventListener("load", function () {
    if (document.body.hasAttribute("data-landed")) { landOnHash(); }
    document.body.setAttribute("data-ready", "1");
  });
})();
