from entraide.channels.models import CallSession, CallTurn, VoiceMessage
from entraide.needs.models import Channel, HelpRequest
from entraide.needs.selectors import board_requests
from entraide.platform.models import OutboxMessage

ENGLISH = "2"


def test_a_whole_call_in_english_creates_a_request_on_the_board(phone_call, zone_11):
    call = phone_call()
    first = call.start()
    assert first.gather["action"] == "/channels/voice/1/"
    assert {line.language for line in first.spoken} == {
        "fr-FR",
        "en-GB",
        "es-ES",
        "ca-ES",
        "pt-PT",
    }
    assert "To continue in English, press 2." in first.text

    menu = call.press(ENGLISH)
    assert "To ask for help: press 1." in menu.text
    assert {line.language for line in menu.spoken} == {"en-GB"}
    assert "postcode" in call.press("1").text
    check = call.press("75011")
    assert "You typed: 7, 5, 0, 1, 1." in check.text
    category = call.press("1")
    assert "Groceries: press 1." in category.text
    urgency = call.press("1")
    assert "Within 24 hours: press 2." in urgency.text
    summary = call.press("2")
    assert "Your request: Groceries, postcode 7, 5, 0, 1, 1, Within 24 hours." in summary.text
    done = call.press("1")

    help_request = HelpRequest.objects.get()
    spelled = ", ".join(help_request.reference)
    assert f"Your reference is: {spelled}." in done.text
    assert f"I repeat: {spelled}." in done.text
    assert "We are also sending it to you by SMS." in done.text
    assert help_request.channel == Channel.PHONE
    assert help_request.language == "en"
    assert help_request.category == "groceries"
    assert help_request.urgency == 2
    assert help_request.contact.phone == "+33612345678"
    assert list(board_requests(zone=zone_11)) == [help_request]
    sms = OutboxMessage.objects.get()
    assert sms.recipient == "+33612345678"
    assert help_request.reference in sms.body
    assert sms.delivery_key == f"call:{call.call_sid}:confirmation"

    goodbye = call.silence()
    assert goodbye.hangup
    assert "Goodbye" in goodbye.text


def test_a_wrong_postcode_is_read_back_and_corrected(phone_call):
    call = phone_call()
    call.play(f"{ENGLISH},1")
    unknown = call.press("75099")
    assert "7, 5, 0, 9, 9 is not a postcode we cover." in unknown.text
    assert "Type your postcode" in unknown.text
    assert "You typed: 7, 5, 0, 1, 1." in call.press("75011").text
    assert "Type your postcode" in call.press("2").text
    assert "You typed: 7, 5, 0, 2, 0." in call.press("75020").text
    call.play("1,1,3,1")
    assert HelpRequest.objects.get().zone.code == "75020"


def test_silence_in_french_reprompts_then_takes_a_message_never_hangs_up(phone_call):
    call = phone_call()
    call.start()
    first = call.silence()
    assert first.text.startswith("Pardon, je n'ai rien entendu.")
    assert first.gather is not None
    recording = call.silence()
    assert recording.record is not None
    assert not recording.hangup
    thanks = call.silence()
    assert thanks.hangup
    assert "vous rappellera bientôt" in thanks.text
    message = VoiceMessage.objects.get()
    assert message.caller == "+33612345678"
    assert message.recording_url == ""
    assert HelpRequest.objects.count() == 0


def test_zero_reaches_the_operator_then_a_recording_when_nobody_answers(phone_call, settings):
    settings.ENTRAIDE_OPERATOR_NUMBER = "+33100000000"
    call = phone_call()
    call.play(ENGLISH)
    transfer = call.press("0")
    assert transfer.dial["number"] == "+33100000000"
    assert "putting you through" in transfer.text
    recording = call.dial_ended("no-answer")
    assert "Nobody is free to answer right now." in recording.text
    thanks = call.record(seconds=17)
    assert thanks.hangup
    message = VoiceMessage.objects.get()
    assert message.language == "en"
    assert message.duration_seconds == 17
    assert message.recording_url.startswith("https://api.twilio.com/recordings/RE")


def test_star_repeats_without_counting_a_failure(phone_call):
    call = phone_call()
    menu = call.play(ENGLISH)
    assert call.press("*").text == menu.text
    assert call.press("*").text == menu.text
    assert CallSession.objects.get().failures == 0


def test_a_retried_webhook_is_applied_once(phone_call):
    call = phone_call()
    call.play(f"{ENGLISH},1,75011,1,1,2")
    action = call.current.gather["action"]
    done = call.press("1")
    again = call.post(action, {"Digits": "1"})
    assert again.text == done.text
    assert HelpRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert CallTurn.objects.filter(session__call_sid=call.call_sid).count() == 8
