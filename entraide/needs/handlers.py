"""What ``needs`` itself does after a request changes (subscribed in ``NeedsConfig.ready``):
queue the durable task that places its address on the map (:mod:`.locating`). Only the
task is queued here — the geocoder is never called while a request is being posted."""

from . import events


def queue_locate(event: events.RequestEvent) -> None:
    from .tasks import locate_request

    locate_request.enqueue(event.help_request_id, 0)
