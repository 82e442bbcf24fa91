"""A geocoding server for tests: ``http.server`` in a thread, answering recorded
responses in each provider's exact format, and remembering what it was asked."""

import contextlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Recorded from api-adresse.data.gouv.fr/search/?q=14+rue+Oberkampf&postcode=75011&limit=1
# (the BAN's real field names; coordinates are [lon, lat]).
BAN_OBERKAMPF = {
    "type": "FeatureCollection",
    "version": "draft",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.368716, 48.864587]},
            "properties": {
                "label": "14 Rue Oberkampf 75011 Paris",
                "score": 0.9667318181818181,
                "housenumber": "14",
                "id": "75111_6807_00014",
                "name": "14 Rue Oberkampf",
                "postcode": "75011",
                "citycode": "75111",
                "x": 653395.42,
                "y": 6862953.06,
                "city": "Paris",
                "district": "Paris 11e Arrondissement",
                "context": "75, Paris, Île-de-France",
                "type": "housenumber",
                "importance": 0.6871,
                "street": "Rue Oberkampf",
            },
        }
    ],
    "attribution": "BAN",
    "licence": "ETALAB-2.0",
    "query": "14 rue Oberkampf",
    "filters": {"postcode": "75011"},
    "limit": 1,
}

# A namesake in Marseille: a good score, but 660 km away from the 11th arrondissement.
BAN_MARSEILLE = {
    **BAN_OBERKAMPF,
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [5.381218, 43.300213]},
            "properties": {
                **BAN_OBERKAMPF["features"][0]["properties"],
                "label": "14 Rue Oberkampf 13001 Marseille",
                "postcode": "13001",
                "citycode": "13201",
                "city": "Marseille",
            },
        }
    ],
    "filters": {},
}

BAN_EMPTY = {**BAN_OBERKAMPF, "features": []}

# Recorded from a Nominatim server: /search?q=3575+Avenue+du+Parc,+H2X+3P9&format=jsonv2
NOMINATIM_PARC = [
    {
        "place_id": 106552411,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "node",
        "osm_id": 4423512081,
        "lat": "45.5114471",
        "lon": "-73.5741243",
        "category": "place",
        "type": "house",
        "place_rank": 30,
        "importance": 9.99999999995449e-06,
        "addresstype": "place",
        "name": "",
        "display_name": "3575, Avenue du Parc, Milton-Parc, Le Plateau-Mont-Royal, Montréal, "
        "Agglomération de Montréal, Québec, H2X 3P9, Canada",
        "boundingbox": ["45.5113971", "45.5114971", "-73.5741743", "-73.5740743"],
    }
]

# Recorded from a Photon server: /api?q=3575+Avenue+du+Parc&limit=1&lang=fr
PHOTON_PARC = {
    "features": [
        {
            "geometry": {"coordinates": [-73.5741243, 45.5114471], "type": "Point"},
            "type": "Feature",
            "properties": {
                "osm_id": 4423512081,
                "country": "Canada",
                "city": "Montréal",
                "countrycode": "CA",
                "postcode": "H2X 3P9",
                "county": "Agglomération de Montréal",
                "type": "house",
                "osm_type": "N",
                "osm_key": "place",
                "housenumber": "3575",
                "street": "Avenue du Parc",
                "district": "Le Plateau-Mont-Royal",
                "osm_value": "house",
                "state": "Québec",
            },
        }
    ],
    "type": "FeatureCollection",
}


@dataclass
class Answer:
    status: int = 200
    body: object = None  # JSON-able, or bytes sent as they are
    delay: float = 0.0


@dataclass
class FakeGeocoder:
    url: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    asked: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    def answer(self, path: str, body: object = None, *, status: int = 200, delay: float = 0.0):
        self.answers[path] = Answer(status, body, delay)

    def endpoint(self, path: str) -> str:
        return f"{self.url}{path}"


def _handler(fake: FakeGeocoder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parsed.query))
            fake.asked.append((parsed.path, query, dict(self.headers)))
            answer = fake.answers.get(parsed.path, Answer(404, {"error": "not found"}))
            if answer.delay:
                time.sleep(answer.delay)
            body = answer.body
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextlib.contextmanager
def serving():
    """Start the server on a free port of 127.0.0.1; stop it on leaving."""
    fake = FakeGeocoder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
