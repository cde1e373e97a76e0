"""The SMTP server of the tests: the product's mail sink, keeping what it receives in a list."""

from __future__ import annotations

from email.message import Message

from runtime.mail_sink import MailSink


class SmtpServer(MailSink):
    def __init__(self) -> None:
        self.received: list[Message] = []
        super().__init__(self.received.append)

    def letters_to(self, address: str) -> list[Message]:
        return [m for m in self.received if address in str(m["To"])]

    def body(self, message: Message) -> str:
        part = message.get_body(preferencelist=("plain", "html")) if message.is_multipart() else message  # type: ignore[attr-defined]  # a parsed letter is an EmailMessage
        return part.get_content()
