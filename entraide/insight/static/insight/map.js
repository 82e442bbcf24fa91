/* The coordinators' map: zones coloured by unmet needs, open requests at their public
   (500 m) point. Works with the tiles offline: the zone layer needs only Leaflet. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var fills = ["#ffffff", "#fde0a6", "#f39c3d", "#a61b1b"];
  var map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
  }).addTo(map);
  map.setView([Number(element.dataset.lat), Number(element.dataset.lon)], 12);

  function zoneStyle(feature) {
    var level = feature.properties.level;
    return { color: "#1b1b1b", weight: 1 + level, fillColor: fills[level], fillOpacity: 0.75 };
  }

  function label(feature) {
    var p = feature.properties;
    return p.code + " · " + p.unmet;
  }

  fetch(element.dataset.source, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var zones = L.geoJSON(data.zones, {
        style: zoneStyle,
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 10 + 4 * feature.properties.level });
        },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(label(feature), { permanent: true, direction: "top", className: "zone-label" });
          layer.bindPopup(feature.properties.name + ": " + feature.properties.open + " / " + feature.properties.overdue);
        }
      }).addTo(map);
      L.geoJSON(data.requests, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 4, color: "#073763", weight: 1, fillOpacity: 0.9 });
        },
        onEachFeature: function (feature, layer) { layer.bindTooltip(String(feature.properties.count)); }
      }).addTo(map);
      map.attributionControl.addAttribution(data.attribution);
      if (zones.getLayers().length) { map.fitBounds(zones.getBounds(), { padding: [20, 20] }); }
      element.setAttribute("data-zones", String(zones.getLayers().length));
    });
})();
