"""What ``people`` itself does after a volunteer changes (subscribed in
``PeopleConfig.ready``): queue the task that places a new home address on the map."""

from .events import VolunteerHomeChanged
from .locating import enqueue_volunteer_locate


def queue_home_locate(event: VolunteerHomeChanged) -> None:
    enqueue_volunteer_locate(volunteer_id=event.volunteer_id)
