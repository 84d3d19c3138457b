"""The check's pages for `make bench`, each with a real session, found by walking the wizard as a browser does.

The walk knows nothing of the questions: it follows the 303 Location headers from POST /check/ and answers
each page by reading its form: "None of these" where there is one, else the first choice (a radio button
or a one-tap answer button), else 35 in a text box. So it keeps working when the questions change. Every measured page gets its own visitor (its
own session), stopped just where a person on that page would be: a question not yet answered, the answers
page, the result. A POST is sent by several such visitors in turn, as people each write their own session.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

MOST_QUESTIONS = 30  # a walk longer than this is a loop in the wizard, not a long check


WRITERS = 8  # visitors taking turns on one POST: people write their own sessions, not one shared row


@dataclass
class Target:
    name: str
    method: str
    path: str
    cookie: str = ""
    body: str = ""  # form-encoded, for POST
    turns: list[tuple[str, str]] = field(default_factory=list)  # (cookie, body) of visitors taking turns


@dataclass
class Visitor:
    """One browser: its cookies, and the CSRF token of the last page it read."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body); redirects are not followed."""
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if data is not None:
            body = urlencode({"csrfmiddlewaretoken": self.token, **data}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
            if found:
                self.token = found.group(1)
            return response.status, response.getheader("Location", ""), text
        finally:
            connection.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items() if value)

    def post_body(self, data: dict) -> str:
        return urlencode({"csrfmiddlewaretoken": self.token, **data}, doseq=True)


def form_answer(html: str) -> dict[str, object]:
    """An answer to the page's form that any version of the wizard accepts."""
    if re.search(r'name="none"', html):
        return {"none": "on"}
    # A radio button, or a one-tap answer (a submit button carrying its value): the first one.
    choice = re.search(r'type="(?:radio|submit)"[^>]*?name="value"[^>]*?value="([^"]*)"', html)
    if choice:
        return {"value": choice.group(1)}
    if re.search(r'name="value"', html):
        return {"value": "35"}
    return {}  # "Check your answers": a button only


def walk(base: str, stop_before: int | None = None) -> tuple[Visitor, list[tuple[str, dict]]]:
    """A new visitor presses Start and answers pages until the result (or until page `stop_before`).

    Returns the visitor (stopped there, its token from the page it stands on) and the pages it answered,
    in order, with the answer given to each.
    """
    visitor = Visitor(base)
    visitor.request("GET", "/check/")
    status, location, _ = visitor.request("POST", "/check/", {})
    if status != 303:
        raise RuntimeError(f"Start gave {status}, not 303")
    answered: list[tuple[str, dict]] = []
    while location != "/check/result/":
        if len(answered) > MOST_QUESTIONS:
            raise RuntimeError(f"the check never finished: {[path for path, _ in answered]}")
        status, _, html = visitor.request("GET", location)
        if status != 200:
            raise RuntimeError(f"GET {location} gave {status}")
        if stop_before is not None and len(answered) == stop_before:
            return visitor, answered
        data = form_answer(html)
        status, next_location, _ = visitor.request("POST", location, data)
        if status != 303:
            raise RuntimeError(f"POST {location} gave {status}, not 303")
        answered.append((location, data))
        location = next_location
    visitor.request("GET", location)
    return visitor, answered


def check_targets(base: str) -> list[Target]:
    """GET and POST of every page of the check, each from a visitor of its own, standing on that page."""
    _, pages = walk(base)
    targets = [Target("check start", "GET", "/check/")]
    again = [walk(base)[0] for _ in range(WRITERS)]  # "Start again" at the end of a check
    targets.append(writers("start again", "/check/", again, {}))
    for index, (path, data) in enumerate(pages):
        name = "answers" if path == "/check/answers/" else path.strip("/").rsplit("/", 1)[-1]
        reader, _ = walk(base, stop_before=index)
        targets.append(Target(name, "GET", path, reader.cookie_header()))
        standing = [walk(base, stop_before=index)[0] for _ in range(WRITERS)]
        targets.append(writers(name, path, standing, data))
    finished, _ = walk(base)
    targets.append(Target("result", "GET", "/check/result/", finished.cookie_header()))
    targets.append(Target("print", "GET", "/check/result/print/", finished.cookie_header()))
    return targets


def writers(name: str, path: str, visitors: list[Visitor], data: dict) -> Target:
    turns = [(visitor.cookie_header(), visitor.post_body(data)) for visitor in visitors]
    return Target(name, "POST", path, turns[0][0], turns[0][1], turns)


def wrk_script(target: Target) -> str:
    """A wrk Lua script that sends the target's request (wrk's -H cannot set a method or a body)."""
    if target.turns:  # each request from the next visitor, round the list
        turns = ", ".join(f"{{{lua(cookie)}, {lua(body)}}}" for cookie, body in target.turns)
        return (
            f"local turns = {{{turns}}}\nlocal n = 0\n"
            "request = function()\n"
            "  n = n % #turns + 1\n"
            f"  return wrk.format({lua(target.method)}, nil, "
            '{["Cookie"] = turns[n][1], ["Content-Type"] = "application/x-www-form-urlencoded"}, turns[n][2])\n'
            "end\n"
        )
    lines = [f"wrk.method = {lua(target.method)}"]
    if target.cookie:
        lines.append(f'wrk.headers["Cookie"] = {lua(target.cookie)}')
    if target.body:
        lines.append('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"')
        lines.append(f"wrk.body = {lua(target.body)}")
    return "\n".join(lines) + "\n"


def lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
