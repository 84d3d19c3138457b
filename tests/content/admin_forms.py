"""Read an admin change form the way a browser submits it: every field's current value, by name."""

from __future__ import annotations

from html.parser import HTMLParser

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._first_option.setdefault(self._select, value)
            if "selected" in attrs:
                self.data[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, self._first_option.get(self._select, ""))
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the newline right after <textarea> and sends CRLF line endings.
            text = self.data[self._textarea] + data
            self.data[self._textarea] = text.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")


def change_form(client: Client, model: str, pk: int) -> dict[str, str]:
    """The change form of one item, as its page shows it now."""
    response = client.get(reverse(f"admin:content_{model}_change", args=[pk]))
    assert response.status_code == 200
    reader = _FormReader(f"{model}_form")
    reader.feed(response.content.decode())
    data = reader.data
    # The change-form action selector is a separate control: leave it out of a plain save.
    data.pop("CHANGE_FORM-action", None)
    data.pop(ACTION_CHECKBOX_NAME, None)
    return data


def save(client: Client, model: str, pk: int, data: dict[str, str]):
    return client.post(reverse(f"admin:content_{model}_change", args=[pk]), {**data, "_save": "Save"})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]
