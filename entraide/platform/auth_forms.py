"""Password reset through the outbox, answering the same whether the account exists."""

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from .models import OutboxChannel
from .outbox import outbox_enqueue
from .tokens import hash_token


class OutboxPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox_enqueue(
            channel=OutboxChannel.EMAIL,
            recipient=to_email,
            subject=subject,
            body=body,
            delivery_key=f"password-reset:{context['uid']}:{_key_part(context['token'])}",
            secret=True,
        )


def _key_part(token: str) -> str:
    """The delivery key is kept and shown in the back office: never the token itself."""
    return hash_token(token)[:32]
